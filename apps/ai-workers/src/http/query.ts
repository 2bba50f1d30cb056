import type * as z from '@bandup/shared/zod';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { badRequest, type FieldProblem } from './http-error.js';

/** One query parameter a route reads: its schema and whether it must be present. */
export interface QueryParameterSpec {
  readonly schema: z.ZodMiniType<string>;
  readonly required: boolean;
}

export type QueryValues<S extends Record<string, QueryParameterSpec>> = {
  readonly [K in keyof S]: S[K]['required'] extends true ? string : string | undefined;
};

/**
 * Reads and validates a route's query parameters: one 400 lists every missing, invalid or unknown
 * parameter (as `query.<name>`), so a caller sees all its mistakes at once.
 */
export function readQuery<S extends Record<string, QueryParameterSpec>>(
  event: APIGatewayProxyEvent,
  spec: S,
): QueryValues<S> {
  const query = event.queryStringParameters ?? {};
  const problems: FieldProblem[] = [];
  const values: Record<string, string | undefined> = {};
  for (const [name, { schema, required }] of Object.entries(spec)) {
    const raw = query[name];
    if (raw === undefined || raw === null) {
      if (required) problems.push({ path: `query.${name}`, message: 'Required' });
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push({ path: `query.${name}`, message: parsed.error.issues[0]?.message ?? 'Invalid' });
  }
  for (const name of Object.keys(query)) {
    if (!(name in spec)) problems.push({ path: `query.${name}`, message: 'Unknown query parameter' });
  }
  if (problems.length > 0) throw badRequest('Query parameters are invalid', problems);
  return values as QueryValues<S>;
}
