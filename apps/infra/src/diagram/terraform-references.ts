/**
 * References inside Terraform JSON: every `${...}` interpolation that names a managed resource
 * (`aws_sqs_queue.jobs.arn`) or a cross-stack output (`data.terraform_remote_state.x.outputs.y`).
 * Strings holding JSON documents (IAM policies, container definitions, OpenAPI bodies) are scanned
 * as plain text, which is what Terraform does too.
 */
export type TerraformReference =
  | { readonly kind: 'resource'; readonly type: string; readonly id: string }
  | { readonly kind: 'remote-output'; readonly input: string; readonly output: string };

const RESOURCE = /\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\./g;
const REMOTE = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

/** All references in a value, deduplicated, in first-seen order. Metadata (`//`) is skipped. */
export function referencesIn(value: unknown): TerraformReference[] {
  const found = new Map<string, TerraformReference>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      if (!node.includes('${')) return;
      for (const m of node.matchAll(REMOTE)) {
        const [, input = '', output = ''] = m;
        found.set(`r:${input}:${output}`, { kind: 'remote-output', input, output });
      }
      for (const m of node.matchAll(RESOURCE)) {
        const [, type = '', id = ''] = m;
        found.set(`a:${type}:${id}`, { kind: 'resource', type, id });
      }
    } else if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) if (key !== '//' && key !== 'depends_on') visit(item);
    }
  };
  visit(value);
  return [...found.values()];
}

/** IAM action service prefixes (`bedrock`, `transcribe`) granted by Allow statements of a policy string. */
export function allowedServices(policy: unknown): string[] {
  if (typeof policy !== 'string') return [];
  let doc: { Statement?: { Effect?: string; Action?: string | string[] }[] };
  try {
    doc = JSON.parse(policy) as typeof doc;
  } catch {
    return [];
  }
  const services = new Set<string>();
  for (const statement of doc.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action ?? ''];
    for (const action of actions) services.add(action.split(':')[0] ?? '');
  }
  services.delete('');
  return [...services].sort();
}
