import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The classification rules of the plan review, read from `plan-review/rules.json`: what is RED,
 * AMBER or GREEN lives in that reviewed, versioned file, not in the engine.
 */

const typeList = z.array(z.string().regex(/^[a-z0-9_]+$/, 'a Terraform resource type'));
const withoutComment = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ $comment: z.string().optional(), ...shape });

const RulesSchema = withoutComment({
  version: z.string().min(1),
  stateful: withoutComment({
    always: typeList,
    prodOnly: typeList,
    prodEnvironments: z.array(z.string()),
  }),
  identityAttributes: z.record(z.string(), z.union([z.array(z.string()), z.string()])),
  guardResources: z.record(
    z.string(),
    z.union([
      z.object({ label: z.string(), parentType: z.string(), parentAttribute: z.string() }),
      z.string(),
    ]),
  ),
  guardAttributes: z.array(
    z.object({ type: z.string(), path: z.string(), safe: z.unknown(), label: z.string() }),
  ),
  riskyUpdates: z.record(
    z.string(),
    z.union([
      z.array(z.object({ attribute: z.string(), kind: z.enum(['any', 'major-version']).default('any') })),
      z.string(),
    ]),
  ),
  amberReplace: typeList,
  dataTierRules: withoutComment({ types: typeList, patterns: z.array(z.string()) }),
  security: z.object({
    publicCidrs: z.array(z.string()),
    publicPorts: z.array(z.number().int()),
    policyAttributes: z.record(z.string(), z.array(z.string())),
  }),
  green: z.object({
    releaseTypes: typeList,
    releaseFollowers: z.record(z.string(), z.array(z.string())),
    lambdaCode: z.record(z.string(), z.array(z.string())),
    tagAttributes: z.array(z.string()),
  }),
  nextSteps: z.object({
    'stateful-delete': z.string(),
    'stateful-replace': z.string(),
    rename: z.string(),
    'guard-removed': z.string(),
    'prevent-destroy': z.string(),
    'security-regression': z.string(),
    'risky-update': z.string(),
    'amber-replace': z.string(),
    'data-tier-rule': z.string(),
    'cross-stack-output': z.string(),
    'cost-increase': z.string(),
  }),
  cost: z.object({ amberMonthlyIncreaseUsd: z.number().nonnegative() }),
});

export type RuleId = keyof z.infer<typeof RulesSchema>['nextSteps'];

interface GuardResource {
  readonly label: string;
  readonly parentType: string;
  readonly parentAttribute: string;
}

interface RiskyAttribute {
  readonly attribute: string;
  readonly kind: 'any' | 'major-version';
}

/** Rules with the `$comment` entries dropped and patterns compiled. */
export interface ReviewRules {
  readonly version: string;
  readonly statefulAlways: ReadonlySet<string>;
  readonly statefulProdOnly: ReadonlySet<string>;
  readonly prodEnvironments: ReadonlySet<string>;
  readonly identityAttributes: Readonly<Record<string, readonly string[]>>;
  readonly guardResources: Readonly<Record<string, GuardResource>>;
  readonly guardAttributes: readonly { type: string; path: string; safe: unknown; label: string }[];
  readonly riskyUpdates: Readonly<Record<string, readonly RiskyAttribute[]>>;
  readonly amberReplace: ReadonlySet<string>;
  readonly dataTierRuleTypes: ReadonlySet<string>;
  readonly dataTierPatterns: readonly RegExp[];
  readonly security: z.infer<typeof RulesSchema>['security'];
  readonly green: z.infer<typeof RulesSchema>['green'];
  readonly nextSteps: Readonly<Record<RuleId, string>>;
  readonly amberMonthlyIncreaseUsd: number;
}

export const DEFAULT_RULES_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../plan-review/rules.json',
);

/** Validates a rules document; a bad one fails naming the field and the file. */
function parseRules(doc: unknown, source: string): ReviewRules {
  const parsed = RulesSchema.safeParse(doc);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid plan review rules in ${source}:\n${fields.join('\n')}`);
  }
  const r = parsed.data;
  const dropComment = <V>(record: Record<string, V | string>) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => k !== '$comment')) as Record<string, V>;
  const patterns = r.dataTierRules.patterns.map((p, i) => {
    try {
      return new RegExp(p);
    } catch (error) {
      throw new Error(
        `Invalid plan review rules in ${source}:\n  - dataTierRules.patterns.${i}: ${(error as Error).message}`,
      );
    }
  });
  return {
    version: r.version,
    statefulAlways: new Set(r.stateful.always),
    statefulProdOnly: new Set(r.stateful.prodOnly),
    prodEnvironments: new Set(r.stateful.prodEnvironments),
    identityAttributes: dropComment<string[]>(r.identityAttributes),
    guardResources: dropComment<GuardResource>(r.guardResources),
    guardAttributes: r.guardAttributes,
    riskyUpdates: dropComment<RiskyAttribute[]>(r.riskyUpdates),
    amberReplace: new Set(r.amberReplace),
    dataTierRuleTypes: new Set(r.dataTierRules.types),
    dataTierPatterns: patterns,
    security: r.security,
    green: r.green,
    nextSteps: r.nextSteps,
    amberMonthlyIncreaseUsd: r.cost.amberMonthlyIncreaseUsd,
  };
}

export function loadRules(file: string = DEFAULT_RULES_FILE): ReviewRules {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read plan review rules ${file}: ${(error as Error).message}`);
  }
  return parseRules(doc, file);
}

/** Delete/replace of this type is RED in this environment. */
export function isStateful(rules: ReviewRules, type: string, environment: string): boolean {
  return (
    rules.statefulAlways.has(type) ||
    (rules.statefulProdOnly.has(type) && rules.prodEnvironments.has(environment))
  );
}
