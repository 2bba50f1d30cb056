import { createHash } from 'node:crypto';
import { containsUnknown, type Json, type PlanDocument, type ResourceChange } from './plan-json.js';
import type { ResourceSchemas, SchemaBlock } from './provider-schema.js';
import { stringFor } from './remote-state-seed.js';

/**
 * Turning a plan into the state Terraform would have after applying it, without applying it.
 *
 * Known values come from the plan's `after`. Values the plan only knows after apply (ids, ARNs,
 * endpoints) are synthesized, type-correctly from the provider schema (a list stays a list, nested
 * blocks keep their nesting), in the shape AWS uses (EC2-style ids, service ARNs). Where the
 * stack's configuration computes an unknown attribute from other resources' attributes
 * (`"${aws_kms_key.k.arn}"`, `"arn:...:${aws_x.y.id}/*"`), the value is computed from those
 * resources' synthesized values, so that the next plan sees a consistent world. What this cannot
 * compute (functions, data sources) the caller resolves by re-planning against the state and
 * merging the new plan in (`previous`), until Terraform reports no changes.
 */
export interface StateContext {
  readonly schemas: ResourceSchemas;
  readonly accountId: string;
  readonly region: string;
  /** The stack's `cdk.tf.json` (expressions of attributes and outputs). */
  readonly config: Json;
}

export interface StateDocument {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: Json; type: Json; sensitive?: boolean }>;
  resources: StateResource[];
  check_results: null;
}

interface StateResource {
  mode: 'managed';
  type: string;
  name: string;
  provider: string;
  instances: {
    index_key?: string | number;
    schema_version: number;
    attributes: Json;
    sensitive_attributes: Json[];
    dependencies?: string[];
  }[];
}

interface Instance {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider: string;
  attributes: Json;
  /** Paths Terraform marks sensitive (state format: lists of get_attr/index steps). */
  readonly sensitive: Json[];
  /** Top-level attributes that were unknown in the plan (candidates for reference resolution). */
  readonly unknown: readonly string[];
}

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

export function stateFromPlan(
  plan: PlanDocument,
  ctx: StateContext,
  previous?: StateDocument,
): StateDocument {
  const prior = new Map<string, Instance>();
  for (const r of previous?.resources ?? []) {
    for (const i of r.instances) {
      const address = addressOf(r.type, r.name, i.index_key);
      prior.set(address, {
        address,
        type: r.type,
        name: r.name,
        index: i.index_key,
        provider: r.provider,
        attributes: i.attributes,
        sensitive: i.sensitive_attributes,
        unknown: [],
      });
    }
  }
  const providers = providerOfResource(plan);
  const referenced = referencedAttributes(ctx.config);
  const instances = new Map<string, Instance>(prior);
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const actions = rc.change.actions;
    if (actions.includes('delete') && !actions.includes('create')) {
      instances.delete(rc.address);
      continue;
    }
    if (!actions.some((a) => a === 'create' || a === 'update') && instances.has(rc.address)) continue;
    const schema = ctx.schemas[rc.type];
    if (!schema) throw new Error(`${rc.address}: no schema for ${rc.type} in the provider schema`);
    const fallback = prior.get(rc.address)?.attributes;
    const values = rc.change.after ?? rc.change.before;
    instances.set(rc.address, {
      address: rc.address,
      type: rc.type,
      name: rc.name,
      index: rc.index,
      provider: providers.get(baseAddress(rc.address)) ?? PROVIDER,
      attributes: fillBlock(
        values,
        rc.change.after_unknown ?? {},
        schema.block,
        fallback,
        seedOf(rc, ctx, referenced),
      ),
      // Marks must match the plan's, or Terraform plans an update that only changes sensitivity.
      sensitive: sensitivePaths(rc.change.after_sensitive ?? rc.change.before_sensitive),
      unknown: Object.entries(rc.change.after_unknown ?? {})
        .filter(([k, v]) => v === true && fallback?.[k] === undefined)
        .map(([k]) => k),
    });
  }
  resolveReferences([...instances.values()], ctx.config);

  const resources = new Map<string, StateResource>();
  for (const i of [...instances.values()].sort((a, b) => a.address.localeCompare(b.address))) {
    const key = `${i.type}.${i.name}`;
    const resource = resources.get(key) ?? {
      mode: 'managed',
      type: i.type,
      name: i.name,
      provider: i.provider,
      instances: [],
    };
    resource.instances.push({
      ...(i.index !== undefined ? { index_key: i.index } : {}),
      schema_version: ctx.schemas[i.type]?.version ?? 0,
      attributes: i.attributes,
      sensitive_attributes: i.sensitive,
    });
    resources.set(key, resource);
  }
  const byAddress = new Map([...instances.values()].map((i) => [i.address, i.attributes]));
  const outputs: StateDocument['outputs'] = {};
  for (const [name, output] of Object.entries<Json>(ctx.config.output ?? {})) {
    // The plan's own value when it knows it; else computed from the (synthesized) resources.
    const planned = plan.output_changes?.[name];
    const known = planned && !containsUnknown(planned.after_unknown) && !planned.actions.includes('delete');
    const value = known ? planned.after : evaluate(output.value, byAddress);
    if (value === undefined) continue;
    outputs[name] = { value, type: typeOfValue(value), ...(output.sensitive ? { sensitive: true } : {}) };
  }
  return {
    version: 4,
    terraform_version: '1.11.0',
    serial: (previous?.serial ?? 0) + 1,
    lineage: previous?.lineage ?? uuidOf(JSON.stringify(Object.keys(ctx.config.resource ?? {}))),
    outputs,
    resources: [...resources.values()],
    check_results: null,
  };
}

interface Seed {
  readonly type: string;
  readonly name: string;
  readonly values: Json;
  readonly ctx: StateContext;
  /** Attribute paths of this resource that the configuration refers to (`a`, `block.a`). */
  readonly referenced: ReadonlySet<string>;
}

function seedOf(rc: ResourceChange, ctx: StateContext, referenced: ReadonlySet<string>): Seed {
  return {
    type: rc.type,
    name: rc.index === undefined ? rc.name : `${rc.name}-${rc.index}`,
    values: rc.change.after ?? {},
    ctx,
    referenced: new Set(
      [...referenced]
        .filter((r) => r.startsWith(`${rc.type}.${rc.name}.`))
        .map((r) => r.slice(rc.type.length + rc.name.length + 2)),
    ),
  };
}

/**
 * `type.name.attr.sub` of every resource attribute the configuration refers to (outputs
 * included), list indexes left out (`master_user_secret[0].secret_arn` -> `master_user_secret.secret_arn`).
 */
function referencedAttributes(config: Json): Set<string> {
  const result = new Set<string>();
  for (const m of JSON.stringify(config).matchAll(
    /\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)((?:\.[a-z0-9_]+|\[\d+\])+)/g,
  ))
    result.add(`${m[1]}${(m[2] as string).replace(/\[\d+\]/g, '')}`);
  return result;
}

/** Fills unknown values of a block: prior values first (they are what exists), else synthesized. */
function fillBlock(
  value: Json,
  unknown: Json,
  block: SchemaBlock,
  fallback: Json,
  seed: Seed,
  path = '',
): Json {
  const result: Record<string, Json> = {};
  for (const [attr, schema] of Object.entries(block.attributes ?? {})) {
    const marker = unknown?.[attr];
    const prior = fallback?.[attr];
    const v = value?.[attr];
    const type = schema.type ?? nestedTypeAsCty(schema.nested_type);
    if (marker === true)
      result[attr] = prior !== undefined && prior !== null ? prior : synthesize(type, `${path}${attr}`, seed);
    else if (marker && typeof marker === 'object' && v !== null && v !== undefined)
      result[attr] = fillType(v, marker, type, prior, `${path}${attr}`, seed);
    else result[attr] = v === undefined ? null : v;
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const marker = unknown?.[name];
    const v = value?.[name];
    const prior = fallback?.[name];
    const single = nested.nesting_mode === 'single' || nested.nesting_mode === 'group';
    if (marker === true) {
      result[name] = prior !== undefined ? prior : single ? null : [];
    } else if (single) {
      result[name] =
        v === null || v === undefined
          ? null
          : fillBlock(v, marker, nested.block, prior, seed, `${path}${name}.`);
    } else if (nested.nesting_mode === 'map') {
      result[name] = Object.fromEntries(
        Object.entries<Json>(v ?? {}).map(([k, e]) => [
          k,
          fillBlock(e, marker?.[k], nested.block, prior?.[k], seed, `${path}${name}.`),
        ]),
      );
    } else {
      result[name] = (Array.isArray(v) ? v : []).map((e: Json, i: number) =>
        fillBlock(
          e,
          Array.isArray(marker) ? marker[i] : undefined,
          nested.block,
          Array.isArray(prior) ? prior[i] : undefined,
          seed,
          `${path}${name}.`,
        ),
      );
    }
  }
  return result;
}

function fillType(value: Json, marker: Json, type: Json, prior: Json, path: string, seed: Seed): Json {
  if (marker === true) return prior !== undefined && prior !== null ? prior : synthesize(type, path, seed);
  if (!marker || typeof marker !== 'object' || value === null || value === undefined) return value;
  if (!Array.isArray(type)) return value;
  const [kind, inner] = type as [string, Json];
  if ((kind === 'list' || kind === 'set') && Array.isArray(value))
    return value.map((e, i) =>
      fillType(e, marker[i], inner, Array.isArray(prior) ? prior[i] : undefined, path, seed),
    );
  if (kind === 'tuple' && Array.isArray(value))
    return value.map((e, i) =>
      fillType(e, marker[i], inner?.[i], Array.isArray(prior) ? prior[i] : undefined, path, seed),
    );
  if (kind === 'map' && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, e]) => [
        k,
        fillType(e, marker[k], inner, prior?.[k], `${path}.${k}`, seed),
      ]),
    );
  if (kind === 'object' && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(inner as Record<string, Json>).map(([k, t]) => [
        k,
        fillType(value[k] ?? null, marker[k], t, prior?.[k], `${path}.${k}`, seed),
      ]),
    );
  return value;
}

/** Computed strings configurations build on whose value has one realistic shape. */
const KNOWN_SHAPES: Readonly<Record<string, string>> = {
  // ACM DNS validation records (`for_each` over domain_validation_options).
  resource_record_type: 'CNAME',
};

const IDENTIFYING =
  /^(id|arn|name|key_id|owner_id|identifier|bucket|family|revision|version|etag|endpoint|address|dns_name|fqdn|zone_id|hosted_zone_id|invoke_url|url|cidr_block|resource_id|function_name|qualified_arn|invoke_arn|execution_arn|root_resource_id|arn_suffix)$|_(id|arn|name|value|endpoint|address|url|dns_name|fqdn)$/;

/** A type-correct value for an unknown: strings shaped like what AWS returns, one-element lists. */
function synthesize(type: Json, path: string, seed: Seed): Json {
  if (type === 'string') {
    const attr = path.split('.').pop() ?? path;
    // Only identifying attributes and what the configuration refers to get a value; any other
    // computed string stays null, as providers validate some of them (`fifo_throughput_scope`
    // only on FIFO topics).
    const known = KNOWN_SHAPES[attr];
    if (known !== undefined) return known;
    if (!IDENTIFYING.test(attr) && !seed.referenced.has(path)) return null;
    const stack = { resource: { [seed.type]: { [seed.name]: seed.values } } };
    return stringFor(seed.type, seed.name, attr, stack, {
      accountId: seed.ctx.accountId,
      region: seed.ctx.region,
    });
  }
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type as [string, Json];
    // One element: configurations index computed lists (`master_user_secret[0].secret_arn`).
    if (kind === 'list' || kind === 'set') {
      const element = synthesize(inner, path, seed);
      return element === null ? [] : [element];
    }
    if (kind === 'tuple') return (inner as Json[]).map((t) => synthesize(t, path, seed));
    if (kind === 'map') return {};
    if (kind === 'object')
      return Object.fromEntries(
        Object.entries(inner as Record<string, Json>).map(([k, t]) => [
          k,
          synthesize(t, `${path}.${k}`, seed),
        ]),
      );
  }
  return null;
}

function nestedTypeAsCty(nested: Json): Json {
  if (!nested) return 'dynamic';
  const attrs = Object.fromEntries(
    Object.entries<Json>(nested.attributes ?? {}).map(([k, a]) => [
      k,
      a.type ?? nestedTypeAsCty(a.nested_type),
    ]),
  );
  const object = ['object', attrs];
  return nested.nesting_mode === 'single' ? object : [nested.nesting_mode === 'map' ? 'map' : 'list', object];
}

const REFERENCE = /\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?(?:\.[a-z0-9_]+|\[\d+\])+)\}/g;
const ONLY_REFERENCE = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?(?:\.[a-z0-9_]+|\[\d+\])+)\}$/;

/**
 * Unknown top-level attributes whose configuration is a reference or a string interpolating
 * references get the referenced (synthesized) values, repeated so chains settle.
 */
function resolveReferences(instances: readonly Instance[], config: Json): void {
  const byAddress = new Map(instances.map((i) => [i.address, i.attributes]));
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const i of instances) {
      const expressions = config.resource?.[i.type]?.[i.name];
      if (!expressions) continue;
      for (const attr of i.unknown) {
        const expression = expressions[attr];
        if (typeof expression !== 'string' || !expression.includes('${')) continue;
        const value = evaluate(expression, byAddress);
        if (value === undefined || JSON.stringify(value) === JSON.stringify(i.attributes[attr])) continue;
        i.attributes[attr] = value;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

/** Value of a configuration expression made of references and literal text; undefined when it is more. */
function evaluate(expression: Json, byAddress: ReadonlyMap<string, Json>): Json {
  if (Array.isArray(expression)) {
    const items = expression.map((e) => evaluate(e, byAddress));
    return items.includes(undefined) ? undefined : items;
  }
  if (expression !== null && typeof expression === 'object') {
    const entries = Object.entries(expression).map(([k, e]) => [k, evaluate(e, byAddress)] as const);
    return entries.some(([, v]) => v === undefined) ? undefined : Object.fromEntries(entries);
  }
  if (typeof expression !== 'string') return expression;
  const only = ONLY_REFERENCE.exec(expression);
  if (only) return lookup(only[1] as string, byAddress);
  let unresolved = false;
  const text = expression.replace(REFERENCE, (_m, ref: string) => {
    const v = lookup(ref, byAddress);
    if (typeof v !== 'string' && typeof v !== 'number') unresolved = true;
    return String(v);
  });
  return unresolved || text.includes('${') ? undefined : text;
}

/** `aws_x.name.attr[0].sub` against the instances' attributes. */
function lookup(reference: string, byAddress: ReadonlyMap<string, Json>): Json {
  const match = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\[[^\]]+\])?)(.*)$/.exec(reference);
  if (!match) return undefined;
  const [, type, name, index, rest] = match as unknown as [string, string, string, string, string];
  let value = byAddress.get(`${type}.${name}${index}`);
  for (const part of rest.match(/\.[a-z0-9_]+|\[\d+\]/g) ?? []) {
    if (value === undefined || value === null) return undefined;
    value = part.startsWith('[') ? value[Number(part.slice(1, -1))] : value[part.slice(1)];
  }
  return value;
}

/** `after_sensitive` (a tree with `true` at sensitive values) as state paths. */
function sensitivePaths(marks: Json, prefix: Json[] = []): Json[] {
  if (marks === true) return prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(marks))
    return marks.flatMap((m, i) =>
      sensitivePaths(m, [...prefix, { type: 'index', value: { value: i, type: 'number' } }]),
    );
  if (marks && typeof marks === 'object')
    return Object.entries(marks).flatMap(([k, m]) =>
      sensitivePaths(m, [...prefix, { type: 'get_attr', value: k }]),
    );
  return [];
}

function typeOfValue(value: Json): Json {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(typeOfValue)];
  if (value && typeof value === 'object')
    return ['object', Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOfValue(v)]))];
  return 'string';
}

/** Provider of each resource, with its alias (`aws.us-east-1`), from the plan's configuration. */
function providerOfResource(plan: PlanDocument): Map<string, string> {
  const result = new Map<string, string>();
  for (const r of plan.configuration?.root_module?.resources ?? []) {
    const key: string = r.provider_config_key ?? 'aws';
    const alias = key.includes('.') ? key.slice(key.indexOf('.') + 1) : undefined;
    result.set(r.address, alias ? `${PROVIDER}.${alias}` : PROVIDER);
  }
  return result;
}

function addressOf(type: string, name: string, index: string | number | undefined): string {
  if (index === undefined) return `${type}.${name}`;
  return `${type}.${name}[${typeof index === 'number' ? index : JSON.stringify(index)}]`;
}

function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
