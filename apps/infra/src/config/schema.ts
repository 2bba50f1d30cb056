import { FUNCTION_NAMES, QUEUE_NAMES } from '@bandup/shared';
import { z } from 'zod';
import { contains, type Ipv4Block, overlaps, parseCidr } from './cidr.js';

/**
 * The typed, validated description of one environment. Every value that would otherwise be looked
 * up at synth or plan time (account, AZs, hosted zone) comes from here, so synthesis needs no AWS
 * credentials and no network. Defaults follow the seed workshop; `prod.ts` hardens them.
 */

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const percent = z.number().int().min(10).max(95);

/** One containerised app (frontend or backend). */
const appServiceSchema = z.object({
  /** Image tag deployed (immutable tags: a release tag or commit SHA, never `latest`). */
  imageTag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a valid image tag')
    .refine((tag) => tag !== 'latest', 'must not be "latest": ECR tags are immutable, deploy a release tag')
    .refine(
      (tag) => /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag),
      'must be a release tag (v<major>.<minor>.<patch>, written by `pnpm release`): only release images are kept by the ECR lifecycle',
    ),
  containerPort: z.number().int().min(1).max(65535),
  /** Fargate CPU units (256 = 0.25 vCPU). */
  cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]),
  memoryMib: z.number().int().min(512).max(30720),
  healthCheckPath: z.string().startsWith('/'),
  /** Tasks of the primary service (active-passive) or of the single service (active-active). */
  desiredCount: z.number().int().min(1).max(50),
  /** Standby tasks kept running in the second AZ (active-passive only). */
  standbyWarmCount: z.number().int().min(0).max(1),
  minCount: z.number().int().min(1),
  maxCount: z.number().int().min(1).max(100),
  cpuTargetPercent: percent,
  memoryTargetPercent: percent,
  /** Whether the app tolerates a read-only root filesystem (writable tmp volume is mounted). */
  readonlyRootFilesystem: z.boolean(),
  /** Non-root user the container runs as (uid:gid). */
  user: z.string().regex(/^\d+(:\d+)?$/, 'must be a numeric uid or uid:gid'),
  healthCheckGracePeriodSeconds: z.number().int().min(0).max(7200),
  /** CPU architecture the image is built for (Fargate runtime platform); must match the pushed image. */
  cpuArchitecture: z.enum(['X86_64', 'ARM64']).default('X86_64'),
});

/** A path inside the repository (used in build commands: no `..`, no leading `/`, no shell metacharacters). */
const repoPath = z
  .string()
  .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'must be a relative path inside the repository');

/** Where the CI image build finds one app's sources. */
const imageSourceSchema = z.object({ context: repoPath, dockerfile: repoPath });

/** Where a repository is hosted; the pipelines reach it through an AWS CodeConnections connection. */
const sourceProviderSchema = z.enum(['GitHub', 'GitLab', 'Bitbucket']);

/**
 * What starts a pipeline: pushes to branches, or tags (e.g. `v*` releases). Patterns are the
 * CodePipeline trigger globs.
 */
const triggerSchema = z.union([
  z.object({ branches: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ tags: z.array(z.string().min(1)).min(1) }).strict(),
]);

export const environmentSchema = z
  .object({
    name: z.enum(['dev', 'staging', 'prod']),
    /** 12-digit AWS account id: used in names and ARNs instead of a live `aws_caller_identity`. */
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    region: z
      .string()
      .regex(AWS_REGION, 'must be an AWS region name such as ap-southeast-1')
      .default('ap-southeast-1'),
    /** Explicit AZ names (no `aws_availability_zones` lookup). The first is the primary AZ. */
    availabilityZones: z.array(z.string()).min(1),
    network: z.object({
      vpcCidr: cidr.default('10.0.0.0/16'),
      /** One subnet per AZ in each tier, in the same order as `availabilityZones`. */
      publicSubnetCidrs: z.array(cidr),
      appSubnetCidrs: z.array(cidr),
      dataSubnetCidrs: z.array(cidr),
      natMode: z.enum(['per-az', 'single']),
      flowLogRetentionDays: z.number().int().positive(),
    }),
    dns: z.object({
      /** The site's domain, e.g. `bandup.example.com`; `api.` is not used: the AI API is private to the backend. */
      domainName: z.string().regex(DNS_NAME, 'must be a lower-case DNS name'),
      /** Existing public hosted zone (created outside this app, since it is delegated by a registrar). */
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id (Z...)'),
    }),
    ecs: z.object({
      mode: z.enum(['active-passive', 'active-active']),
      /** Fargate Spot may carry part of the load (dev only; never for the primary in prod). */
      fargateSpot: z.boolean(),
      /** ECS Exec: off by default in prod; logged and KMS-encrypted when on. */
      enableExecuteCommand: z.boolean(),
      frontend: appServiceSchema,
      backend: appServiceSchema,
      /**
       * NOLOGIN PostgreSQL role that owns the backend's objects; the backend logs in as
       * `<name>_blue` / `<name>_green`, alternating at each rotation of its secret.
       */
      backendDatabaseUser: z
        .string()
        .regex(
          /^[a-z_][a-z0-9_]{0,56}$/,
          'must be a PostgreSQL role name (lower case, digits, _; at most 57)',
        )
        .default('bandup_app'),
      /** Cloud Map namespace for Service Connect, e.g. `bandup-dev.internal`. */
      serviceConnectNamespace: z.string().regex(DNS_NAME, 'must be a lower-case DNS name'),
      /**
       * ALB cookie stickiness of the backend target group (`/api`, `/ws`). STOMP over SockJS needs
       * it: its fallback transports (xhr-streaming, polling) are many HTTP requests of one session
       * that must reach the task holding it. `auto` turns it on wherever the backend can run more
       * than one task (maxCount > 1, or active-passive, where primary and standby share the group).
       */
      backendStickiness: z
        .object({
          enabled: z.union([z.literal('auto'), z.boolean()]).default('auto'),
          /** Lifetime of the ALB cookie (1 s to 7 days); the ALB's idle timeout for /ws is an hour. */
          durationSeconds: z.number().int().min(1).max(604_800).default(3600),
        })
        .prefault({}),
    }),
    /**
     * The backend's outgoing mail (Spring Boot `spring.mail.*`): SMTP submission with STARTTLS
     * required, through the NAT gateways, with the credentials of the `mail` backend secret.
     */
    mail: z
      .object({
        smtpHost: z.string().regex(DNS_NAME, 'must be a lower-case DNS name').default('smtp.gmail.com'),
        /** SMTP submission port (587, STARTTLS). Port 25 is never opened: AWS throttles it and it is unauthenticated relay. */
        smtpPort: z.literal(587).default(587),
        /**
         * Where the backend may open SMTP connections. Security groups cannot filter by host name;
         * narrow this to the provider's published ranges when it has stable ones.
         */
        smtpDestinationCidrs: z.array(cidr).min(1).default(['0.0.0.0/0']),
      })
      .prefault({}),
    database: z.object({
      engineVersion: z.string().regex(/^\d+(\.\d+)?$/, 'must be a PostgreSQL version such as 17 or 17.4'),
      instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an RDS instance class'),
      allocatedStorageGib: z.number().int().min(20).max(65536),
      maxAllocatedStorageGib: z.number().int().max(65536),
      multiAz: z.boolean(),
      backupRetentionDays: z.number().int().min(1).max(35),
      /** UTC, hh24:mi-hh24:mi; must not overlap the maintenance window. */
      backupWindow: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be hh:mm-hh:mm'),
      /** UTC, ddd:hh24:mi-ddd:hh24:mi. */
      maintenanceWindow: z
        .string()
        .regex(
          /^(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d-(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d$/,
          'must be ddd:hh:mm-ddd:hh:mm',
        ),
      monitoringIntervalSeconds: z.union([
        z.literal(0),
        z.literal(1),
        z.literal(5),
        z.literal(10),
        z.literal(15),
        z.literal(30),
        z.literal(60),
      ]),
      /** Statements slower than this are logged (`log_min_duration_statement`, milliseconds). */
      slowStatementMs: z.number().int().min(0).max(600_000).default(500),
      /**
       * Days between rotations of the backend's database password. The rolling restart after each
       * rotation must finish within this interval (it takes minutes).
       */
      appPasswordRotationDays: z.number().int().min(1).max(365).default(30),
      /** Performance Insights retention: 7 days (free tier) or a multiple of 31 up to 731. */
      performanceInsightsRetentionDays: z
        .number()
        .int()
        .refine(
          (d) => d === 7 || d === 731 || (d % 31 === 0 && d >= 31 && d <= 713),
          'must be 7, 731 or a multiple of 31',
        )
        .default(7),
    }),
    cache: z.object({
      engineVersion: z.string().regex(/^\d+\.\d+$/, 'must be a Valkey version such as 8.0'),
      nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ElastiCache node type'),
      /** Replicas besides the primary; >= 1 enables Multi-AZ and automatic failover. */
      replicas: z.number().int().min(0).max(5),
      snapshotRetentionDays: z.number().int().min(0).max(35),
      snapshotWindow: z.string().regex(/^\d\d:\d\d-\d\d:\d\d$/, 'must be hh:mm-hh:mm'),
      maintenanceWindow: z
        .string()
        .regex(/^[a-z]{3}:\d\d:\d\d-[a-z]{3}:\d\d:\d\d$/, 'must be ddd:hh:mm-ddd:hh:mm'),
      /** Days between rotations of the Valkey application password (Secrets Manager rotation function). */
      passwordRotationDays: z.number().int().min(1).max(365).default(30),
    }),
    /** CloudFront in front of the media bucket (signed URLs only). */
    cdn: z.object({
      /**
       * PEM public key (`openssl rsa -pubout`) of the pair the backend signs media URLs with; the
       * private half goes into the `bandup/<env>/backend/cloudfront` secret, never into config.
       */
      signingPublicKeyPem: z
        .string()
        .regex(
          /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n?$/,
          'must be a PEM "PUBLIC KEY" block',
        ),
      /** Optional media domain (e.g. `media.bandup.example.com`) in `dns.hostedZoneId`. */
      domainName: z.string().regex(DNS_NAME, 'must be a lower-case DNS name').optional(),
    }),
    /**
     * Browser origins allowed to upload to the uploads bucket and read the media bucket (CORS), in
     * addition to `https://<dns.domainName>`. dev may admit local frontends (`http://localhost:3000`).
     */
    extraCorsOrigins: z
      .array(
        z
          .string()
          .regex(
            /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/,
            'must be an origin such as https://host or http://localhost:3000',
          ),
      )
      .default([]),
    /** S3 object lifecycle of the data stack's buckets (days). */
    storage: z
      .object({
        /** Speaking audio under `uploads/speaking/`: deleted once no job can still need it. */
        audioExpiryDays: z.number().int().min(1).max(3650).default(30),
        transcriptExpiryDays: z.number().int().min(1).max(3650).default(30),
        /** Embedding cache entries: recomputed on a miss, so they can expire freely. */
        embeddingCacheExpiryDays: z.number().int().min(1).max(3650).default(90),
        deadLetterExpiryDays: z.number().int().min(1).max(3650).default(90),
        /** Previous versions of overwritten or deleted objects. */
        noncurrentVersionExpiryDays: z.number().int().min(1).max(3650).default(30),
        /** ALB and S3 access logs. */
        accessLogExpiryDays: z.number().int().min(1).max(3650).default(90),
      })
      .prefault({}),
    ai: z.object({
      /** Bedrock Runtime region (Gemma 3 may not be offered in the app region). */
      bedrockRegion: z.string().regex(AWS_REGION, 'must be an AWS region name'),
      assessmentModelId: z.string().min(1).default('google.gemma-3-12b-it'),
      embeddingModelId: z.string().min(1).default('amazon.titan-embed-text-v2:0'),
      embeddingDimensions: z.union([z.literal(256), z.literal(512), z.literal(1024)]).default(512),
      // Google's alias of the current Flash-Lite model: pinned ids (gemini-2.0-flash) are shut down
      // on a published date; the alias moves to the successor. Override per environment to pin.
      geminiModelId: z.string().min(1).default('gemini-flash-lite-latest'),
      /**
       * Submissions and uploads (the POST routes, which carry the API key): the usage plan's throttle
       * and daily quota, also the stage's default per-method throttle. Reads never count against it.
       */
      throttleRateLimit: z.number().positive(),
      throttleBurstLimit: z.number().int().positive(),
      quotaPerDay: z.number().int().positive(),
      /** Receives before an SQS message moves to its DLQ. */
      maxReceiveCount: z.number().int().min(1).max(1000),
      /** Per-function memory overrides (MiB) on top of the shared worker catalogue. */
      memoryOverridesMb: z
        .partialRecord(z.enum(FUNCTION_NAMES), z.number().int().min(128).max(10240))
        .default({}),
      /**
       * Per-queue visibility timeout overrides (seconds). Default: 6 x the consumer's timeout plus its
       * batching window; a value below 6 x the consumer's timeout fails synth (the AI stack checks it).
       */
      queueVisibilityTimeoutSeconds: z
        .partialRecord(z.enum(QUEUE_NAMES), z.number().int().min(0).max(43_200))
        .default({}),
      /**
       * IAM principals of the environment's account (ARNs, `*` patterns allowed) that may send to the
       * AI queues besides the submit function and the Transcribe rule: operators replaying dead
       * letters (apps/ai-workers/README.md). Everyone else is refused by the queue policies.
       */
      queueReplayPrincipalArns: z
        .array(
          z
            .string()
            .regex(
              /^arn:aws:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/*-]+$/,
              'must be an IAM role or user ARN (patterns with *)',
            ),
        )
        .default([]),
      /** The backend's SQS FIFO queue of job completion events (docs/ai-stack.md, "Completion events"). */
      jobEvents: z
        .object({
          /**
           * Seconds a received event is hidden from other receives while the backend handles it
           * (a push to the learner's /ws session and a database update: well under a minute).
           */
          backendVisibilityTimeoutSeconds: z.number().int().min(10).max(43_200).default(60),
          /** Receives of one event before it moves to the DLQ (and the DLQ alarm pages). */
          backendMaxReceiveCount: z.number().int().min(1).max(1000).default(5),
        })
        .prefault({}),
      /**
       * Reads (status, history, test bands: GET routes, no API key): per-method stage throttle. Sized
       * for polling; separate from the submissions' numbers so a submission burst cannot starve them.
       */
      readThrottleRateLimit: z.number().positive(),
      readThrottleBurstLimit: z.number().int().positive(),
      /**
       * Per-learner daily submission limits per tier and job kind (0 = not offered on the tier),
       * enforced by the submit function with 429 DAILY_LIMIT_REACHED and Retry-After.
       */
      learnerDailyLimits: z.strictObject({
        free: z.strictObject({
          writing: z.number().int().min(0).max(100_000),
          speaking: z.number().int().min(0).max(100_000),
          flashcards: z.number().int().min(0).max(100_000),
        }),
        premium: z.strictObject({
          writing: z.number().int().min(0).max(100_000),
          speaking: z.number().int().min(0).max(100_000),
          flashcards: z.number().int().min(0).max(100_000),
        }),
      }),
      /** UTC offset (minutes) of the learners' day, when daily limits reset (Vietnam: +420, no DST). */
      learnerDayUtcOffsetMinutes: z.number().int().min(-720).max(840).default(420),
      /**
       * Principals besides the backend task role that the API's resource policy admits (ARNs of this
       * account, `*` patterns allowed): operators who call the API for support. Everyone else in the
       * account is denied by the policy, whatever their IAM permissions.
       */
      apiOperatorPrincipalArns: z
        .array(
          z
            .string()
            .regex(
              /^arn:aws:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/*-]+$/,
              'must be an IAM role or user ARN (patterns with *)',
            ),
        )
        .default([]),
      /**
       * WAF rate rule of the AI API stage (requests per 5 minutes per source IP). Every call comes from
       * the backend's NAT addresses, so it must admit the whole throttled load from one IP: at least
       * 300 x (throttleRateLimit + readThrottleRateLimit), checked at synth.
       */
      apiWafRateLimitPer5Minutes: z.number().int().min(100).max(2_000_000_000),
    }),
    /**
     * ECR lifecycle: release images (`v*` tags) are never expired; how many unreleased images to keep,
     * and when untagged images expire.
     */
    ecr: z
      .object({
        /** Non-release tags (commit SHAs, branches) kept in addition to the release images. */
        keepOtherTaggedImages: z.number().int().min(1).max(1000).default(20),
        untaggedExpiryDays: z.number().int().min(1).max(365).default(7),
      })
      .prefault({}),
    waf: z.object({
      /** Requests per 5-minute window per client IP before the rate rule blocks. */
      rateLimitPer5Minutes: z.number().int().min(10).max(2_000_000_000),
      /**
       * Body rules (XSS, SQLi, LFI in request bodies) on the site's load balancer: `count` logs
       * what they would block (a rollout: watch the WAF logs, then switch to `block`).
       */
      bodyRulesMode: z.enum(['count', 'block']).default('block'),
      /**
       * Backend path prefixes whose bodies are free text (essays, rich-text posts): the body rules
       * never block them; the backend validates and sanitises them itself.
       */
      freeTextPathPrefixes: z
        .array(z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'must be a URL path prefix such as /api/blogs'))
        .default(['/api/blogs', '/api/posts', '/api/writing']),
    }),
    observability: z.object({
      /** CloudWatch Logs retention for every log group (must be a value CloudWatch accepts). */
      logRetentionDays: z.union(
        [
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
          3653,
        ].map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>],
      ),
      alarmEmail: z.email('must be an e-mail address'),
      monthlyBudgetUsd: z.number().positive(),
    }),
    /** Deletion protection and Terraform `prevent_destroy` on stateful resources. */
    protectStatefulResources: z.boolean(),
    cicd: z.object({
      /** `owner/name` of the GitHub repository holding this monorepo (the infrastructure pipeline's source). */
      repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name'),
      branch: z.string().min(1),
      /** Terraform the pipeline's CodeBuild projects install (checksum-verified download). */
      terraformVersion: z
        .string()
        .regex(/^\d+\.\d+\.\d+$/, 'must be a Terraform version such as 1.11.4')
        .default('1.11.4'),
      /**
       * The app images are built from the application repository (frontend/ and backend/ live there,
       * not in this monorepo): its `owner/name`, branch, and each image's context and Dockerfile.
       */
      images: z
        .object({
          repository: z
            .string()
            .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name')
            .default('bandup/band-up'),
          branch: z.string().min(1).default('main'),
          frontend: imageSourceSchema.default({ context: 'frontend', dockerfile: 'frontend/Dockerfile' }),
          backend: imageSourceSchema.default({ context: 'backend', dockerfile: 'backend/Dockerfile' }),
          provider: sourceProviderSchema.default('GitHub'),
          /** Default: pushes to `branch`. */
          trigger: triggerSchema.optional(),
        })
        .prefault({}),
      /** Host of `repository` (this monorepo). */
      provider: sourceProviderSchema.default('GitHub'),
      /** What starts the infrastructure pipeline. Default: pushes to `branch`. */
      trigger: triggerSchema.optional(),
      /**
       * Pull-request checks of this monorepo (one environment runs them): lint, typecheck and tests of
       * the affected packages, then the offline plan review, posted on the pull request.
       */
      pullRequests: z
        .object({
          enabled: z.boolean().default(false),
          /** Branch pull requests target; the checks compare against it. */
          baseBranch: z.string().min(1).default('main'),
          /**
           * Secrets Manager secret (operator-created, `bandup/...`) holding the token that may comment on
           * pull requests; without it the review is only in the build log and the build status.
           */
          commentTokenSecretName: z
            .string()
            .regex(/^bandup\/[A-Za-z0-9/_+=.@-]+$/, 'must be an operator secret name under bandup/')
            .optional(),
        })
        .prefault({}),
      /** Scheduled drift check: an EventBridge schedule expression (UTC). */
      driftSchedule: z
        .string()
        .regex(/^(cron|rate)\(.+\)$/, 'must be an EventBridge schedule expression such as cron(0 2 * * ? *)')
        .default('cron(0 2 * * ? *)'),
    }),
    /** Extra tags on every resource (the tagging Aspect adds Project, Environment, Stack, ManagedBy). */
    tags: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((env, ctx) => {
    validateAiAccess(env, ctx);
    const azs = env.availabilityZones;
    // Every environment: the RDS and ElastiCache subnet groups and the load balancer span two AZs.
    if (azs.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['availabilityZones'],
        message:
          env.name === 'prod'
            ? 'prod needs at least two availability zones'
            : 'needs at least two availability zones (the database and cache subnet groups and the load balancer span two)',
      });
    }
    if (new Set(azs).size !== azs.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['availabilityZones'],
        message: 'availability zones must be distinct',
      });
    }
    azs.forEach((az, i) => {
      if (!new RegExp(`^${env.region}[a-z]$`).test(az)) {
        ctx.addIssue({
          code: 'custom',
          path: ['availabilityZones', i],
          message: `"${az}" is not an availability zone of region ${env.region}`,
        });
      }
    });
    validateSubnets(env, ctx);
    if (env.ecs.mode === 'active-passive' && azs.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['ecs', 'mode'],
        message: 'active-passive needs at least two availability zones',
      });
    }
    for (const app of ['frontend', 'backend'] as const) {
      const svc = env.ecs[app];
      if (svc.minCount > svc.maxCount) {
        ctx.addIssue({ code: 'custom', path: ['ecs', app, 'minCount'], message: 'must not exceed maxCount' });
      }
      if (svc.desiredCount < svc.minCount || svc.desiredCount > svc.maxCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['ecs', app, 'desiredCount'],
          message: 'must lie between minCount and maxCount',
        });
      }
    }
    if (env.database.maxAllocatedStorageGib < env.database.allocatedStorageGib) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'maxAllocatedStorageGib'],
        message: 'must be at least allocatedStorageGib (it is the storage autoscaling ceiling)',
      });
    }
    if (windowsOverlap(env.database.backupWindow, env.database.maintenanceWindow)) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'backupWindow'],
        message: 'must not overlap database.maintenanceWindow',
      });
    }
    if (env.cache.replicas > 0 && azs.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['cache', 'replicas'],
        message: 'replicas (Multi-AZ) need at least two availability zones',
      });
    }
    if (env.name === 'prod') {
      if (!env.database.multiAz)
        ctx.addIssue({ code: 'custom', path: ['database', 'multiAz'], message: 'must be true in prod' });
      if (env.cache.replicas < 1)
        ctx.addIssue({
          code: 'custom',
          path: ['cache', 'replicas'],
          message: 'prod needs at least one replica',
        });
      for (const [i, origin] of env.extraCorsOrigins.entries()) {
        if (!origin.startsWith('https://')) {
          ctx.addIssue({ code: 'custom', path: ['extraCorsOrigins', i], message: 'must be https in prod' });
        }
      }
      if (!env.protectStatefulResources) {
        ctx.addIssue({ code: 'custom', path: ['protectStatefulResources'], message: 'must be true in prod' });
      }
    }
  });

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;

type RefineCtx = z.RefinementCtx;

/**
 * The AI API's callers and the queue replay operators must be principals of this environment's
 * account (a foreign ARN in a resource policy would be cross-account access), and the API's per-IP
 * WAF limit must admit the full throttled load: every backend call comes from its NAT address, so a
 * lower limit would make WAF, not the API throttles, decide when the backend is refused.
 */
function validateAiAccess(env: EnvironmentConfig, ctx: RefineCtx): void {
  const ownAccount = `::${env.accountId}:`;
  for (const field of ['apiOperatorPrincipalArns', 'queueReplayPrincipalArns'] as const) {
    env.ai[field].forEach((arn, i) => {
      if (!arn.includes(ownAccount)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ai', field, i],
          message: `"${arn}" is not an IAM principal of account ${env.accountId}`,
        });
      }
    });
  }
  const peak = 300 * (env.ai.throttleRateLimit + env.ai.readThrottleRateLimit);
  if (env.ai.apiWafRateLimitPer5Minutes < peak) {
    ctx.addIssue({
      code: 'custom',
      path: ['ai', 'apiWafRateLimitPer5Minutes'],
      message:
        `${env.ai.apiWafRateLimitPer5Minutes} is below 300 x (throttleRateLimit ${env.ai.throttleRateLimit} + ` +
        `readThrottleRateLimit ${env.ai.readThrottleRateLimit}) = ${peak}; the backend's calls all come from its ` +
        'NAT address, so WAF would block them before the API throttles do',
    });
  }
}

function validateSubnets(env: EnvironmentConfig, ctx: RefineCtx): void {
  const vpc = parseCidr(env.network.vpcCidr);
  if (typeof vpc === 'string') return; // already reported on network.vpcCidr
  const seen: { path: (string | number)[]; block: Ipv4Block }[] = [];
  for (const tier of ['publicSubnetCidrs', 'appSubnetCidrs', 'dataSubnetCidrs'] as const) {
    const list = env.network[tier];
    if (list.length !== env.availabilityZones.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', tier],
        message: `needs exactly one subnet per availability zone (${env.availabilityZones.length}), got ${list.length}`,
      });
    }
    list.forEach((value, i) => {
      const block = parseCidr(value);
      if (typeof block === 'string') return;
      const path = ['network', tier, i];
      if (!contains(vpc, block)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${value} is outside the VPC block ${env.network.vpcCidr}`,
        });
      }
      if (block.prefix > 28)
        ctx.addIssue({ code: 'custom', path, message: `${value} is smaller than /28, the AWS minimum` });
      for (const other of seen) {
        if (overlaps(other.block, block)) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `${value} overlaps ${other.block.cidr} (${other.path.join('.')})`,
          });
        }
      }
      seen.push({ path, block });
    });
  }
}

/** Whether a daily `hh:mm-hh:mm` window overlaps a weekly `ddd:hh:mm-ddd:hh:mm` window on any day. */
export function windowsOverlap(daily: string, weekly: string): boolean {
  const minutes = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const [ds, de] = daily.split('-').map(minutes) as [number, number];
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const weeklyPoint = (s: string) => {
    const [day, h, m] = s.split(':');
    // Stryker disable next-line StringLiteral: split always yields a first element; `?? ''` only satisfies the type
    const dayIndex = days.indexOf(day ?? '');
    return dayIndex * 1440 + minutes(`${h}:${m}`);
  };
  const [ws, we] = weekly.split('-').map(weeklyPoint) as [number, number];
  const week = 7 * 1440;
  const weeklyEnd = we >= ws ? we : we + week;
  // Days 0-7: a daily window across midnight on day 7 meets a weekly window early on Monday.
  for (let day = 0; day < 8; day++) {
    const start = day * 1440 + ds;
    const end = day * 1440 + (de >= ds ? de : de + 1440);
    // Stryker disable next-line UnaryOperator: the -week copy only reaches into the week through a window wrapping past Sunday, which day 7 meets at shift 0 or, longer than a day, meets on another day
    for (const shift of [-week, 0, week]) {
      if (start < weeklyEnd + shift && ws + shift < end) return true;
    }
  }
  return false;
}
