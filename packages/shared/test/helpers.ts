import type { z } from 'zod/mini';
import { type FieldError, formatIssues } from '../src/index.js';

export const USER = 'user_42';
export const UUID = '3f1c2a4e-9b7d-4c1e-8f2a-6d5b4c3a2e1f';
export const JOB_ID = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';

/** Parses and returns the formatted field errors (empty when the value is valid). */
export function fieldErrors(schema: z.ZodMiniType, value: unknown): FieldError[] {
  const result = schema.safeParse(value);
  return result.success ? [] : formatIssues(result.error);
}

/** Paths of the field errors, sorted. */
export function errorPaths(schema: z.ZodMiniType, value: unknown): string[] {
  return fieldErrors(schema, value)
    .map((e) => e.path)
    .sort();
}
