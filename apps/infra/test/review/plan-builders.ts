import type { Json, PlanDocument, ResourceChange, TerraformAction } from '../../src/review/plan-json.js';
import { loadRules } from '../../src/review/review-rules.js';
import { synthIndexOf } from '../../src/review/synth-index.js';

/** Small `terraform show -json` documents in the shape Terraform 1.11 writes them. */
export const rules = loadRules();

export function change(
  address: string,
  actions: TerraformAction[],
  before: Json,
  after: Json,
  extra: {
    action_reason?: string;
    replace_paths?: string[][];
    after_unknown?: Json;
    previous_address?: string;
  } = {},
): ResourceChange {
  const [type = '', name = ''] = address.split('.');
  return {
    address,
    ...(extra.previous_address ? { previous_address: extra.previous_address } : {}),
    mode: 'managed',
    type,
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    ...(extra.action_reason ? { action_reason: extra.action_reason } : {}),
    change: {
      actions,
      before,
      after,
      after_unknown: extra.after_unknown ?? {},
      ...(extra.replace_paths ? { replace_paths: extra.replace_paths } : {}),
    },
  };
}

export function plan(changes: ResourceChange[], outputs: PlanDocument['output_changes'] = {}): PlanDocument {
  return {
    format_version: '1.2',
    terraform_version: '1.11.0',
    resource_changes: changes,
    output_changes: outputs,
  };
}

/** A synthesized stack with the given resources (`type.name` -> construct path, prevent_destroy). */
export function synthStack(
  resources: Record<string, { path: string; preventDestroy?: boolean }>,
  extra: Json = {},
): Json {
  const resource: Record<string, Record<string, Json>> = {};
  for (const [address, r] of Object.entries(resources)) {
    const [type = '', name = ''] = address.split('.');
    resource[type] ??= {};
    (resource[type] as Record<string, Json>)[name] = {
      '//': { metadata: { path: r.path, uniqueId: name } },
      ...(r.preventDestroy ? { lifecycle: { prevent_destroy: true } } : {}),
    };
  }
  return { resource, ...extra };
}

export const emptySynth = synthIndexOf({});
