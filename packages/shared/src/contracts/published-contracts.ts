import { buildOpenApiDocument } from '../openapi/build-document.js';

/** A machine-readable contract the build publishes for the backend team, as one JSON file. */
export interface PublishedContract {
  /** File name under `dist/contracts/` and `docs/api/`. */
  readonly file: string;
  readonly description: string;
  readonly build: () => unknown;
}

/**
 * Completion event schema(s), published next to the OpenAPI document. The event schema is defined
 * with the completion events themselves; its entry (`job-event.schema.json`, built by that schema's
 * JSON Schema export) belongs in this list, which is what the build and the freshness test iterate.
 */
export const EVENT_SCHEMA_CONTRACTS: readonly PublishedContract[] = [];

/** Everything `pnpm --filter @bandup/shared contracts` writes to `docs/api/` (and the build to `dist/contracts/`). */
export const PUBLISHED_CONTRACTS: readonly PublishedContract[] = [
  {
    file: 'openapi.json',
    description: 'The AI API as OpenAPI 3.0.1, generated from the shared zod schemas',
    build: () => buildOpenApiDocument(),
  },
  ...EVENT_SCHEMA_CONTRACTS,
];

/** The exact text of a published contract file (stable formatting, trailing newline). */
export function contractText(contract: PublishedContract): string {
  return `${JSON.stringify(contract.build(), null, 2)}\n`;
}
