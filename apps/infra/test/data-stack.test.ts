import { JOB_TTL_DAYS } from '@bandup/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_SECRET_ENVIRONMENT } from '../src/stacks/app/app-backend-environment.js';
import {
  type Json,
  keyArnRef,
  onlyResource,
  refName,
  resourcesOf,
  type SynthesizedApp,
  synthWholeApp,
} from './data-fixture.js';

const ENVS = ['dev', 'prod'] as const;
let synth: SynthesizedApp;
const data = (env: string): Json => synth.stacks[`bandup-${env}-data`] as Json;
const network = (env: string): Json => synth.stacks[`bandup-${env}-network`] as Json;
const policyOf = (doc: string) =>
  JSON.parse(doc) as {
    Statement: {
      Sid?: string;
      Effect: string;
      Principal?: Json;
      Action: string | string[];
      Resource?: unknown;
      Condition?: Json;
    }[];
  };

beforeAll(() => {
  // The whole app: a validation error or a failing Aspect anywhere makes app.synth() throw here.
  synth = synthWholeApp();
}, 120_000);

describe('whole app', () => {
  it('synthesizes with every stack, including both data stacks, without errors', () => {
    expect(Object.keys(synth.stacks)).toEqual(
      expect.arrayContaining(['bandup-dev-data', 'bandup-prod-data']),
    );
  });
});

describe('KMS keys', () => {
  it.each(ENVS)(
    '%s: data, logs and secrets keys with rotation, aliases and purpose-bound policies',
    (env) => {
      const stack = data(env);
      const keys = resourcesOf(stack, 'aws_kms_key');
      const byAlias = (purpose: string) =>
        keys[refName(keyArnRef(stack, `bandup-${env}-${purpose}`)) as string] as Json;
      for (const purpose of ['data', 'logs', 'secrets']) {
        const key = byAlias(purpose);
        expect(key.enable_key_rotation, purpose).toBe(true);
        expect(key.lifecycle?.prevent_destroy === true, purpose).toBe(env === 'prod');
      }
      const via = (purpose: string) =>
        policyOf(byAlias(purpose).policy).Statement.flatMap(
          (s) =>
            (s.Condition?.['ForAnyValue:StringEquals']?.['kms:ViaService'] as string[] | undefined) ?? [],
        );
      const principals = (purpose: string) =>
        policyOf(byAlias(purpose).policy)
          .Statement.map((s) => s.Principal?.Service)
          .filter(Boolean);
      const region = 'ap-southeast-1';
      expect(via('data').sort()).toEqual(
        ['dynamodb', 'elasticache', 'lambda', 'rds', 's3', 'transcribe'].map(
          (s) => `${s}.${region}.amazonaws.com`,
        ),
      );
      expect(via('secrets')).toEqual([`secretsmanager.${region}.amazonaws.com`]);
      // Only CloudWatch Logs may use a key directly, and only the logs key, for this account's groups.
      // CloudFront's origin access control decrypts media objects (conditions in data-media-cdn.test.ts).
      expect(principals('data')).toEqual(['cloudfront.amazonaws.com']);
      expect(principals('secrets')).toEqual([]);
      expect(principals('logs')).toEqual([`logs.${region}.amazonaws.com`]);
      const logsStatement = policyOf(byAlias('logs').policy).Statement.find((s) => s.Principal?.Service);
      expect(logsStatement?.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn']).toMatch(
        /^arn:aws:logs:ap-southeast-1:\d{12}:log-group:\*$/,
      );
    },
  );
});

describe('RDS PostgreSQL', () => {
  it('prod: Multi-AZ, CMK-encrypted, protected, managed password, IAM auth, private, logged, monitored', () => {
    const stack = data('prod');
    const db = onlyResource(stack, 'aws_db_instance');
    const dataKey = keyArnRef(stack, 'bandup-prod-data');
    expect(db).toMatchObject({
      engine: 'postgres',
      engine_version: '17',
      multi_az: true,
      storage_encrypted: true,
      kms_key_id: dataKey,
      storage_type: 'gp3',
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
      manage_master_user_password: true,
      master_user_secret_kms_key_id: keyArnRef(stack, 'bandup-prod-secrets'),
      iam_database_authentication_enabled: true,
      publicly_accessible: false,
      db_name: 'band_up',
      ca_cert_identifier: 'rds-ca-rsa2048-g1',
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      // Unique per generation: named after the data key, which a re-created environment replaces.
      final_snapshot_identifier: `bandup-prod-postgres-final-\${substr(${dataKey.replace(/^\$\{|\.arn\}$/g, '')}.key_id, 0, 8)}`,
      backup_retention_period: 7,
      auto_minor_version_upgrade: true,
      performance_insights_enabled: true,
      performance_insights_kms_key_id: dataKey,
      monitoring_interval: 60,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
    });
    expect(db.max_allocated_storage).toBeGreaterThan(db.allocated_storage);
    expect(db).not.toHaveProperty('password');
    expect(db.backup_window).not.toBe(db.maintenance_window);
    // Its own Enhanced Monitoring role, assumable only by RDS monitoring for this account.
    const role = resourcesOf(stack, 'aws_iam_role')[refName(db.monitoring_role_arn) as string] as Json;
    const trust = policyOf(role.assume_role_policy).Statement[0];
    expect(trust?.Principal).toEqual({ Service: 'monitoring.rds.amazonaws.com' });
    expect(trust?.Condition?.StringEquals?.['aws:SourceAccount']).toMatch(/^\d{12}$/);
  });

  it.each(ENVS)(
    '%s: parameter group forces TLS and logs slow statements; log groups exist first with KMS',
    (env) => {
      const stack = data(env);
      const db = onlyResource(stack, 'aws_db_instance');
      const params = resourcesOf(stack, 'aws_db_parameter_group')[
        refName(db.parameter_group_name) as string
      ] as Json;
      expect(params.family).toBe('postgres17');
      const value = (name: string) => (params.parameter as Json[]).find((p) => p.name === name)?.value;
      expect(value('rds.force_ssl')).toBe('1');
      expect(Number(value('log_min_duration_statement'))).toBeGreaterThan(0);
      const groups = Object.values(resourcesOf(stack, 'aws_cloudwatch_log_group'));
      for (const type of ['postgresql', 'upgrade']) {
        const group = groups.find((g) => g.name === `/aws/rds/instance/bandup-${env}-postgres/${type}`);
        expect(group?.kms_key_id, type).toBe(keyArnRef(stack, `bandup-${env}-logs`));
        expect(group?.retention_in_days, type).toBeGreaterThan(0);
      }
      expect(db.depends_on).toHaveLength(2);
      // In the data subnets (the network stack's data tier), behind the database group.
      const subnetGroup = resourcesOf(stack, 'aws_db_subnet_group')[
        refName(db.db_subnet_group_name) as string
      ] as Json;
      expect(subnetGroup.subnet_ids).toEqual([
        expect.stringMatching(/\.outputs\.cross-stack-output-aws_subnetdata-subnet-0id\}$/),
        expect.stringMatching(/\.outputs\.cross-stack-output-aws_subnetdata-subnet-1id\}$/),
      ]);
      expect(db.vpc_security_group_ids).toEqual([expect.stringContaining('sg-databaseid')]);
    },
  );

  it('dev: single AZ, no deletion protection, no prevent_destroy, no final snapshot (destroyable and re-creatable)', () => {
    const db = onlyResource(data('dev'), 'aws_db_instance');
    expect(db.multi_az).toBe(false);
    expect(db.deletion_protection).toBe(false);
    expect(db.lifecycle).toBeUndefined();
    expect(db.skip_final_snapshot).toBe(true);
    expect(db.final_snapshot_identifier).toBeUndefined();
    const cache = onlyResource(data('dev'), 'aws_elasticache_replication_group');
    expect(cache.final_snapshot_identifier).toBeUndefined();
  });

  it.each(ENVS)(
    '%s: parameter groups can be replaced before the old one is destroyed (no fixed names)',
    (env) => {
      const stack = data(env);
      const pg = Object.values(resourcesOf(stack, 'aws_db_parameter_group'))[0] as Json;
      expect(pg.name).toBeUndefined();
      expect(pg.name_prefix).toBe(`bandup-${env}-postgres-postgres17-`);
      expect(pg.lifecycle).toEqual({ create_before_destroy: true });
      const cachePg = Object.values(resourcesOf(stack, 'aws_elasticache_parameter_group'))[0] as Json;
      expect(cachePg.name).toMatch(new RegExp(`^bandup-${env}-cache-valkey8-[0-9a-f]{8}$`));
      expect(cachePg.lifecycle).toEqual({ create_before_destroy: true });
    },
  );

  it('prod: the Valkey final snapshot is named after the data key too, and the data key is kept', () => {
    const stack = data('prod');
    const cache = onlyResource(stack, 'aws_elasticache_replication_group');
    expect(cache.final_snapshot_identifier).toMatch(
      /^bandup-prod-cache-final-\$\{substr\(aws_kms_key\.[^.]+\.key_id, 0, 8\)\}$/,
    );
    const dataKey = Object.values(resourcesOf(stack, 'aws_kms_key')).find((k) =>
      String(k.description).includes('data at rest'),
    ) as Json;
    expect(dataKey.lifecycle).toEqual({ prevent_destroy: true });
    expect(dataKey.deletion_window_in_days).toBe(30);
    const devKey = Object.values(resourcesOf(data('dev'), 'aws_kms_key'))[0] as Json;
    expect(devKey.deletion_window_in_days).toBe(7);
  });
});

describe('ElastiCache Valkey', () => {
  it('prod: primary + replica in the other AZ, Multi-AZ, automatic failover, both encryptions, RBAC', () => {
    const stack = data('prod');
    const group = onlyResource(stack, 'aws_elasticache_replication_group');
    expect(group).toMatchObject({
      engine: 'valkey',
      engine_version: '8.0',
      num_cache_clusters: 2,
      preferred_cache_cluster_azs: ['ap-southeast-1a', 'ap-southeast-1b'],
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      at_rest_encryption_enabled: 'true',
      kms_key_id: keyArnRef(stack, 'bandup-prod-data'),
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      lifecycle: { prevent_destroy: true },
      snapshot_retention_limit: 7,
      port: 6379,
    });
    expect(group.maintenance_window).toMatch(/^[a-z]{3}:\d\d:\d\d-[a-z]{3}:\d\d:\d\d$/);
    expect(group.security_group_ids).toEqual([expect.stringContaining('sg-cacheid')]);
    // Slow log as JSON to a KMS-encrypted log group.
    const delivery = (group.log_delivery_configuration as Json[])[0];
    expect(delivery).toMatchObject({
      destination_type: 'cloudwatch-logs',
      log_format: 'json',
      log_type: 'slow-log',
    });
    const slowLog = resourcesOf(stack, 'aws_cloudwatch_log_group')[
      refName(delivery?.destination) as string
    ] as Json;
    expect(slowLog.kms_key_id).toBe(keyArnRef(stack, 'bandup-prod-logs'));
  });

  it('dev: one node, no failover', () => {
    const group = onlyResource(data('dev'), 'aws_elasticache_replication_group');
    expect(group.num_cache_clusters).toBe(1);
    expect(group.automatic_failover_enabled).toBe(false);
    expect(group.multi_az_enabled).toBe(false);
  });

  it.each(ENVS)(
    '%s: password auth from a Secrets Manager secret, generated and rotated by Secrets Manager, never by Terraform',
    (env) => {
      const stack = data(env);
      const group = onlyResource(stack, 'aws_elasticache_replication_group');
      // No Terraform-supplied token: it would sit in state.
      expect(group).not.toHaveProperty('auth_token');
      const userGroup = resourcesOf(stack, 'aws_elasticache_user_group')[
        refName(group.user_group_ids[0]) as string
      ] as Json;
      const users = (userGroup.user_ids as string[]).map(
        (id) => resourcesOf(stack, 'aws_elasticache_user')[refName(id) as string] as Json,
      );
      expect(users).toHaveLength(1);
      const user = users[0] as Json;
      // Created disabled and without a password; the rotation function enables it with its password.
      expect(user).toMatchObject({ user_name: 'default', access_string: 'off -@all' });
      expect(user.authentication_mode).toEqual({ type: 'no-password-required' });
      expect(user).not.toHaveProperty('passwords');

      const secret = Object.values(resourcesOf(stack, 'aws_secretsmanager_secret')).find(
        (s) => s.name === `bandup/${env}/cache/app-password`,
      ) as Json;
      expect(secret.kms_key_id).toBe(keyArnRef(stack, `bandup-${env}-secrets`));
      const rotation = Object.values(resourcesOf(stack, 'aws_secretsmanager_secret_rotation')).find((r) =>
        String(r.secret_id).includes('cache-password'),
      ) as Json;
      expect(refName(rotation.secret_id)).toBe(
        Object.keys(resourcesOf(stack, 'aws_secretsmanager_secret')).find(
          (k) => resourcesOf(stack, 'aws_secretsmanager_secret')[k] === secret,
        ),
      );
      expect(rotation.rotation_rules.automatically_after_days).toBe(30);
      expect(rotation.depends_on).toEqual(
        expect.arrayContaining([expect.stringMatching(/^aws_elasticache_replication_group\./)]),
      );
      const fn = resourcesOf(stack, 'aws_lambda_function')[
        refName(rotation.rotation_lambda_arn) as string
      ] as Json;
      expect(fn.environment.variables.CACHE_USER_ID).toBe(
        `\${aws_elasticache_user.${refName(userGroup.user_ids[0])}.user_id}`,
      );
      expect(fn.vpc_config.security_group_ids).toEqual([expect.stringContaining('sg-lambdaid')]);
      // Only Secrets Manager, for this secret, may invoke it; it may modify only this user.
      const permission = Object.values(resourcesOf(stack, 'aws_lambda_permission')).find(
        (p) =>
          p.function_name ===
          `\${aws_lambda_function.${refName(rotation.rotation_lambda_arn)}.function_name}`,
      );
      expect(permission).toMatchObject({
        principal: 'secretsmanager.amazonaws.com',
        source_arn: `\${aws_secretsmanager_secret.${refName(rotation.secret_id)}.arn}`,
      });
      const rolePolicy = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).find((p) =>
        String(p.policy).includes('elasticache:ModifyUser'),
      ) as Json;
      const modify = policyOf(rolePolicy.policy).Statement.find((s) =>
        JSON.stringify(s.Action).includes('ModifyUser'),
      );
      expect(modify?.Resource).toBe(`\${aws_elasticache_user.${refName(userGroup.user_ids[0])}.arn}`);
      // The app stack injects exactly this secret as the Redis password.
      expect(synth.raw[`bandup-${env}-app`]).toContain('SPRING_DATA_REDIS_PASSWORD');
    },
  );
});

describe('security groups (network stack rules)', () => {
  const ingressTo = (env: string, tier: string) =>
    Object.values(resourcesOf(network(env), 'aws_vpc_security_group_ingress_rule')).filter(
      (r) => r.security_group_id === `\${aws_security_group.sg-${tier}.id}`,
    );

  it.each(ENVS)(
    '%s: the database group admits only the backend group and the app-user function, only on 5432',
    (env) => {
      const rules = ingressTo(env, 'database');
      expect(rules.map((r) => r.referenced_security_group_id).sort()).toEqual([
        '${aws_security_group.sg-backend.id}',
        '${aws_security_group.sg-lambda.id}',
      ]);
      for (const rule of rules) {
        expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 5432, to_port: 5432 });
        expect(rule).not.toHaveProperty('cidr_ipv4');
      }
      expect(onlyOrNone(network(env), 'sg-database').ingress).toBeUndefined();
    },
  );

  it.each(ENVS)(
    '%s: the cache group admits only the backend group and the rotation function, only on 6379',
    (env) => {
      const rules = ingressTo(env, 'cache');
      expect(rules.map((r) => r.referenced_security_group_id).sort()).toEqual([
        '${aws_security_group.sg-backend.id}',
        '${aws_security_group.sg-lambda.id}',
      ]);
      for (const rule of rules)
        expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 6379, to_port: 6379 });
      expect(onlyOrNone(network(env), 'sg-cache').ingress).toBeUndefined();
      // The lambda group is used by the two rotation functions and nothing else.
      const inVpc = Object.entries(synth.stacks).flatMap(([id, stack]) =>
        Object.values(resourcesOf(stack, 'aws_lambda_function'))
          .filter((f) => f.vpc_config)
          .map((f) => `${id}:${f.function_name}`),
      );
      expect(inVpc.filter((f) => f.startsWith(`bandup-${env}-`)).sort()).toEqual([
        `bandup-${env}-data:bandup-${env}-cache-password-rotation`,
        `bandup-${env}-data:bandup-${env}-postgres-app-user`,
      ]);
    },
  );
});

function onlyOrNone(stack: Json, name: string): Json {
  return resourcesOf(stack, 'aws_security_group')[name] ?? {};
}

describe('S3 buckets', () => {
  /** The resource of `type` configuring bucket `name` (found by its `bucket` reference). */
  const configOf = (stack: Json, type: string, name: string) =>
    Object.values(resourcesOf(stack, type)).filter((r) => r.bucket === `\${aws_s3_bucket.${name}.id}`);

  it.each(ENVS)('%s: every bucket has every protection', (env) => {
    const stack = data(env);
    const buckets = resourcesOf(stack, 'aws_s3_bucket');
    expect(Object.keys(buckets)).toHaveLength(4);
    for (const [name, bucket] of Object.entries(buckets)) {
      expect(bucket.bucket, name).toMatch(new RegExp(`^bandup-${env}-[a-z0-9-]+-\\d{12}$`));
      expect(bucket.lifecycle?.prevent_destroy === true, name).toBe(env === 'prod');
      const [pab] = configOf(stack, 'aws_s3_bucket_public_access_block', name);
      expect(pab, name).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(configOf(stack, 'aws_s3_bucket_ownership_controls', name)[0]?.rule.object_ownership, name).toBe(
        'BucketOwnerEnforced',
      );
      expect(
        configOf(stack, 'aws_s3_bucket_versioning', name)[0]?.versioning_configuration.status,
        name,
      ).toBe('Enabled');
      const sse = configOf(stack, 'aws_s3_bucket_server_side_encryption_configuration', name)[0]?.rule[0];
      const byDefault = sse?.apply_server_side_encryption_by_default;
      if (bucket.bucket.includes('-alb-logs-') || bucket.bucket.includes('-s3-access-logs-')) {
        // The two log delivery services cannot write to SSE-KMS buckets.
        expect(byDefault, name).toEqual({ sse_algorithm: 'AES256' });
      } else {
        expect(byDefault, name).toEqual({
          sse_algorithm: 'aws:kms',
          kms_master_key_id: keyArnRef(stack, `bandup-${env}-data`),
        });
        expect(sse?.bucket_key_enabled, name).toBe(true);
      }
      const policy = policyOf(configOf(stack, 'aws_s3_bucket_policy', name)[0]?.policy);
      const tls = policy.Statement.find((s) => s.Sid === 'DenyInsecureTransport');
      expect(tls, name).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      const rules = configOf(stack, 'aws_s3_bucket_lifecycle_configuration', name)[0]?.rule as Json[];
      expect(
        rules.some((r) => r.noncurrent_version_expiration?.[0]?.noncurrent_days > 0),
        name,
      ).toBe(true);
      expect(
        rules.some((r) => r.abort_incomplete_multipart_upload?.[0]?.days_after_initiation > 0),
        name,
      ).toBe(true);
    }
  });

  it('alb-logs: the ap-southeast-1 ELB account may write only under alb/AWSLogs/<account>/', () => {
    const stack = data('prod');
    const [name] = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) =>
      b.bucket.includes('-alb-logs-'),
    ) as [string, Json];
    const policy = policyOf(configOf(stack, 'aws_s3_bucket_policy', name)[0]?.policy);
    const delivery = policy.Statement.find((s) => s.Sid === 'AlbAccessLogDelivery');
    expect(delivery).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::114774131450:root' },
      Action: 's3:PutObject',
      Resource: `\${aws_s3_bucket.${name}.arn}/alb/AWSLogs/${synth.stacks['bandup-prod-data']?.provider.aws[0].allowed_account_ids[0]}/*`,
    });
  });

  it('uploads: CORS only for the site origin, PutObject only with the data key, expiry by prefix', () => {
    const stack = data('prod');
    const [name] = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) =>
      b.bucket.includes('-uploads-'),
    ) as [string, Json];
    const cors = configOf(stack, 'aws_s3_bucket_cors_configuration', name)[0]?.cors_rule as Json[];
    expect(cors).toHaveLength(1);
    expect(cors[0]?.allowed_origins).toEqual(['https://bandup.example.com']);
    expect(cors[0]?.allowed_methods).toEqual(['POST']);
    const policy = policyOf(configOf(stack, 'aws_s3_bucket_policy', name)[0]?.policy);
    const otherKey = policy.Statement.find((s) => s.Sid === 'DenyOtherKmsKey');
    expect(otherKey?.Effect).toBe('Deny');
    expect(otherKey?.Condition?.StringNotEquals?.['s3:x-amz-server-side-encryption-aws-kms-key-id']).toBe(
      keyArnRef(stack, 'bandup-prod-data'),
    );
    expect(policy.Statement.find((s) => s.Sid === 'DenyOtherEncryption')?.Condition?.StringNotEquals).toEqual(
      {
        's3:x-amz-server-side-encryption': 'aws:kms',
      },
    );
    const rules = configOf(stack, 'aws_s3_bucket_lifecycle_configuration', name)[0]?.rule as Json[];
    const days = (prefix: string) =>
      rules.find((r) => r.filter?.[0]?.prefix === prefix)?.expiration?.[0]?.days;
    expect(days('uploads/speaking/')).toBe(30);
    expect(days('transcripts/')).toBe(30);
    expect(days('results/')).toBe(JOB_TTL_DAYS);
    expect(days('embeddings/')).toBe(90);
    expect(days('dead-letters/')).toBe(90);
  });

  it.each(ENVS)('%s: server access logs of the other buckets go to the access log bucket', (env) => {
    const stack = data(env);
    const logging = Object.values(resourcesOf(stack, 'aws_s3_bucket_logging'));
    expect(logging).toHaveLength(3);
    const target = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) =>
      b.bucket.includes('-s3-access-logs-'),
    )?.[0];
    for (const l of logging) expect(l.target_bucket).toBe(`\${aws_s3_bucket.${target}.id}`);
  });
});

describe('Secrets Manager', () => {
  it.each(ENVS)(
    '%s: backend and Gemini secrets exist, KMS-encrypted, with no value; prod recoverable, dev deleted at once',
    (env) => {
      const stack = data(env);
      const secrets = Object.values(resourcesOf(stack, 'aws_secretsmanager_secret'));
      const names = secrets.map((s) => s.name);
      for (const name of Object.keys(BACKEND_SECRET_ENVIRONMENT))
        expect(names).toContain(`bandup/${env}/backend/${name}`);
      expect(names).toContain(`bandup/${env}/ai/gemini-api-key`);
      for (const secret of secrets) {
        expect(secret.kms_key_id, secret.name).toBe(keyArnRef(stack, `bandup-${env}-secrets`));
        // dev: 0, so a destroyed dev can be re-created at once under the same names (docs/teardown.md).
        expect(secret.recovery_window_in_days, secret.name).toBe(env === 'prod' ? 30 : 0);
        expect(secret.lifecycle?.prevent_destroy === true, secret.name).toBe(env === 'prod');
      }
      expect(resourcesOf(stack, 'aws_secretsmanager_secret_version')).toEqual({});
    },
  );
});

describe('no secret value in the synthesized output', () => {
  const SECRETISH_KEY =
    /(password|passwd|secret_string|auth_token|token|api_key|private_key|secret_key|access_key)$/i;

  /** Every string value whose key looks secret, also inside JSON-encoded strings (policies, container definitions). */
  function secretLiterals(value: unknown, key = '', found: string[] = []): string[] {
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && trimmed.length > 1) {
        try {
          secretLiterals(JSON.parse(trimmed), key, found);
          return found;
        } catch {
          // not JSON: checked as a plain string below
        }
      }
      if (SECRETISH_KEY.test(key) && value !== '' && !/^\$\{[^}]+\}$/.test(value))
        found.push(`${key}=${value}`);
    } else if (Array.isArray(value)) {
      for (const v of value) secretLiterals(v, key, found);
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value as Json);
      // ECS secrets: {"name": "SPRING_DATA_REDIS_PASSWORD", "valueFrom": "<arn>"}; environment: {"name", "value"}.
      const named = (value as Json).name;
      // CodeBuild variables of type SECRETS_MANAGER hold the secret's name, resolved at build time.
      const reference = ['SECRETS_MANAGER', 'PARAMETER_STORE'].includes((value as Json).type);
      if (typeof named === 'string' && 'value' in (value as Json) && !reference)
        secretLiterals((value as Json).value, named, found);
      for (const [k, v] of entries) secretLiterals(v, k, found);
    }
    return found;
  }

  it('no secret-looking literal or key material in any stack', () => {
    for (const [id, raw] of Object.entries(synth.raw)) {
      expect(secretLiterals(synth.stacks[id]), id).toEqual([]);
      expect(raw, id).not.toMatch(/AKIA[0-9A-Z]{16}/);
      expect(raw, id).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    }
  });

  it.each(ENVS)(
    '%s data stack: Terraform writes no secret value at all (no version, token or password)',
    (env) => {
      const id = `bandup-${env}-data`;
      const raw = synth.raw[id] as string;
      expect(raw, id).not.toMatch(/"secret_string(_wo)?"\s*:/);
      expect(raw, id).not.toMatch(/"auth_token"\s*:/);
      expect(raw, id).not.toMatch(/"passwords?"\s*:/);
      expect(raw, id).not.toContain('aws_secretsmanager_secret_version');
    },
  );

  it('the scan finds a planted secret (so a pass means something)', () => {
    const planted = {
      resource: { x: { y: { environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }], auth_token: 'abc' } } },
    };
    expect(secretLiterals(planted)).toEqual(['DB_PASSWORD=hunter2', 'auth_token=abc']);
  });
});

describe('PostgreSQL application user', () => {
  it.each(ENVS)(
    '%s: own secret rotated by the app-user function, roles created on apply, master read only there',
    (env) => {
      const stack = data(env);
      const secrets = resourcesOf(stack, 'aws_secretsmanager_secret');
      const [secretId, secret] = Object.entries(secrets).find(
        ([, s]) => s.name === `bandup/${env}/database/app-credentials`,
      ) as [string, Json];
      expect(secret.kms_key_id).toBe(keyArnRef(stack, `bandup-${env}-secrets`));
      const functions = resourcesOf(stack, 'aws_lambda_function');
      const [fnId, fn] = Object.entries(functions).find(
        ([, f]) => f.function_name === `bandup-${env}-postgres-app-user`,
      ) as [string, Json];
      expect(fn.reserved_concurrent_executions).toBe(1);
      expect(fn.environment.variables).toMatchObject({
        DB_NAME: 'band_up',
        DB_OWNER_ROLE: 'bandup_app',
        DB_LOGIN_USERS: 'bandup_app_blue,bandup_app_green',
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      });
      expect(fn.environment.variables.MASTER_SECRET_ARN).toMatch(
        /aws_db_instance\.[^.]+\.master_user_secret\[0\]\.secret_arn/,
      );
      expect(fn.vpc_config.security_group_ids).toEqual([expect.stringContaining('sg-lambdaid')]);

      const rotation = Object.values(resourcesOf(stack, 'aws_secretsmanager_secret_rotation')).find(
        (r) => r.secret_id === `\${aws_secretsmanager_secret.${secretId}.id}`,
      ) as Json;
      expect(rotation.rotation_lambda_arn).toBe(`\${aws_lambda_function.${fnId}.arn}`);
      expect(rotation.rotation_rules.automatically_after_days).toBe(30);
      const [invocationId, invocation] = Object.entries(resourcesOf(stack, 'aws_lambda_invocation'))[0] as [
        string,
        Json,
      ];
      expect(JSON.parse(invocation.input)).toEqual({ action: 'bootstrap' });
      expect(invocation.depends_on).toEqual(
        expect.arrayContaining([expect.stringMatching(/^aws_db_instance\./)]),
      );
      // The first rotation sets a password on a user the bootstrap created.
      expect(rotation.depends_on).toContain(`aws_lambda_invocation.${invocationId}`);

      // Only this function's role may read the RDS-managed master secret.
      const readers = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).filter((p) =>
        String(p.policy).includes('master_user_secret'),
      );
      expect(readers).toHaveLength(1);
      expect(String(readers[0]?.role)).toContain('postgres-app-user');
    },
  );
});

describe('CloudWatch Logs resource policies', () => {
  it('one per environment for the whole app (the account allows 10), admitting every WAF log group of it', () => {
    for (const env of ENVS) {
      const policies = Object.entries(synth.stacks)
        .filter(([id]) => id.startsWith(`bandup-${env}-`))
        .flatMap(([, stack]) => Object.values(resourcesOf(stack, 'aws_cloudwatch_log_resource_policy')));
      expect(policies).toHaveLength(1);
      const statement = JSON.parse(policies[0]?.policy_document).Statement[0];
      expect(statement.Resource).toBe(
        `arn:aws:logs:ap-southeast-1:111111111111:log-group:aws-waf-logs-bandup-${env}-*:log-stream:*`,
      );
      expect(statement.Condition.StringEquals['aws:SourceAccount']).toBe('111111111111');
      // Every WAF log group of the environment falls under it.
      const wafGroups = Object.entries(synth.stacks)
        .filter(([id]) => id.startsWith(`bandup-${env}-`))
        .flatMap(([, stack]) => Object.values(resourcesOf(stack, 'aws_cloudwatch_log_group')))
        .map((g) => g.name as string)
        .filter((name) => name.startsWith('aws-waf-logs-'));
      expect(wafGroups.length).toBe(2);
      for (const name of wafGroups) expect(name.startsWith(`aws-waf-logs-bandup-${env}-`)).toBe(true);
    }
  });
});
