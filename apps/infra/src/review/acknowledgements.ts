import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { IgnoredAcknowledgement, ReviewItem } from './review-model.js';

/**
 * Acknowledgements: a committed, reviewed file saying "this RED/AMBER finding, in exactly this
 * plan, is intended". Each one names the stack, the address, the plan's SHA-256 (see
 * plan-hash.ts), a reason and an expiry date; it counts for nothing else.
 */

const AcknowledgementSchema = z.object({
  stack: z.string().min(1),
  address: z.string().min(1),
  planSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex (64 characters)'),
  reason: z.string().trim().min(10, 'say why (at least 10 characters)'),
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
});

const FileSchema = z.object({
  $comment: z.string().optional(),
  acknowledgements: z.array(AcknowledgementSchema),
});

export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;

export const DEFAULT_ACKS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../plan-review/acknowledgements.json',
);

export function parseAcknowledgements(doc: unknown, source: string): Acknowledgement[] {
  const parsed = FileSchema.safeParse(doc);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid acknowledgements in ${source}:\n${fields.join('\n')}`);
  }
  for (const [i, ack] of parsed.data.acknowledgements.entries()) {
    if (Number.isNaN(Date.parse(`${ack.expires}T00:00:00Z`)))
      throw new Error(
        `Invalid acknowledgements in ${source}:\n  - acknowledgements.${i}.expires: not a date`,
      );
  }
  return parsed.data.acknowledgements;
}

/** A missing default file means no acknowledgements; a missing explicit file is an error. */
export function loadAcknowledgements(file: string, explicit: boolean): Acknowledgement[] {
  if (!existsSync(file)) {
    if (explicit) throw new Error(`--acks ${file}: no such file`);
    return [];
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read acknowledgements ${file}: ${(error as Error).message}`);
  }
  return parseAcknowledgements(doc, file);
}

export interface AcknowledgementResult {
  readonly items: ReviewItem[];
  readonly ignored: IgnoredAcknowledgement[];
}

/**
 * Marks RED/AMBER items acknowledged when an entry matches stack, address and the stack's plan
 * hash and has not expired (the expiry day is still valid, in UTC). Entries that match an item's
 * address but not its hash, or have expired, are reported as ignored with the reason.
 */
export function applyAcknowledgements(
  items: readonly ReviewItem[],
  acks: readonly Acknowledgement[],
  planHashes: ReadonlyMap<string, string>,
  now: Date,
): AcknowledgementResult {
  const today = now.toISOString().slice(0, 10);
  const ignored: IgnoredAcknowledgement[] = [];
  const used = new Set<Acknowledgement>();
  const result = items.map((item) => {
    if (item.severity === 'GREEN') return item;
    const candidates = acks.filter((a) => a.stack === item.stack && a.address === item.address);
    const hash = planHashes.get(item.stack);
    for (const ack of candidates) {
      if (ack.planSha256 !== hash) continue;
      if (ack.expires < today) continue;
      used.add(ack);
      return { ...item, acknowledged: { reason: ack.reason, expires: ack.expires } };
    }
    for (const ack of candidates) {
      if (used.has(ack)) continue;
      used.add(ack);
      ignored.push({
        stack: ack.stack,
        address: ack.address,
        why:
          ack.planSha256 !== hash
            ? `for plan ${ack.planSha256.slice(0, 12)}…, this plan is ${hash?.slice(0, 12) ?? 'unknown'}…`
            : `expired ${ack.expires}`,
      });
    }
    return item;
  });
  return { items: result, ignored };
}
