import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { type IResolveContext, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { type Grantee, type PolicyStatement, renderPolicy } from './policy-document.js';

export interface ServiceRoleProps {
  /** Role name (`bandup-<env>-<what>`); at most 64 characters. */
  readonly name: string;
  readonly description: string;
  /** Service that assumes the role, e.g. `lambda.amazonaws.com`. */
  readonly assumedBy: string;
  /** Extra conditions on the trust policy (e.g. `aws:SourceAccount`), against confused deputies. */
  readonly trustConditions?: PolicyStatement['conditions'];
  /** AWS managed policies, only where AWS publishes the exact least-privilege set (commented at call site). */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * An IAM role for one workload. Statements are added by the constructs that own the resources
 * (`bucket.grantRead(role)`, `queue.grantConsume(role)`), and rendered lazily into one inline
 * policy, so a role's permissions are written next to the resources, never hand-assembled.
 */
export class ServiceRole extends Construct implements Grantee {
  readonly role: IamRole;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (props.name.length > 64) throw new Error(`IAM role name "${props.name}" is longer than 64 characters`);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: renderPolicy([
        {
          actions: ['sts:AssumeRole'],
          principals: { Service: props.assumedBy },
          resources: [],
          ...(props.trustConditions ? { conditions: props.trustConditions } : {}),
        },
      ]),
      managedPolicyArns: props.managedPolicyArns ? [...props.managedPolicyArns] : undefined,
    });
    new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: Lazy.stringValue({ produce: (context) => renderPolicy(this.mergedStatements(context)) }),
    });
    // A role with no statement would render an invalid policy: fail synth with the path instead.
    this.node.addValidation({
      validate: () => (this.statements.length === 0 ? [`Role ${props.name} has no permissions granted`] : []),
    });
  }

  get arn(): string {
    return this.role.arn;
  }

  get name(): string {
    return this.role.name;
  }

  addToPolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /**
   * Statements with identical actions and conditions are merged so the policy stays short, and a
   * statement that another one already allows in full is left out (a bucket read grant's
   * `kms:Decrypt` on the key when a write grant gave the role the key's full use).
   */
  private mergedStatements(context: IResolveContext): PolicyStatement[] {
    const merged = new Map<string, PolicyStatement>();
    for (const s of this.statements) {
      const key = JSON.stringify([s.effect ?? 'Allow', [...s.actions].sort(), s.conditions ?? null]);
      const existing = merged.get(key);
      merged.set(
        key,
        existing
          ? { ...existing, resources: [...new Set([...existing.resources, ...s.resources])] }
          : { ...s, sid: undefined },
      );
    }
    const statements = [...merged.values()];
    // Resources are compared resolved: two references to one ARN are different token strings.
    const resolved = new Map(statements.map((s) => [s, { ...s, resources: context.resolve(s.resources) }]));
    const covers = (wider: PolicyStatement, narrower: PolicyStatement) =>
      allowsAllOf(resolved.get(wider) as PolicyStatement, resolved.get(narrower) as PolicyStatement);
    return statements.filter((s) => !statements.some((other) => other !== s && covers(other, s)));
  }
}

/** Whether unconditional Allow statement `wider` allows every action of `narrower` on every resource of it. */
function allowsAllOf(wider: PolicyStatement, narrower: PolicyStatement): boolean {
  const unconditionalAllow = (s: PolicyStatement) => (s.effect ?? 'Allow') === 'Allow' && !s.conditions;
  return (
    unconditionalAllow(wider) &&
    unconditionalAllow(narrower) &&
    narrower.actions.every((a) => wider.actions.includes(a)) &&
    narrower.resources.every((r) => wider.resources.includes(r))
  );
}
