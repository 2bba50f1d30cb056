import { dev } from './dev.js';
import { RELEASES } from './releases.js';
import type { EnvironmentInput } from './schema.js';

/**
 * prod: hardened. NAT per AZ, active-passive ECS, Multi-AZ RDS, a Valkey replica with automatic
 * failover, deletion protection and `prevent_destroy`, longer log retention, ECS Exec off.
 */
export const prod: EnvironmentInput = {
  ...dev,
  name: 'prod',
  // Same account as dev by default (one state bucket, one `bandup-bootstrap`); a separate prod
  // account works too: set its id here and the app adds `bandup-bootstrap-<account>` stacks.
  accountId: dev.accountId,
  network: { ...dev.network, natMode: 'per-az', flowLogRetentionDays: 90 },
  dns: { domainName: 'bandup.example.com', hostedZoneId: 'Z0PRODBANDUP00000001' },
  ecs: {
    mode: 'active-passive',
    fargateSpot: false,
    enableExecuteCommand: false,
    serviceConnectNamespace: 'bandup-prod.internal',
    frontend: {
      ...dev.ecs.frontend,
      imageTag: RELEASES.prod.frontend.tag,
      desiredCount: 2,
      standbyWarmCount: 1,
      minCount: 2,
      maxCount: 6,
    },
    backend: {
      ...dev.ecs.backend,
      imageTag: RELEASES.prod.backend.tag,
      desiredCount: 2,
      standbyWarmCount: 1,
      minCount: 2,
      maxCount: 6,
    },
  },
  database: { ...dev.database, multiAz: true, maxAllocatedStorageGib: 200, backupRetentionDays: 7 },
  cache: { ...dev.cache, replicas: 1, snapshotRetentionDays: 7 },
  // Keep previous object versions and access logs longer in prod (recovery and audits).
  storage: { noncurrentVersionExpiryDays: 90, accessLogExpiryDays: 365 },
  ai: { ...dev.ai },
  cdn: { ...dev.cdn, domainName: 'media.bandup.example.com' },
  extraCorsOrigins: [],
  observability: { logRetentionDays: 90, alarmEmail: 'ops@bandup.example.com', monthlyBudgetUsd: 600 },
  protectStatefulResources: true,
  cicd: {
    repository: 'bandup/bandup-cloud',
    branch: 'main',
    // Production images are built from release tags of the application repository.
    images: { repository: 'bandup/band-up', branch: 'main', provider: 'GitLab', trigger: { tags: ['v*'] } },
  },
};
