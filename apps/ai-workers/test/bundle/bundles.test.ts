import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTION_NAMES, UploadResponseSchema } from '@bandup/shared';
import { describe, expect, it } from 'vitest';
import { bundleSizes, ENTRY_BUDGET_BYTES, loadedInputs } from '../../scripts/bundle-sizes.js';
import { LAMBDA_CATALOGUE_ENV } from '../support/catalogue-env.js';
import { apiEvent, lambdaContext } from '../support/events.js';

/**
 * The built bundles (`pnpm build`; turbo runs it before `test`) run as Lambda runs them: a fresh Node
 * process imports `dist/<fn>/index.mjs` (ESM, CommonJS shims from the banner) and calls `handler`.
 */
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const uploadBundle = join(dist, 'upload', 'index.mjs');
const built = existsSync(uploadBundle);
if (!built) console.warn(`bundle tests skipped: ${uploadBundle} does not exist (run pnpm build)`);

function invoke(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
): { statusCode: number; body: string } {
  const script = `
    const { handler } = await import(process.argv[1]);
    const [event, context] = JSON.parse(process.argv[2]);
    context.getRemainingTimeInMillis = () => 10000;
    process.stdout.write(JSON.stringify(await handler(event, context)));`;
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      script,
      pathToFileURL(bundle).href,
      JSON.stringify([event, lambdaContext('upload')]),
    ],
    { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out) as { statusCode: number; body: string };
}

describe.skipIf(!built)('Lambda bundles', () => {
  it('the upload bundle loads in a fresh process and answers a real API Gateway event', () => {
    const env = {
      AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: 'AKIDTESTONLY',
      AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
      BANDUP_ENV: 'dev',
      BANDUP_DATA_BUCKET: 'bandup-dev-ai-data',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
    const event = apiEvent({
      resource: '/v1/uploads',
      body: { userId: 'learner-1', kind: 'documents', contentType: 'text/plain', sizeBytes: 100 },
    });
    const answer = invoke(uploadBundle, event, env);
    expect(answer.statusCode).toBe(200);
    expect(UploadResponseSchema.parse(JSON.parse(answer.body)).key).toMatch(
      /^uploads\/documents\/learner-1\/.+\.txt$/,
    );

    const invalid = invoke(uploadBundle, apiEvent({ resource: '/v1/uploads', body: '{' }), env);
    expect(invalid.statusCode).toBe(400);
  });

  it('a bundle refuses to start without its catalogue environment, naming the variables', () => {
    expect(() => invoke(uploadBundle, {}, { AWS_REGION: 'ap-southeast-1' })).toThrow(/BANDUP_DATA_BUCKET/);
  });
});

/**
 * What a cold start loads is a budget: the entry file of every function stays within it, and the
 * heavy modules only some invocations need stay out of the init path of every function.
 */
describe.skipIf(!built)('cold-start budget of the bundles', () => {
  it.each(FUNCTION_NAMES)('%s: the entry file is at most the budget', (name) => {
    expect(bundleSizes(join(dist, name)).entryBytes).toBeLessThanOrEqual(ENTRY_BUDGET_BYTES);
  });

  it.each(FUNCTION_NAMES)('%s: no X-Ray SDK, no classic zod, no PDF.js at init', (name) => {
    const loaded = loadedInputs(join(dist, name));
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((input) => /aws-xray-sdk|powertools\/tracer|cls-hooked/.test(input))).toEqual([]);
    expect(loaded.filter((input) => /\/zod\/v4\/classic\//.test(input))).toEqual([]);
    expect(loaded.filter((input) => /pdfjs/.test(input))).toEqual([]);
  });

  it.each(FUNCTION_NAMES)(
    '%s: S3 and Transcribe go through the light client, never the SDK clients',
    (name) => {
      const meta = JSON.parse(readFileSync(join(dist, name, 'meta.json'), 'utf8')) as {
        inputs: Record<string, unknown>;
      };
      // Not even in a lazily loaded chunk: the SDK's S3 client is ~350 KiB of code no function needs.
      expect(
        Object.keys(meta.inputs).filter((input) => /@aws-sdk\/client-(s3|transcribe)\//.test(input)),
      ).toEqual([]);
    },
  );

  it.each(FUNCTION_NAMES)('%s: bundles none of the OpenAPI document code (a build-time concern)', (name) => {
    const meta = JSON.parse(readFileSync(join(dist, name, 'meta.json'), 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
    };
    // Importing one constant from the API operations table once built every route's schemas at each
    // cold start of `submit` (~13 ms); runtime code takes its names from the schema modules instead.
    const bundled = Object.values(meta.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([input, { bytesInOutput }]) => /shared\/dist\/openapi\//.test(input) && bytesInOutput > 0)
        .map(([input]) => input),
    );
    expect(bundled).toEqual([]);
  });

  // Secrets Manager (flashcards) and SQS queue lookups (sweeper) still use SDK clients, loaded lazily.
  it.each(['flashcards', 'sweeper'] as const)(
    '%s: each AWS SDK client package is bundled once, in one version',
    (name) => {
      const meta = JSON.parse(readFileSync(join(dist, name, 'meta.json'), 'utf8')) as {
        inputs: Record<string, unknown>;
      };
      const versions = new Map<string, Set<string>>();
      for (const input of Object.keys(meta.inputs)) {
        const match = /\.pnpm\/([^/]+)\/node_modules\/(@aws-sdk\/client-[^/]+)\//.exec(input);
        if (match) versions.set(match[2]!, (versions.get(match[2]!) ?? new Set()).add(match[1]!));
      }
      expect(versions.size).toBeGreaterThan(0);
      const duplicated = [...versions].filter(([, found]) => found.size > 1).map(([pkg]) => pkg);
      expect(duplicated).toEqual([]);
    },
  );

  it.each(FUNCTION_NAMES)('%s: talks to AWS without loading the AWS SDK runtime at init', (name) => {
    // The SDK's shared runtime (@smithy/core, @aws-sdk/core) is what a lazily loaded SDK client
    // would drag into the init path if anything at init reached it.
    const loaded = loadedInputs(join(dist, name));
    const signer = name === 'upload' ? 'src/clients/s3-presigned-post.ts' : 'src/clients/aws-http-client.ts';
    expect(loaded.some((input) => input.endsWith(signer))).toBe(true);
    expect(loaded.filter((input) => /@smithy\/|@aws-sdk\/(core|client-)/.test(input))).toEqual([]);
  });
});

describe.skipIf(!built)('initialisation of every bundle', () => {
  it.each(FUNCTION_NAMES)('%s: initialises in a fresh process with its catalogue environment', (name) => {
    // What Lambda does at a cold start: import the entry (every client and cache built at module
    // scope) and find the handler. A wiring mistake fails here, not at the first deployment.
    const script = `const m = await import(process.argv[1]); process.stdout.write(typeof m.handler);`;
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(join(dist, name, 'index.mjs')).href],
      {
        env: { PATH: process.env.PATH ?? '', ...LAMBDA_CATALOGUE_ENV, POWERTOOLS_LOG_LEVEL: 'SILENT' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(out).toBe('function');
  });
});

describe.skipIf(!built)('Node built-ins in the bundles', () => {
  it.each(FUNCTION_NAMES)('%s: loads built-ins through require, never an ESM import', (name) => {
    // An ESM import of a built-in reads every export, running lazy getters (`http.WebSocket` loads
    // undici, ~35 ms); only the banner's own imports (`node:module`, `node:url`, `node:path`) may stay.
    const dir = join(dist, name);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.mjs'),
    );
    const imported = files.flatMap((file) =>
      [
        ...readFileSync(join(dir, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*["']node:([\w/]+)["']/g),
      ].map((match) => match[1]),
    );
    expect(imported.length).toBeGreaterThan(0);
    expect([...new Set(imported)].filter((builtin) => !['module', 'url', 'path'].includes(builtin!))).toEqual(
      [],
    );
  });
});

/**
 * The lazily loaded code lives in `chunks/` beside the entry and is imported by relative path: the
 * infra archive holds every file of the function's directory but source maps and the metafile, and
 * every chunk must load from exactly that file set.
 */
describe.skipIf(!built)('chunks of the deployed file set', () => {
  it.each(FUNCTION_NAMES)('%s: every chunk loads in a fresh process', (name) => {
    const source = join(dist, name);
    const deployed = mkdtempSync(join(tmpdir(), `bandup-${name}-`));
    try {
      for (const file of readdirSync(source, { recursive: true, encoding: 'utf8' })) {
        const from = join(source, file);
        if (statSync(from).isDirectory() || file.endsWith('.map') || file.endsWith('meta.json')) continue;
        mkdirSync(dirname(join(deployed, file)), { recursive: true });
        copyFileSync(from, join(deployed, file));
      }
      const chunks = readdirSync(join(deployed, 'chunks')).filter((file) => file.endsWith('.mjs'));
      expect(chunks.length).toBeGreaterThan(0);
      const script = `for (const url of process.argv.slice(1)) await import(url); process.stdout.write('loaded');`;
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          script,
          ...chunks.map((file) => pathToFileURL(join(deployed, 'chunks', file)).href),
        ],
        { env: { PATH: process.env.PATH ?? '', AWS_REGION: 'ap-southeast-1' }, encoding: 'utf8' },
      );
      expect(out).toBe('loaded');
    } finally {
      rmSync(deployed, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!built)('sweeper cold start', () => {
  it('loads Transcribe, SQS and S3 on first use (only stuck speaking jobs and oversized results need them)', () => {
    const loaded = loadedInputs(join(dist, 'sweeper'));
    expect(loaded.some((input) => input.endsWith('src/clients/aws-http-client.ts'))).toBe(true);
    expect(loaded.filter((input) => /@aws-sdk\/client-(transcribe|sqs|s3)\//.test(input))).toEqual([]);
  });
});

describe.skipIf(!built)('flashcards cold start', () => {
  it('loads the Secrets Manager client and the Gemini SDK on first use, not at init', () => {
    const loaded = loadedInputs(join(dist, 'flashcards'));
    expect(loaded.some((input) => input.endsWith('src/clients/bedrock-runtime.ts'))).toBe(true);
    expect(
      loaded.filter((input) => /@aws-sdk\/client-secrets-manager|@google\/generative-ai/.test(input)),
    ).toEqual([]);
  });
});
