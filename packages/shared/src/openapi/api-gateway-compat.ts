/**
 * API Gateway REST turns `components.schemas` into models, validated as JSON Schema draft 4 and
 * with a few keywords rejected at import. This rewrites a generated schema into that subset
 * without loosening what a body must satisfy, except where draft 4 cannot say it (noted below).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Keywords dropped everywhere: identifiers, annotations and draft 6+/OpenAPI-only keywords. */
const DROPPED_KEYWORDS = new Set([
  '$schema',
  '$id',
  'id',
  'examples',
  'example',
  'discriminator',
  'readOnly',
  'writeOnly',
  'deprecated',
  'propertyNames', // draft 6; only ever a restatement of the record's key type here
  'contentEncoding',
  'contentMediaType',
]);

/** Schema-valued keywords whose value is a schema; recursed into. */
const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'not', 'additionalItems'] as const;
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions'] as const;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns an API Gateway-compatible copy of one JSON schema (the input is not modified). */
export function toApiGatewaySchema(schema: JsonObject): JsonObject {
  if ('$defs' in schema) {
    throw new Error('Schema has $defs: register the repeated schema as an OpenAPI component instead');
  }
  if ('if' in schema || 'then' in schema || 'else' in schema) {
    throw new Error('Schema uses if/then/else, which API Gateway (draft 4) cannot validate');
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (key === 'const') {
      out.enum = [value];
      continue;
    }
    if (key === 'format' && (value === 'int32' || value === 'int64' || value === 'decimal')) continue;
    if ((SCHEMA_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      out[key] = toApiGatewaySchema(value);
      continue;
    }
    if ((SCHEMA_LIST_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((item) => (isObject(item) ? toApiGatewaySchema(item) : item));
      continue;
    }
    if ((SCHEMA_MAP_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, item]) => [name, isObject(item) ? toApiGatewaySchema(item) : item]),
      );
      continue;
    }
    out[key] = value;
  }
  rewriteExclusiveBound(out, 'exclusiveMinimum', 'minimum', 1);
  rewriteExclusiveBound(out, 'exclusiveMaximum', 'maximum', -1);
  return out;
}

/**
 * API Gateway rejects `exclusiveMinimum`/`exclusiveMaximum`. For integers the exclusive bound
 * becomes the next inclusive one; for other numbers the inclusive bound is kept (slightly looser:
 * the function's zod validation still rejects the boundary value itself).
 */
function rewriteExclusiveBound(
  schema: JsonObject,
  exclusive: 'exclusiveMinimum' | 'exclusiveMaximum',
  inclusive: 'minimum' | 'maximum',
  step: 1 | -1,
): void {
  const flag = schema[exclusive];
  if (flag === undefined) return;
  delete schema[exclusive];
  // Draft 4 / OpenAPI 3.0 form: boolean flag next to minimum; draft 6+ form: the bound itself.
  const bound = typeof flag === 'number' ? flag : schema[inclusive];
  if (typeof bound !== 'number') return;
  if (flag === false) {
    schema[inclusive] = bound;
    return;
  }
  schema[inclusive] = schema.type === 'integer' ? bound + step : bound;
}

/** Keywords (anywhere in a schema) that API Gateway does not accept; used by tests and as a guard. */
export function findApiGatewayIncompatibilities(schema: JsonValue, path = '#'): string[] {
  const problems: string[] = [];
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => {
      problems.push(...findApiGatewayIncompatibilities(item, `${path}/${i}`));
    });
    return problems;
  }
  if (!isObject(schema)) return problems;
  for (const [key, value] of Object.entries(schema)) {
    const here = `${path}/${key}`;
    // Property names are data, not keywords.
    if (key === 'properties' && isObject(value)) {
      for (const [name, item] of Object.entries(value)) {
        problems.push(...findApiGatewayIncompatibilities(item, `${here}/${name}`));
      }
      continue;
    }
    if (
      DROPPED_KEYWORDS.has(key) ||
      ['const', '$defs', 'if', 'then', 'else', 'exclusiveMinimum', 'exclusiveMaximum'].includes(key)
    ) {
      problems.push(here);
    }
    if (key === 'format' && (value === 'int32' || value === 'int64' || value === 'decimal'))
      problems.push(here);
    if (typeof value === 'object' && value !== null && key !== 'enum' && key !== 'required') {
      problems.push(...findApiGatewayIncompatibilities(value, here));
    }
  }
  return problems;
}
