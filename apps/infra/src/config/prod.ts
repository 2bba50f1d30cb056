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
  /*
   * prod AI API, sized for real use (own numbers, nothing inherited from dev):
   * - Learners: ~20,000 registered in the first year, up to 4,000 active on a day.
   * - Submissions per active learner and day: 2 Writing tasks, 1 Speaking test (3 uploads + 3
   *   submissions), 0.5 flashcard sets (upload + submission) = 2 + 6 + 1 = 9 POSTs.
   *   4,000 x 9 = 36,000 a day; the quota of 60,000 leaves ~1.7x for growth. It is a platform-wide
   *   cost breaker: per-learner limits (below) stop one learner long before it.
   * - Peak: 19:00-22:00 in Vietnam carries ~40% of the day: 14,400 POSTs in 3 h = 1.3 rps on
   *   average; a class submitting together (~40 learners within seconds) needs the burst of 40 and
   *   the rate of 10 rps drains it in 4 s.
   * - Reads (no API key, never counted in the quota): polling every 3-5 s costs ~10 polls per
   *   Writing job (~30 s), ~30 per Speaking part (~90 s, Transcribe plus the model) and ~60 per
   *   flashcard set (up to 300 s): 2x10 + 3x30 + 0.5x60 = 140, plus history and test bands ~10,
   *   = 150 reads per active learner: 600,000 a day, 40% in the 3-hour peak = 22 rps on average;
   *   50 rps and a burst of 100 per method leave 2x headroom. Completion events make most polls
   *   unnecessary; the throttle still covers a backend that polls.
   * - Learner limits (per learner and Vietnamese day): free = 2 Writing tests (4 tasks), 2 Speaking
   *   tests (6 parts), 2 flashcard sets; premium = 10 Writing tests, 10 Speaking tests, 10 sets.
   *   At ~USD 0.002 of Bedrock per assessment a premium learner's maximum day costs cents.
   * - WAF: >= 300 x (10 + 50) = 18,000 per 5 minutes from the NAT address of one AZ; 30,000.
   */
  ai: {
    bedrockRegion: 'us-east-1',
    throttleRateLimit: 10,
    throttleBurstLimit: 40,
    quotaPerDay: 60_000,
    maxReceiveCount: 3,
    readThrottleRateLimit: 50,
    readThrottleBurstLimit: 100,
    learnerDailyLimits: {
      free: { writing: 4, speaking: 6, flashcards: 2 },
      premium: { writing: 20, speaking: 30, flashcards: 10 },
    },
    apiWafRateLimitPer5Minutes: 30_000,
  },
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
