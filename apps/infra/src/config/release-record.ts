/** One deployed image: the release tag the task definitions use, and where it came from. */
export interface ReleaseRecord {
  /** Immutable release tag (`v1.2.3`) in the environment's repository. */
  readonly tag: string;
  /** Commit of the application repository the image was built from. */
  readonly commit?: string;
  /** Image manifest digest behind the tag (`sha256:...`), as ECR reported it at promotion. */
  readonly digest?: string;
  /** When `pnpm release` promoted it (ISO 8601). */
  readonly promotedAt?: string;
}

export type AppName = 'frontend' | 'backend';

/** What each environment deploys, per app. */
export type ReleaseRecords = Readonly<Record<string, Readonly<Record<AppName, ReleaseRecord>>>>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function literal(value: unknown, indent: string): string {
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (value && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const lines = entries.map(
      ([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : `'${k}'`}: ${literal(v, inner)},`,
    );
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The source of `releases.ts`, formatted as the repository's formatter leaves it. */
export function renderReleases(records: ReleaseRecords): string {
  return `import type { ReleaseRecords } from './release-record.js';

/**
 * The images each environment deploys (the ECS task definitions use \`tag\`). Written by
 * \`pnpm release\` (apps/infra/scripts/release.ts), which checks that the image exists in the
 * environment's repository and records its commit and digest: change it through a pull request.
 */
export const RELEASES = ${literal(records, '')} satisfies ReleaseRecords;
`;
}

/**
 * `records` with one app's release of one environment replaced. A new environment starts with its
 * first release of both apps (`complete` checks that none is missing).
 */
export function withRelease(
  records: ReleaseRecords,
  environment: string,
  app: AppName,
  release: ReleaseRecord,
): ReleaseRecords {
  const current = records[environment] ?? {};
  return { ...records, [environment]: { ...current, [app]: release } as Record<AppName, ReleaseRecord> };
}

/** Fails naming the environments whose record lacks an app (a new environment released partly). */
export function assertComplete(records: ReleaseRecords): void {
  const missing = Object.entries(records).flatMap(([env, apps]) =>
    (['frontend', 'backend'] as const).filter((app) => !apps[app]).map((app) => `${env}.${app}`),
  );
  if (missing.length > 0) throw new Error(`releases: no release recorded for ${missing.join(', ')}`);
}
