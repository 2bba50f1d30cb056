import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The zod every schema of the project is written with: `zod/mini`, the functional API over the same
 * core as classic zod (same parsing, issues and JSON Schema output) without classic's method-chaining
 * layer, which costs every Lambda function that imports a schema several times more to load. Checks go
 * in `.check(...)` and wrappers are functions: `z.string().check(z.minLength(1), z.regex(re))`,
 * `z.optional(schema)`, `z.int().check(z.gte(0))`.
 *
 * Import it as a namespace (`import * as z from './zod.js'`, or `@bandup/shared/zod` outside this
 * package) so that bundlers keep only the parts a function uses.
 *
 * zod/mini ships no error messages of its own; English (classic zod's default) is configured here so
 * that a 400 says what is wrong with each field.
 */
config(en());

export * from 'zod/mini';
