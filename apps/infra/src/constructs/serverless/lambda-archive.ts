import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Zippable, zipSync } from 'fflate';

/** A function's deployment package, built once per bundle content. */
export interface LambdaArchive {
  /** Absolute path of the zip. */
  readonly path: string;
  /** SHA-256 of the bundle files that went in (hex): the content address of the package. */
  readonly contentHash: string;
  /** Base64 SHA-256 of the zip, as Lambda reports it (`CodeSha256`) and `source_code_hash` expects. */
  readonly sha256Base64: string;
  /** Files in the archive, relative to the bundle directory. */
  readonly files: readonly string[];
}

/**
 * Build output that is not deployed: source maps (kept beside the bundle for symbolicating stack
 * traces locally; shipping them would add megabytes to every cold start) and esbuild's metafile.
 */
export function isDeployedFile(relativePath: string): boolean {
  const base = path.basename(relativePath);
  return !base.endsWith('.map') && base !== 'meta.json';
}

/** Fixed timestamp and permissions: the same files always give byte-identical zips. */
const ZIP_MTIME = new Date('1980-01-01T00:00:00Z');
/** Unix regular file, rw-r--r-- (Lambda must be able to read every file as a different user). */
const ZIP_FILE_ATTRS = (0o100644 << 16) >>> 0;
const ARCHIVE_DIR = path.join(tmpdir(), 'bandup-lambda-archives');
const cache = new Map<string, LambdaArchive>();

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, rel) : [rel];
    })
    .sort();
}

/**
 * Zips a bundle directory deterministically (sorted entries, fixed timestamps and modes), so an
 * unchanged bundle yields the same archive hash on every synth and machine and its function is
 * not redeployed. CDKTF's own ARCHIVE assets stamp file modification times into the zip (every
 * rebuild would redeploy identical code) and spawn a Node process per asset, which alone would
 * blow the synth time budget; this runs in-process and once per distinct bundle (environments
 * share it).
 */
export function buildLambdaArchive(bundleDir: string): LambdaArchive {
  const files = listFiles(bundleDir).filter(isDeployedFile);
  if (files.length === 0) throw new Error(`Lambda bundle directory ${bundleDir} has no deployable file`);
  const contents = files.map((file) => readFileSync(path.join(bundleDir, file)));
  const hash = createHash('sha256');
  files.forEach((file, i) => {
    hash.update(`${file}\0${contents[i]?.length}\0`);
    hash.update(contents[i] as Buffer);
  });
  const contentHash = hash.digest('hex');
  const cached = cache.get(contentHash);
  if (cached) return cached;

  const zipPath = path.join(ARCHIVE_DIR, `${contentHash}.zip`);
  let zip: Uint8Array;
  if (existsSync(zipPath)) {
    zip = readFileSync(zipPath);
  } else {
    const entries: Zippable = {};
    files.forEach((file, i) => {
      entries[file] = [contents[i] as Buffer, { mtime: ZIP_MTIME, os: 3, attrs: ZIP_FILE_ATTRS, level: 6 }];
    });
    zip = zipSync(entries);
    mkdirSync(ARCHIVE_DIR, { recursive: true });
    // Written under a temporary name and renamed: concurrent synths never read a partial zip.
    const partial = `${zipPath}.${process.pid}.tmp`;
    writeFileSync(partial, zip);
    renameSync(partial, zipPath);
  }
  const archive: LambdaArchive = {
    path: zipPath,
    contentHash,
    sha256Base64: createHash('sha256').update(zip).digest('base64'),
    files,
  };
  cache.set(contentHash, archive);
  return archive;
}
