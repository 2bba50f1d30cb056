/*
 * A small evaluator of identity policies, enough to walk the synthesized pipeline roles: explicit
 * Deny wins over Allow, Allow is needed, `*`/`?` wildcards in actions and ARNs, and the condition
 * operators these policies use (String*, Arn*, Null, Bool, ForAnyValue:/ForAllValues: on lists).
 * A condition key missing from the request makes its operator false (except Null and ForAllValues),
 * as in IAM.
 */

// biome-ignore lint/suspicious/noExplicitAny: policy statements are untyped JSON
type Statement = Record<string, any>;

export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request, e.g. `aws:ResourceTag/Environment`. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'allowed' | 'explicit-deny' | 'implicit-deny';

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [String(v)]);

function glob(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseInsensitive ? 'i' : '',
  );
  return re.test(value);
}

function operator(name: string, expected: string[], actual: string[] | undefined): boolean {
  const base = name.replace(/^(ForAnyValue|ForAllValues):/, '').replace(/IfExists$/, '');
  const set = name.startsWith('ForAnyValue:') ? 'any' : name.startsWith('ForAllValues:') ? 'all' : 'single';
  if (base === 'Null') return (expected[0] === 'true') === (actual === undefined);
  if (actual === undefined) return set === 'all' || name.endsWith('IfExists');
  const one = (value: string): boolean => {
    switch (base) {
      case 'StringEquals':
      case 'ArnEquals':
      case 'Bool':
        return expected.includes(value);
      case 'StringNotEquals':
      case 'ArnNotEquals':
        return !expected.includes(value);
      case 'StringLike':
      case 'ArnLike':
        return expected.some((p) => glob(p, value));
      case 'StringNotLike':
      case 'ArnNotLike':
        return !expected.some((p) => glob(p, value));
      default:
        throw new Error(`iam-evaluator: unsupported condition operator ${name}`);
    }
  };
  if (set === 'any') return actual.some(one);
  if (set === 'all') return actual.every(one);
  return actual.length > 0 && actual.every(one);
}

function matches(statement: Statement, request: Request): boolean {
  const actions = list(statement.Action);
  if (!actions.some((a) => glob(a, request.action, true))) return false;
  if (statement.NotResource !== undefined) {
    if (list(statement.NotResource).some((r) => glob(r, request.resource))) return false;
  } else if (!list(statement.Resource).some((r) => glob(r, request.resource))) return false;
  for (const [op, block] of Object.entries(
    (statement.Condition ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    for (const [key, value] of Object.entries(block)) {
      const actual = request.context?.[key];
      if (!operator(op, list(value), actual === undefined ? undefined : list(actual))) return false;
    }
  }
  return true;
}

/** The decision of IAM for one request against a role's statements (inline and managed, flattened). */
export function evaluate(statements: readonly Statement[], request: Request): Decision {
  const hits = statements.filter((s) => matches(s, request));
  if (hits.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  return hits.some((s) => s.Effect === 'Allow') ? 'allowed' : 'implicit-deny';
}
