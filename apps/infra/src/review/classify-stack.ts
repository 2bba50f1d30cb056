import { foldGreenChanges } from './green-folds.js';
import { guardsPresent, guardsTurnedOff } from './guard-changes.js';
import { otherErrors, type PlanDiagnostic, preventDestroyBlocks } from './plan-diagnostics.js';
import { diagnosticsSha256, planSha256 } from './plan-hash.js';
import {
  changedAttributes,
  type Json,
  type PlanDocument,
  type ResourceChange,
  resourceAction,
} from './plan-json.js';
import { movedBlock, pairRenames, type RenamePair } from './rename-pairing.js';
import { environmentOfStack } from './review-inputs.js';
import type { ItemAction, ReviewItem, Severity, StackCounts, StackReview } from './review-model.js';
import { isStateful, type ReviewRules, type RuleId } from './review-rules.js';
import { securityRegressions } from './security-regressions.js';
import type { SynthIndex } from './synth-index.js';

/** One stack's input: its plan, or the diagnostics of its failed plan (or both). */
export interface StackInput {
  readonly stack: string;
  readonly plan?: PlanDocument;
  readonly diagnostics?: readonly PlanDiagnostic[];
}

export interface ClassifyContext {
  readonly environment: string;
  readonly rules: ReviewRules;
  /** The synthesized app of the code being planned. */
  readonly synth: SynthIndex;
  /** The synthesized app the state came from (`--against`): construct paths of removed resources. */
  readonly previousSynth?: SynthIndex;
  /** Stacks planned in this run (a changed output makes their plans stale). */
  readonly plannedStacks: ReadonlySet<string>;
}

export interface StackClassification {
  readonly items: ReviewItem[];
  readonly review: StackReview;
  readonly errors: string[];
}

const REMOVED = 'removed from configuration';

export function classifyStack(input: StackInput, context: ClassifyContext): StackClassification {
  // Each stack is judged by its own environment (a run may review dev and prod together).
  const ctx = { ...context, environment: environmentOfStack(input.stack) ?? context.environment };
  const diagnostics = input.diagnostics ?? [];
  const blocks = preventDestroyBlocks(diagnostics);
  const failures = otherErrors(diagnostics);
  if (blocks.length > 0 || failures.length > 0 || !input.plan) {
    return classifyFailedPlan(input.stack, blocks, failures, ctx, input.plan === undefined);
  }
  const plan = input.plan;
  const changes = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const items: ReviewItem[] = [];
  const item = (
    rc: ResourceChange,
    severity: Severity,
    rule: RuleId,
    action: ItemAction,
    cause: string,
    summary: string,
    extra: Partial<ReviewItem> = {},
  ) =>
    items.push({
      severity,
      stack: input.stack,
      address: rc.address,
      summary,
      rule,
      resourceType: rc.type,
      constructPath: constructPathOf(input.stack, rc.address, ctx),
      action,
      cause,
      guard: guardText(input.stack, rc, ctx),
      nextStep: ctx.rules.nextSteps[rule],
      ...extra,
    });

  const pairs = withSiblingRenames(pairRenames(changes, ctx.rules), changes, input.stack, ctx);
  const paired = new Set(pairs.flatMap((p) => [p.from, p.to]));
  for (const group of groupRenames(pairs, ctx)) {
    const lead = group[0] as RenamePair;
    const protectedType = group.some(
      (p) => isStateful(ctx.rules, p.from.type, ctx.environment) || ctx.rules.guardResources[p.from.type],
    );
    const others = group.length > 1 ? ` (and ${group.length - 1} resource(s) of the same construct)` : '';
    item(
      lead.from,
      protectedType ? 'RED' : 'AMBER',
      'rename',
      'rename',
      REMOVED,
      `renamed to ${lead.to.address} (${lead.identity})${others}: as planned, Terraform destroys it and creates an empty one`,
      {
        constructPath: `${constructPathOf(input.stack, lead.from.address, ctx)} -> ${constructPathOf(input.stack, lead.to.address, ctx)}`,
        moved: group.map(movedBlock).join('\n'),
      },
    );
  }

  const hasPriorState = changes.some((rc) => rc.change.before !== null && rc.change.before !== undefined);
  const deletedIdentities = new Set(
    changes
      .filter((rc) => ['delete', 'replace'].includes(resourceAction(rc)))
      .map((rc) => `${rc.type}\u0000${rc.change.before?.bucket ?? rc.change.before?.id ?? ''}`),
  );

  for (const rc of changes) {
    if (paired.has(rc)) continue;
    const action = resourceAction(rc);
    const stateful = isStateful(ctx.rules, rc.type, ctx.environment);
    if (action === 'delete' || action === 'replace') {
      const cause = causeOf(rc);
      if (stateful) {
        item(
          rc,
          'RED',
          action === 'delete' ? 'stateful-delete' : 'stateful-replace',
          action,
          cause,
          `${action === 'delete' ? 'destroyed' : 'destroyed and re-created'} (${cause}): ${rc.type} holds data or identity`,
        );
      } else if (ctx.rules.amberReplace.has(rc.type)) {
        item(
          rc,
          'AMBER',
          'amber-replace',
          action,
          cause,
          `${action === 'delete' ? 'destroyed' : 'replaced'} (${cause}): subscriptions are lost`,
        );
      } else if (action === 'delete' && ctx.rules.guardResources[rc.type]) {
        const guard = ctx.rules.guardResources[rc.type];
        const parent = rc.change.before?.[guard?.parentAttribute ?? ''];
        if (guard && !deletedIdentities.has(`${guard.parentType}\u0000${parent}`)) {
          item(
            rc,
            'RED',
            'guard-removed',
            action,
            cause,
            `${guard.label} of ${parent ?? guard.parentType} removed; the ${guard.parentType} stays`,
          );
        }
      }
    }
    if (action === 'update') {
      const turnedOff = guardsTurnedOff(rc, ctx.rules);
      if (turnedOff.length > 0) {
        item(
          rc,
          'RED',
          'guard-removed',
          'update',
          turnedOff.map((g) => g.path).join(', '),
          `guard turned off: ${turnedOff.map((g) => `${g.label} (${g.path} ${show(g.before)} -> ${show(g.after)})`).join('; ')}`,
        );
      }
      const risky = riskyChanges(rc, ctx.rules);
      if (risky.length > 0) {
        item(
          rc,
          'AMBER',
          'risky-update',
          'update',
          risky.map((r) => r.attribute).join(', '),
          risky.map((r) => r.text).join('; '),
        );
      }
    }
    if (action === 'create' || action === 'update' || action === 'replace') {
      const regressions = securityRegressions(rc, ctx.rules);
      if (regressions.length > 0) {
        item(
          rc,
          'RED',
          'security-regression',
          action,
          [...new Set(regressions.map((r) => r.attribute))].join(', '),
          regressions.map((r) => r.description).join('; '),
        );
      }
    }
    if (
      action !== 'no-op' &&
      action !== 'read' &&
      action !== 'move' &&
      (action !== 'create' || hasPriorState) &&
      ctx.rules.dataTierRuleTypes.has(rc.type) &&
      ctx.rules.dataTierPatterns.some(
        (p) => p.test(rc.address) || p.test(constructPathOf(input.stack, rc.address, ctx)),
      )
    ) {
      item(
        rc,
        'AMBER',
        'data-tier-rule',
        action,
        action === 'delete' ? causeOf(rc) : changedAttributes(rc).join(', ') || action,
        `data-tier security group rule ${action === 'create' ? 'added' : action === 'update' ? 'changed' : 'removed'}`,
      );
    }
  }

  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    if (!oc.actions.includes('update') && !oc.actions.includes('delete')) continue;
    const consumers = ctx.synth.consumersOf(input.stack, name);
    if (consumers.length === 0 && !name.startsWith('cross-stack-output-')) continue;
    const stale = consumers.filter((c) => ctx.plannedStacks.has(c));
    const sensitive = oc.after_sensitive === true || oc.before_sensitive === true;
    const change = oc.actions.includes('delete')
      ? 'removed'
      : oc.after_unknown === true
        ? 'changes (known after apply)'
        : sensitive
          ? 'changes (sensitive value)'
          : `changes ${show(oc.before)} -> ${show(oc.after)}`;
    items.push({
      severity: 'AMBER',
      stack: input.stack,
      address: `output.${name}`,
      summary: `cross-stack output ${change}; ${
        consumers.length === 0
          ? 'no consumer found in the synthesized app'
          : `consumers planned against the old value: ${stale.length > 0 ? stale.join(', ') : 'none in this run'}${
              consumers.length > stale.length
                ? ` (also read by ${consumers.filter((c) => !stale.includes(c)).join(', ')})`
                : ''
            }`
      }`,
      rule: 'cross-stack-output',
      resourceType: 'output',
      constructPath: input.stack,
      action: 'output',
      cause: oc.actions.includes('delete') ? REMOVED : 'value',
      guard: 'none',
      nextStep: ctx.rules.nextSteps['cross-stack-output'],
      staleConsumers: stale,
    });
  }

  const flagged = new Set(items.map((i) => i.address));
  items.push(
    ...foldGreenChanges(
      input.stack,
      changes.filter((rc) => !flagged.has(rc.address) && !paired.has(rc)),
      ctx.rules,
    ),
  );
  return { items, review: stackReview(input.stack, plan, changes), errors: [] };
}

function classifyFailedPlan(
  stack: string,
  blocks: ReturnType<typeof preventDestroyBlocks>,
  failures: readonly PlanDiagnostic[],
  ctx: ClassifyContext,
  noPlan: boolean,
): StackClassification {
  const errors = failures.map((d) => `${stack}: plan failed: ${d.summary}${d.detail ? `: ${d.detail}` : ''}`);
  if (noPlan && blocks.length === 0 && failures.length === 0)
    errors.push(`${stack}: no plan and no error diagnostics (the plan log holds no result)`);
  const items: ReviewItem[] = blocks.map((b) => {
    const resource = ctx.synth.resource(stack, b.address);
    const type = b.address.split('.')[0] ?? '';
    return {
      severity: 'RED',
      stack,
      address: b.address,
      summary: `plan stopped by prevent_destroy: the change destroys ${type}${resource ? ' although it is still in the configuration (a forced replacement)' : ''}`,
      rule: 'prevent-destroy',
      resourceType: type,
      constructPath: resource?.constructPath ?? '(not in the synthesized app)',
      action: 'blocked',
      cause: resource ? blockedCause(stack, b.address, ctx) : REMOVED,
      guard: 'prevent_destroy',
      nextStep: ctx.rules.nextSteps['prevent-destroy'],
    };
  });
  return {
    items,
    errors,
    review: {
      stack,
      status: 'failed',
      planSha256: diagnosticsSha256(blocks),
      counts: { add: 0, change: 0, destroy: 0, replace: 0, move: 0 },
      changes: { create: [], update: [], delete: [], replace: [], move: [] },
      outputChanges: [],
    },
  };
}

/**
 * A blocked plan does not say which attribute forced the replacement; with the previous synth,
 * the configured attributes that differ name the suspects.
 */
function blockedCause(stack: string, address: string, ctx: ClassifyContext): string {
  const now = ctx.synth.config(stack, address);
  const before = ctx.previousSynth?.config(stack, address);
  if (!now || !before) return 'an attribute that forces replacement';
  const keys = [...new Set([...Object.keys(now), ...Object.keys(before)])].filter((k) => k !== '//');
  const changed = keys.filter((k) => JSON.stringify(now[k]) !== JSON.stringify(before[k])).sort();
  return changed.length > 0
    ? `configuration changed: ${changed.join(', ')}`
    : 'an attribute that forces replacement';
}

/**
 * The configuration resources of a renamed construct (a bucket's versioning, policy, ...) often
 * have no known identity in the plan (`bucket = aws_s3_bucket.new.id`, known after apply). When
 * a rename moved construct `a/media/bucket` to `a/assets/bucket`, a deleted `a/media/<x>` and a
 * created `a/assets/<x>` of the same type are the same resource moving with it.
 */
function withSiblingRenames(
  pairs: readonly RenamePair[],
  changes: readonly ResourceChange[],
  stack: string,
  ctx: ClassifyContext,
): RenamePair[] {
  const result = [...pairs];
  const taken = new Set(pairs.flatMap((p) => [p.from, p.to]));
  const parent = (p: string) => p.slice(0, p.lastIndexOf('/'));
  for (const pair of pairs) {
    const oldPath = ctx.previousSynth?.resource(stack, pair.from.address)?.constructPath;
    const newPath = ctx.synth.resource(stack, pair.to.address)?.constructPath;
    if (!oldPath || !newPath || parent(oldPath) === parent(newPath)) continue;
    const [from, to] = [parent(oldPath), parent(newPath)];
    for (const deleted of changes) {
      if (taken.has(deleted) || resourceAction(deleted) !== 'delete') continue;
      const path = ctx.previousSynth?.resource(stack, deleted.address)?.constructPath;
      if (!path?.startsWith(`${from}/`)) continue;
      const target = `${to}${path.slice(from.length)}`;
      const created = changes.find(
        (c) =>
          !taken.has(c) &&
          c.type === deleted.type &&
          resourceAction(c) === 'create' &&
          ctx.synth.resource(stack, c.address)?.constructPath === target,
      );
      if (!created) continue;
      taken.add(deleted);
      taken.add(created);
      result.push({ from: deleted, to: created, identity: pair.identity });
    }
  }
  return result;
}

/** Rename pairs of one construct (a bucket and its configuration resources) reported together. */
function groupRenames(pairs: readonly RenamePair[], ctx: ClassifyContext): RenamePair[][] {
  const groups = new Map<string, RenamePair[]>();
  for (const pair of pairs) {
    const key = pair.identity.replace(/^[a-z_]+ = /, '');
    groups.set(key, [...(groups.get(key) ?? []), pair]);
  }
  // The stateful resource leads its group (it is what the review is about).
  return [...groups.values()].map((g) =>
    [...g].sort(
      (a, b) =>
        Number(isStateful(ctx.rules, b.from.type, ctx.environment)) -
        Number(isStateful(ctx.rules, a.from.type, ctx.environment)),
    ),
  );
}

function riskyChanges(rc: ResourceChange, rules: ReviewRules): { attribute: string; text: string }[] {
  const risky = rules.riskyUpdates[rc.type] ?? [];
  const changed = new Set(changedAttributes(rc));
  const found: { attribute: string; text: string }[] = [];
  for (const r of risky) {
    if (!changed.has(r.attribute)) continue;
    const before = rc.change.before?.[r.attribute];
    const after = rc.change.after?.[r.attribute];
    const unknown = rc.change.after_unknown?.[r.attribute] === true;
    if (r.kind === 'major-version') {
      if (unknown || majorOf(before) === majorOf(after)) continue;
      const allowed = rc.change.after?.allow_major_version_upgrade === true;
      const note =
        rc.type === 'aws_db_instance' && !allowed
          ? ' without allow_major_version_upgrade: AWS rejects the apply'
          : ' (major upgrade: downtime, no downgrade)';
      found.push({ attribute: r.attribute, text: `${r.attribute} ${show(before)} -> ${show(after)}${note}` });
      continue;
    }
    found.push({
      attribute: r.attribute,
      text: `${r.attribute} ${show(before)} -> ${unknown ? '(known after apply)' : show(after)}`,
    });
  }
  return found;
}

function majorOf(version: Json): string {
  return typeof version === 'string' ? (version.split('.')[0] ?? version) : String(version);
}

/** The attribute forcing a replacement, or why a resource is deleted. */
export function causeOf(rc: ResourceChange): string {
  switch (rc.action_reason) {
    case 'delete_because_no_resource_config':
      return REMOVED;
    case 'delete_because_no_module':
      return 'module removed from configuration';
    case 'delete_because_count_index':
    case 'delete_because_each_key':
    case 'delete_because_wrong_repetition':
      return `instance ${rc.index ?? ''} no longer in count/for_each`.replace('  ', ' ');
    case 'replace_because_tainted':
      return 'tainted';
    case 'replace_by_request':
      return 'replacement requested (-replace)';
    case 'replace_by_triggers':
      return 'replace_triggered_by';
    default:
      break;
  }
  const paths = rc.change.replace_paths ?? [];
  if (paths.length > 0)
    return [...new Set(paths.map((p) => p.filter((s) => typeof s === 'string').join('.')))].join(', ');
  return resourceAction(rc) === 'delete' ? REMOVED : 'replacement forced';
}

function constructPathOf(stack: string, address: string, ctx: ClassifyContext): string {
  const current = ctx.synth.resource(stack, address);
  if (current) return current.constructPath;
  const previous = ctx.previousSynth?.resource(stack, address);
  if (previous) return `${previous.constructPath} (removed)`;
  return '(not in the synthesized app)';
}

function guardText(stack: string, rc: ResourceChange, ctx: ClassifyContext): string {
  const inConfig = ctx.synth.resource(stack, rc.address);
  const wasProtected = ctx.previousSynth?.resource(stack, rc.address)?.preventDestroy === true;
  const guards = guardsPresent(rc.type, rc.change.before, ctx.rules, inConfig?.preventDestroy);
  if (!inConfig && wasProtected) guards.unshift('prevent_destroy no longer applies (left the configuration)');
  return guards.length > 0 ? guards.join('; ') : 'none';
}

function show(value: Json): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function stackReview(
  stack: string,
  plan: PlanDocument,
  changes: readonly ResourceChange[],
): StackReview {
  const counts: StackCounts = { add: 0, change: 0, destroy: 0, replace: 0, move: 0 };
  const groups: StackReview['changes'] = { create: [], update: [], delete: [], replace: [], move: [] };
  for (const rc of changes) {
    const action = resourceAction(rc);
    if (rc.previous_address && rc.previous_address !== rc.address) {
      counts.move++;
      groups.move.push(`${rc.previous_address} -> ${rc.address}`);
    }
    if (action === 'create') counts.add++;
    if (action === 'update') counts.change++;
    if (action === 'delete') counts.destroy++;
    if (action === 'replace') counts.replace++;
    if (action === 'create' || action === 'update' || action === 'delete' || action === 'replace')
      groups[action].push(rc.address);
  }
  const outputChanges = Object.entries(plan.output_changes ?? {})
    .filter(([, oc]) => !oc.actions.every((a) => a === 'no-op'))
    .map(([name]) => name);
  return { stack, status: 'planned', planSha256: planSha256(plan), counts, changes: groups, outputChanges };
}
