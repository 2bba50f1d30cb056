import { ACTIONS_ONLY_ON_ANY_RESOURCE, POLICIES_WHERE_STAR_MEANS_SELF } from '../policies/iam-allow-list.js';
import type { Json, ResourceChange } from './plan-json.js';
import type { ReviewRules } from './review-rules.js';

/**
 * Security regressions a plan introduces: ingress from anywhere to a port that is not public by
 * design, and IAM statements that allow every action or every resource. Only what the plan adds is
 * a regression: the same grant already in `before` was reviewed when it was introduced.
 */
export interface SecurityRegression {
  readonly attribute: string;
  readonly description: string;
}

export function securityRegressions(rc: ResourceChange, rules: ReviewRules): SecurityRegression[] {
  if (rc.mode !== 'managed' || !rc.change.actions.some((a) => a === 'create' || a === 'update')) return [];
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const found: SecurityRegression[] = [];
  const previous = new Set(publicIngress(rc.type, before, rules));
  for (const grant of publicIngress(rc.type, after, rules)) {
    if (!previous.has(grant)) found.push({ attribute: 'ingress', description: `ingress from ${grant}` });
  }
  for (const attribute of rules.security.policyAttributes[rc.type] ?? []) {
    const starIsSelf = POLICIES_WHERE_STAR_MEANS_SELF.has(`${rc.type}.${attribute}`);
    const old = new Set(wildcards(before[attribute], starIsSelf));
    for (const w of wildcards(after[attribute], starIsSelf)) {
      if (!old.has(w)) found.push({ attribute, description: w });
    }
  }
  return found;
}

/** `0.0.0.0/0 port 22/tcp`-style grants of public CIDRs on ports that are not public by design. */
function publicIngress(type: string, values: Json, rules: ReviewRules): string[] {
  if (!values || typeof values !== 'object') return [];
  const publicCidrs = new Set(rules.security.publicCidrs);
  const grants: string[] = [];
  const check = (cidrs: Json[], from: Json, to: Json, protocol: Json) => {
    for (const cidr of cidrs) {
      if (typeof cidr !== 'string' || !publicCidrs.has(cidr)) continue;
      const allPorts = protocol === '-1' || protocol === -1 || protocol === 'all';
      const lo = Number(from);
      const hi = Number(to ?? from);
      const onlyPublicPorts =
        !allPorts && lo === hi && Number.isFinite(lo) && rules.security.publicPorts.includes(lo);
      if (!onlyPublicPorts)
        grants.push(`${cidr} ${allPorts ? 'all ports' : `port ${lo === hi ? lo : `${lo}-${hi}`}`}`);
    }
  };
  if (type === 'aws_vpc_security_group_ingress_rule') {
    check([values.cidr_ipv4, values.cidr_ipv6], values.from_port, values.to_port, values.ip_protocol);
  } else if (type === 'aws_security_group_rule' && values.type === 'ingress') {
    check(
      [...(values.cidr_blocks ?? []), ...(values.ipv6_cidr_blocks ?? [])],
      values.from_port,
      values.to_port,
      values.protocol,
    );
  } else if (type === 'aws_security_group') {
    for (const rule of values.ingress ?? [])
      check(
        [...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])],
        rule.from_port,
        rule.to_port,
        rule.protocol,
      );
  }
  return grants;
}

/** Allow statements granting `*`/`service:*`/NotAction, or any resource where AWS has ARNs. */
function wildcards(policy: Json, starIsSelf: boolean): string[] {
  const doc = typeof policy === 'string' ? tryParse(policy) : policy;
  if (!doc || typeof doc !== 'object') return [];
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const found: string[] = [];
  for (const s of statements) {
    if (s?.Effect !== 'Allow') continue;
    const actions = list(s.Action);
    if (s.NotAction !== undefined) found.push(`Allow NotAction ${JSON.stringify(s.NotAction)}`);
    for (const a of actions) if (a === '*' || /^[a-z0-9-]+:\*$/i.test(a)) found.push(`Allow action ${a}`);
    const principal = s.Principal;
    if (principal === '*' || list(principal?.AWS).includes('*'))
      if (!s.Condition) found.push('Allow to any principal without a condition');
    if (starIsSelf || s.Resource === undefined) continue;
    if (list(s.Resource).includes('*')) {
      const scoped = actions.filter((a) => !ACTIONS_ONLY_ON_ANY_RESOURCE.has(a));
      if (scoped.length > 0) found.push(`Allow ${scoped.join(', ')} on Resource "*"`);
    }
  }
  return found;
}

function list(value: Json): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function tryParse(text: string): Json {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
