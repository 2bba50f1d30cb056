import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Json } from './plan-json.js';
import { runTerraform, type TerraformCli } from './terraform-cli.js';

/**
 * Resource schemas of the providers a stack uses (`terraform providers schema -json`), compacted
 * to what building a state needs: per resource type, its schema version and block (attributes
 * with cty types, nested block types with their nesting mode).
 */
interface ResourceSchema {
  readonly version: number;
  readonly block: SchemaBlock;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, { readonly type?: Json; readonly nested_type?: Json }>>;
  readonly block_types?: Readonly<
    Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>
  >;
}

export type ResourceSchemas = Readonly<Record<string, ResourceSchema>>;

function resourceSchemasOf(schemaJson: Json): ResourceSchemas {
  const result: Record<string, ResourceSchema> = {};
  for (const provider of Object.values<Json>(schemaJson.provider_schemas ?? {})) {
    for (const [type, resource] of Object.entries<Json>(provider.resource_schemas ?? {}))
      result[type] = { version: resource.version ?? 0, block: compact(resource.block ?? {}) };
  }
  return result;
}

function compact(block: Json): SchemaBlock {
  const attributes: Record<string, Json> = {};
  for (const [name, a] of Object.entries<Json>(block.attributes ?? {}))
    attributes[name] = a.type !== undefined ? { type: a.type } : { nested_type: a.nested_type };
  const blockTypes: Record<string, Json> = {};
  for (const [name, b] of Object.entries<Json>(block.block_types ?? {}))
    blockTypes[name] = { nesting_mode: b.nesting_mode, block: compact(b.block ?? {}) };
  return { attributes, block_types: blockTypes };
}

/** Reads the schemas once per work directory (cached as JSON: the full dump is tens of MB). */
export async function loadResourceSchemas(
  cli: TerraformCli,
  initializedStackDir: string,
  cacheDir: string,
): Promise<ResourceSchemas> {
  const cache = path.join(cacheDir, 'aws-resource-schemas.json');
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as ResourceSchemas;
  const schema = await runTerraform(cli, initializedStackDir, ['providers', 'schema', '-json']);
  if (schema.code !== 0) throw new Error(`terraform providers schema failed:\n${schema.stderr}`);
  const schemas = resourceSchemasOf(JSON.parse(schema.stdout));
  writeFileSync(cache, JSON.stringify(schemas));
  return schemas;
}
