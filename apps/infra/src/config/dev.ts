import { RELEASES } from './releases.js';
import type { EnvironmentInput } from './schema.js';

/** dev: cheap. Single NAT, active-active with one task per app, no replicas, no deletion protection. */
export const dev: EnvironmentInput = {
  name: 'dev',
  accountId: '111111111111',
  region: 'ap-southeast-1',
  availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'],
  network: {
    vpcCidr: '10.0.0.0/16',
    publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24'],
    appSubnetCidrs: ['10.0.2.0/24', '10.0.3.0/24'],
    dataSubnetCidrs: ['10.0.4.0/24', '10.0.5.0/24'],
    natMode: 'single',
    flowLogRetentionDays: 14,
  },
  dns: { domainName: 'dev.bandup.example.com', hostedZoneId: 'Z0DEVBANDUP000000001' },
  ecs: {
    mode: 'active-active',
    fargateSpot: true,
    enableExecuteCommand: true,
    serviceConnectNamespace: 'bandup-dev.internal',
    frontend: {
      imageTag: RELEASES.dev.frontend.tag,
      containerPort: 3000,
      cpu: 512,
      memoryMib: 1024,
      healthCheckPath: '/',
      desiredCount: 1,
      standbyWarmCount: 0,
      minCount: 1,
      maxCount: 2,
      cpuTargetPercent: 70,
      memoryTargetPercent: 80,
      readonlyRootFilesystem: true,
      user: '1001:1001',
      healthCheckGracePeriodSeconds: 60,
    },
    backend: {
      imageTag: RELEASES.dev.backend.tag,
      containerPort: 8080,
      cpu: 1024,
      memoryMib: 2048,
      healthCheckPath: '/actuator/health',
      desiredCount: 1,
      standbyWarmCount: 0,
      minCount: 1,
      maxCount: 2,
      cpuTargetPercent: 70,
      memoryTargetPercent: 80,
      readonlyRootFilesystem: true,
      user: '1001:1001',
      healthCheckGracePeriodSeconds: 120,
    },
  },
  database: {
    engineVersion: '17',
    instanceClass: 'db.t4g.micro',
    allocatedStorageGib: 20,
    maxAllocatedStorageGib: 50,
    multiAz: false,
    backupRetentionDays: 7,
    backupWindow: '18:00-18:30',
    maintenanceWindow: 'sun:19:00-sun:19:30',
    monitoringIntervalSeconds: 60,
  },
  cache: {
    engineVersion: '8.0',
    nodeType: 'cache.t3.micro',
    replicas: 0,
    snapshotRetentionDays: 1,
    snapshotWindow: '17:00-18:00',
    maintenanceWindow: 'sun:20:00-sun:21:00',
  },
  // dev: a handful of developers and testers. Submissions (POST, API key): 5 rps, burst 10, 1,000 a
  // day caps what a runaway test can spend on Bedrock. Reads (GET, no key) poll freely: 20 rps.
  // Learner limits are generous so testers can run whole tests repeatedly.
  ai: {
    bedrockRegion: 'us-east-1',
    throttleRateLimit: 5,
    throttleBurstLimit: 10,
    quotaPerDay: 1000,
    maxReceiveCount: 3,
    readThrottleRateLimit: 20,
    readThrottleBurstLimit: 40,
    learnerDailyLimits: {
      free: { writing: 20, speaking: 30, flashcards: 10 },
      premium: { writing: 50, speaking: 90, flashcards: 30 },
    },
    // >= 300 x (5 + 20) = 7,500: all calls come from one NAT address.
    apiWafRateLimitPer5Minutes: 10_000,
  },
  cdn: {
    // Example key only (public half of a throwaway pair): replace with the public half of the key
    // pair whose private half is in bandup/dev/backend/cloudfront.
    signingPublicKeyPem:
      '-----BEGIN PUBLIC KEY-----\n' +
      'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0vBkj4JHHk5A9K1QgZvC\n' +
      'msXDEWCgQ4H951cByr93wz4b3ds8hjYSSjJvf6do1zpBYczBM1pLBQIPE3sL9CAa\n' +
      '90wyEqzGON9q1HnFWOnYU3t28x/IOZo/Wqv+OwS1OGyqIaouQX+7/Rt/y9tJEmDp\n' +
      'i+g0W+cLdIOYWwyKbNmrJ4l9rbhTNOaW4gBMICkibIjfcZ/qOyyDbTdv2DBlVDBa\n' +
      'QahB55UFevUG6RPmn2/fiJzZDxzKONB0s6l6OpGEmzSbbi9RRYwj2YMV3SMZ4UJE\n' +
      'a8sd9TeuvrteLgc5Hh4qfImzzl/8p2E0jP9wNVU0x0Du5BAcgJiRnbpeqOtYEYXX\n' +
      'XwIDAQAB\n' +
      '-----END PUBLIC KEY-----\n',
  },
  // Local frontend development uploads to dev and reads its media.
  extraCorsOrigins: ['http://localhost:3000'],
  waf: { rateLimitPer5Minutes: 2000 },
  observability: { logRetentionDays: 14, alarmEmail: 'ops-dev@bandup.example.com', monthlyBudgetUsd: 150 },
  protectStatefulResources: false,
  cicd: {
    repository: 'bandup/bandup-cloud',
    branch: 'develop',
    // The application (frontend/, backend/) is hosted on GitLab; this monorepo on GitHub.
    images: { repository: 'bandup/band-up', branch: 'main', provider: 'GitLab' },
    pullRequests: {
      enabled: true,
      baseBranch: 'main',
      commentTokenSecretName: 'bandup/ci/review-comment-token',
    },
  },
};
