import { buildOpenApiDocument } from '../openapi/build-document.js';
import { buildJobEventJsonSchema } from '../schemas/job-event.js';

/** A machine-readable contract the build publishes for the backend team, as one JSON file. */
export interface PublishedContract {
  /** File name under `dist/contracts/` and `docs/api/`. */
  readonly file: string;
  readonly description: string;
  readonly build: () => unknown;
}

/** Completion event schema(s), published next to the OpenAPI document for the backend's queue consumer. */
export const EVENT_SCHEMA_CONTRACTS: readonly PublishedContract[] = [
  {
    file: 'job-event.schema.json',
    description: 'The job completion event the backend receives on its SQS FIFO queue, as JSON Schema',
    build: () => buildJobEventJsonSchema(),
  },
];

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
