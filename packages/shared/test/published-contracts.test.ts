import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, contractText, PUBLISHED_CONTRACTS } from '../src/index.js';

const docsApi = new URL('../../../docs/api/', import.meta.url);

describe('published contracts (docs/api)', () => {
  it('publishes the OpenAPI document', () => {
    const openapi = PUBLISHED_CONTRACTS.find((c) => c.file === 'openapi.json');
    expect(openapi?.build()).toEqual(buildOpenApiDocument());
  });

  it.each(PUBLISHED_CONTRACTS.map((c) => [c.file, c] as const))(
    'docs/api/%s is current (regenerate: pnpm --filter @bandup/shared contracts)',
    (file, contract) => {
      const committed = readFileSync(new URL(file, docsApi), 'utf8');
      expect(committed).toBe(contractText(contract));
    },
  );
});
