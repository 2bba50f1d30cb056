/**
 * IAM policy documents as typed data. Constructs build statements with these types and the
 * document is rendered with JSON.stringify (tokens inside strings resolve at synth), so the
 * security Aspects can parse every policy in the synthesized output and check it.
 */
export type ConditionBlock = Readonly<
  Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>
>;

interface Principal {
  readonly Service?: string | readonly string[];
  readonly AWS?: string | readonly string[];
}

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: ConditionBlock;
  /** Only for resource policies (bucket, key, queue policies). */
  readonly principals?: Principal | '*';
}

/** Renders statements as a policy document JSON string. */
export function renderPolicy(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? 'Allow',
      ...(s.principals ? { Principal: s.principals } : {}),
      Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
      // Trust policies have no Resource; every other statement must name one.
      ...(s.resources.length === 0
        ? {}
        : { Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources] }),
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** Anything policy statements can be granted to (a role, in practice). CDK's `IGrantable`. */
export interface Grantee {
  addToPolicy(statement: PolicyStatement): void;
}

/** The statement every resource policy of a bucket or queue gets: refuse anything not over TLS. */
export function denyInsecureTransport(resources: readonly string[]): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: '*',
    actions: ['*'],
    resources,
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
