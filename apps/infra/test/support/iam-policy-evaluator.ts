/**
 * A small IAM policy evaluator for the statement shapes this repository writes into resource and
 * identity policies: Effect, Principal (`*` or `{ AWS }`), Action and Resource (strings or lists,
 * `*` and `?` wildcards), and the condition operators listed in OPERATORS. Anything else (NotAction,
 * NotPrincipal, an unknown operator, `...IfExists`) throws instead of guessing, so a test can never
 * pass on a policy it did not understand.
 *
 * Evaluation follows IAM's order for a caller in the resource's own account: an explicit Deny in any
 * policy wins; otherwise an Allow in the identity policy *or* the resource policy admits; otherwise
 * the request is implicitly denied.
 */

export interface RequestContext {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request (`aws:PrincipalArn`, `aws:PrincipalAccount`, ...). */
  readonly keys: Readonly<Record<string, string | undefined>>;
}

export type Decision = 'ALLOW' | 'DENY';

interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS?: string | readonly string[] };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Statement: readonly Statement[] | Statement;
}

const KNOWN_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** IAM wildcard match: `*` any run of characters, `?` one character; case-sensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    's',
  );
  return regex.test(value);
}

/** Action names are case-insensitive in IAM. */
const actionMatch = (pattern: string, action: string) =>
  wildcardMatch(pattern.toLowerCase(), action.toLowerCase());

type Operator = (patterns: readonly string[], value: string | undefined) => boolean;

/**
 * Positive operators are false when the key is absent; negated ones are true (IAM semantics without
 * `IfExists`).
 */
const OPERATORS: Readonly<Record<string, Operator>> = {
  StringEquals: (p, v) => v !== undefined && p.includes(v),
  StringNotEquals: (p, v) => v === undefined || !p.includes(v),
  StringLike: (p, v) => v !== undefined && p.some((x) => wildcardMatch(x, v)),
  StringNotLike: (p, v) => v === undefined || !p.some((x) => wildcardMatch(x, v)),
  ArnEquals: (p, v) => v !== undefined && p.includes(v),
  ArnLike: (p, v) => v !== undefined && p.some((x) => arnLike(x, v)),
  ArnNotLike: (p, v) => v === undefined || !p.some((x) => arnLike(x, v)),
  Bool: (p, v) => v !== undefined && p.includes(v),
};

/** ArnLike compares the six colon-separated ARN parts, each with wildcards. */
function arnLike(pattern: string, arn: string): boolean {
  const p = pattern.split(':');
  const a = arn.split(':');
  if (p.length < 6 || a.length < 6) return false;
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const [pp, aa] = [head(p), head(a)];
  return pp.every((part, i) => wildcardMatch(part, aa[i] as string));
}

function conditionsHold(statement: Statement, request: RequestContext): boolean {
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const test = OPERATORS[operator];
    if (!test)
      throw new Error(`Unsupported condition operator ${operator} (statement ${statement.Sid ?? '?'})`);
    for (const [key, patterns] of Object.entries(block)) {
      if (!test(list(patterns), request.keys[key])) return false;
    }
  }
  return true;
}

function principalMatches(statement: Statement, request: RequestContext, resourcePolicy: boolean): boolean {
  if (!resourcePolicy) {
    if (statement.Principal !== undefined) throw new Error('An identity policy statement names a Principal');
    return true;
  }
  if (statement.Principal === undefined) throw new Error('A resource policy statement has no Principal');
  if (statement.Principal === '*') return true;
  const principals = list(statement.Principal.AWS);
  const arn = request.keys['aws:PrincipalArn'];
  const account = request.keys['aws:PrincipalAccount'];
  return principals.some(
    (p) => p === '*' || p === arn || p === account || p === `arn:aws:iam::${account}:root`,
  );
}

function statementsOf(policy: PolicyDocument): readonly Statement[] {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement as Statement];
  for (const s of statements) {
    const unknown = Object.keys(s).filter((k) => !KNOWN_FIELDS.has(k));
    if (unknown.length > 0) throw new Error(`Unsupported statement field(s) ${unknown.join(', ')}`);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new Error(`Bad Effect ${String(s.Effect)}`);
  }
  return statements;
}

function matching(policy: PolicyDocument | undefined, request: RequestContext, resourcePolicy: boolean) {
  if (!policy) return [];
  return statementsOf(policy).filter(
    (s) =>
      principalMatches(s, request, resourcePolicy) &&
      list(s.Action).some((a) => actionMatch(a, request.action)) &&
      list(s.Resource).some((r) => wildcardMatch(r, request.resource)) &&
      conditionsHold(s, request),
  );
}

/**
 * The decision for a caller with `identity` policies against the resource's policy. Within the
 * resource's account either policy may allow; across accounts both must (`resourceAccount`).
 */
export function evaluate(
  request: RequestContext,
  policies: {
    readonly identity?: readonly PolicyDocument[];
    readonly resource?: PolicyDocument;
    readonly resourceAccount: string;
  },
): Decision {
  const identity = (policies.identity ?? []).flatMap((p) => matching(p, request, false));
  const resource = matching(policies.resource, request, true);
  if ([...identity, ...resource].some((s) => s.Effect === 'Deny')) return 'DENY';
  const allowedBy = (statements: readonly Statement[]) => statements.some((s) => s.Effect === 'Allow');
  const sameAccount = request.keys['aws:PrincipalAccount'] === policies.resourceAccount;
  const allowed = sameAccount
    ? allowedBy(identity) || allowedBy(resource)
    : allowedBy(identity) && allowedBy(resource);
  return allowed ? 'ALLOW' : 'DENY';
}
