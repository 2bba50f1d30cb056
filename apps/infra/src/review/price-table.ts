import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The dated price table (`plan-review/prices.json`): per region, the fixed charges that make the
 * monthly estimate and the unit prices of usage-billed resource types (listed, never summed).
 */
const money = z.number().nonnegative();
const RegionSchema = z.object({
  natGatewayHour: money,
  albHour: money,
  publicIpv4Hour: money,
  interfaceEndpointAzHour: money,
  fargateVcpuHour: money,
  fargateGbHour: money,
  fargateArmVcpuHour: money,
  fargateArmGbHour: money,
  fargateSpotDiscount: z.number().min(0).max(1),
  kmsKeyMonth: money,
  secretMonth: money,
  alarmMonth: money,
  dashboardMonth: money,
  wafWebAclMonth: money,
  wafRuleMonth: money,
  route53ZoneMonth: money,
  codepipelineV1Month: money,
  rdsInstanceHour: z.record(z.string(), money),
  rdsStorageGbMonth: z.record(z.string(), money),
  rdsProvisionedIopsMonth: z.record(z.string(), money),
  rdsGp3IncludedIops: z.number().int().nonnegative(),
  cacheNodeHour: z.record(z.string(), money),
  cacheValkeyDiscount: z.number().min(0).max(1),
  /** Resource type -> unit ("per million requests") -> price. */
  usage: z.record(z.string().regex(/^aws_[a-z0-9_]+$/, 'a resource type'), z.record(z.string(), money)),
});

const TableSchema = z.object({
  $comment: z.string().optional(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  /** The pricing pages the prices were taken from. */
  source: z.array(z.string().min(1)).min(1, 'name the pricing pages the prices come from'),
  currency: z.literal('USD'),
  hoursPerMonth: z.number().positive(),
  regions: z.record(z.string(), RegionSchema),
});

export type PriceTable = z.infer<typeof TableSchema>;
export type RegionPrices = z.infer<typeof RegionSchema>;

export const DEFAULT_PRICES_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../plan-review/prices.json',
);

export function parsePriceTable(doc: unknown, source: string): PriceTable {
  const parsed = TableSchema.safeParse(doc);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid price table ${source}:\n${fields.join('\n')}`);
  }
  return parsed.data;
}

export function loadPriceTable(file: string = DEFAULT_PRICES_FILE): PriceTable {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read price table ${file}: ${(error as Error).message}`);
  }
  return parsePriceTable(doc, file);
}
