import type { ReleaseRecords } from './release-record.js';

/**
 * The images each environment deploys (the ECS task definitions use `tag`). Written by
 * `pnpm release` (apps/infra/scripts/release.ts), which checks that the image exists in the
 * environment's repository and records its commit and digest: change it through a pull request.
 */
export const RELEASES = {
  dev: {
    frontend: {
      tag: 'v0.1.0',
    },
    backend: {
      tag: 'v0.1.0',
    },
  },
  prod: {
    frontend: {
      tag: 'v1.0.0',
    },
    backend: {
      tag: 'v1.0.0',
    },
  },
} satisfies ReleaseRecords;
