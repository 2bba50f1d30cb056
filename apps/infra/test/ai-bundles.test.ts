import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKER_FUNCTIONS } from '@bandup/shared';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectEnvironments } from '../src/config/index.js';
import { buildLambdaArchive, isDeployedFile } from '../src/constructs/serverless/lambda-archive.js';
import { DEFAULT_BUNDLES_DIR } from '../src/stacks/ai/ai-stack.js';
import { findResource, type Json, synthAi } from './ai-fixture.js';

const configs = selectEnvironments('dev');
let outdir: string;
let stack: Json;
beforeAll(() => {
  const result = synthAi(configs);
  outdir = result.outdir;
  stack = result.stacks['bandup-dev-ai'] as Json;
}, 120_000);

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');

describe('worker bundles are the Lambda code', () => {
  it.each(WORKER_FUNCTIONS.map((f) => f.name))(
    '%s: the asset is the real bundle from apps/ai-workers/dist',
    (name) => {
      const [, fn] = findResource(stack, 'aws_lambda_function', 'function_name', `bandup-dev-${name}`);
      const objectId = /aws_s3_object\.([^.]+)\.key/.exec(fn.s3_key)?.[1] as string;
      const object = stack.resource.aws_s3_object[objectId] as Json;
      const zipPath = path.join(outdir, 'stacks', 'bandup-dev-ai', object.source);
      const zip = readFileSync(zipPath);
      // The zip's hash is what Lambda will report as CodeSha256.
      expect(fn.source_code_hash).toBe(sha256(zip));
      // Content-addressed key.
      const archive = buildLambdaArchive(path.join(DEFAULT_BUNDLES_DIR, name));
      expect(object.key).toBe(`functions/${name}/${archive.contentHash}.zip`);
      // The archive holds the bundle's index.mjs byte for byte, and no source map or metafile.
      const entries = unzipSync(zip);
      const listing = Object.keys(entries);
      expect(listing).toContain('index.mjs');
      expect(listing.filter((f) => !isDeployedFile(f))).toEqual([]);
      const inZip = Buffer.from(entries['index.mjs'] as Uint8Array);
      expect(inZip.equals(readFileSync(path.join(DEFAULT_BUNDLES_DIR, name, 'index.mjs')))).toBe(true);
      expect(inZip.toString('utf8')).toMatch(/export\s*\{[^}]*\bhandler\b/);
    },
  );
});

describe('deterministic, content-addressed archives', () => {
  const bundle = (content: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bandup-bundle-'));
    writeFileSync(path.join(dir, 'index.mjs'), content);
    writeFileSync(path.join(dir, 'index.mjs.map'), '{}');
    writeFileSync(path.join(dir, 'meta.json'), '{}');
    return dir;
  };

  it('the same files give the same archive hash; different files a different one', () => {
    const unique = `export const handler = async () => ${Math.random()};`;
    const a = buildLambdaArchive(bundle(unique));
    const b = buildLambdaArchive(bundle(unique));
    const c = buildLambdaArchive(bundle(`${unique} // changed`));
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.sha256Base64).toBe(a.sha256Base64);
    expect(c.contentHash).not.toBe(a.contentHash);
    expect(a.files).toEqual(['index.mjs']);
  });

  it('a missing bundle fails synth naming the file and the command that builds it', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'bandup-no-bundles-'));
    mkdirSync(path.join(empty, 'submit'));
    expect(() => synthAi(configs, { bundlesDir: empty })).toThrow(
      new RegExp(
        `Lambda bundle for function "submit" is missing: ${path.join(empty, 'submit', 'index.mjs').replace(/[.]/g, '\\.')} does not exist\\. ` +
          'Build the worker bundles first: pnpm --filter @bandup/ai-workers build',
      ),
    );
  });
});
