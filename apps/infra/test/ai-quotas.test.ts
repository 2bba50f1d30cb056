import { API_OPERATIONS, SubmissionLimitsSchema, usesApiKey } from '@bandup/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import {
  ENVIRONMENT_INPUTS,
  type EnvironmentInput,
  loadEnvironment,
  selectEnvironments,
} from '../src/config/index.js';
import { findResource, type Json, refId, resourcesOf, synthAi } from './ai-fixture.js';

const configs = selectEnvironments('dev,prod');
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
let stacks: Record<string, Json>;
beforeAll(() => {
  stacks = synthAi(configs).stacks;
}, 120_000);

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

describe('prod AI quotas are its own, sized for real use', () => {
  it('prod does not inherit dev.ai and is sized above it', () => {
    const [devConfig, prodConfig] = configs as [(typeof configs)[0], (typeof configs)[0]];
    expect(ENVIRONMENT_INPUTS.prod?.ai).not.toBe(dev.ai);
    expect(prodConfig.ai.quotaPerDay).toBeGreaterThanOrEqual(36_000); // 4,000 learners x 9 POSTs
    expect(prodConfig.ai.quotaPerDay).toBeGreaterThan(devConfig.ai.quotaPerDay);
    expect(prodConfig.ai.readThrottleRateLimit).toBeGreaterThanOrEqual(22); // the peak polling average
    // Reads get more than submissions: they are cheap and poll.
    for (const c of configs) expect(c.ai.readThrottleRateLimit).toBeGreaterThan(c.ai.throttleRateLimit);
  });
});

describe.each(configs.map((c) => [c.name, c] as const))('bandup-%s-ai quotas and limits', (env, config) => {
  const ai = () => stacks[`bandup-${env}-ai`] as Json;

  it('one usage plan (submissions only) with the configured throttle and daily quota', () => {
    const plans = Object.values(resourcesOf(ai(), 'aws_api_gateway_usage_plan'));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({
      throttle_settings: {
        rate_limit: config.ai.throttleRateLimit,
        burst_limit: config.ai.throttleBurstLimit,
      },
      quota_settings: { limit: config.ai.quotaPerDay, period: 'DAY' },
    });
  });

  it('every read route has its own method throttle; submissions keep the stage default', () => {
    const settings = Object.values(resourcesOf(ai(), 'aws_api_gateway_method_settings'));
    const byPath = new Map(settings.map((s) => [s.method_path as string, s.settings as Json]));
    const reads = API_OPERATIONS.filter((op) => !usesApiKey(op));
    expect(reads.map((op) => op.operationId).sort()).toEqual([
      'getJob',
      'getSpeakingTestBand',
      'getWritingTestBand',
      'listJobs',
    ]);
    for (const op of reads) {
      expect(byPath.get(`${op.path.slice(1)}/GET`), op.operationId).toEqual({
        metrics_enabled: true,
        logging_level: 'INFO',
        data_trace_enabled: false,
        throttling_rate_limit: config.ai.readThrottleRateLimit,
        throttling_burst_limit: config.ai.readThrottleBurstLimit,
      });
    }
    expect(byPath.get('*/*')).toMatchObject({ throttling_rate_limit: config.ai.throttleRateLimit });
    expect(settings).toHaveLength(1 + reads.length);
  });

  it("the WAF rate rule admits the whole throttled load from the backend's one NAT address", () => {
    const [, acl] = findResource(ai(), 'aws_wafv2_web_acl', 'name', `bandup-${env}-ai-api`);
    const rate = (acl.rule as Json[]).find((r) => r.name === 'per-ip-rate-limit') as Json;
    const limit = rate.statement.rate_based_statement.limit;
    expect(limit).toBe(config.ai.apiWafRateLimitPer5Minutes);
    expect(limit).toBeGreaterThanOrEqual(
      300 * (config.ai.throttleRateLimit + config.ai.readThrottleRateLimit),
    );
  });

  it('the submit function gets the learner limits and the counters table, and may only update it', () => {
    const [tableId, table] = findResource(
      ai(),
      'aws_dynamodb_table',
      'name',
      `bandup-${env}-submission-counters`,
    );
    expect(table).toMatchObject({
      hash_key: 'counterId',
      billing_mode: 'PAY_PER_REQUEST',
      ttl: { attribute_name: 'expiresAt', enabled: true },
      server_side_encryption: { enabled: true },
    });
    expect(table.server_side_encryption.kms_key_arn).toMatch(/^\$\{/);

    const [, submit] = findResource(ai(), 'aws_lambda_function', 'function_name', `bandup-${env}-submit`);
    const vars = submit.environment.variables as Record<string, string>;
    expect(vars.BANDUP_SUBMISSION_COUNTERS_TABLE).toBe(`\${aws_dynamodb_table.${tableId}.name}`);
    expect(SubmissionLimitsSchema.parse(JSON.parse(vars.BANDUP_SUBMISSION_LIMITS as string))).toEqual({
      utcOffsetMinutes: config.ai.learnerDayUtcOffsetMinutes,
      tiers: config.ai.learnerDailyLimits,
    });

    // Only the submit role names the counters table, and only for UpdateItem.
    const tableArn = `\${aws_dynamodb_table.${tableId}.arn}`;
    for (const [, fn] of Object.entries(resourcesOf(ai(), 'aws_lambda_function'))) {
      const roleId = refId(fn.role, 'aws_iam_role');
      const policy = Object.values(resourcesOf(ai(), 'aws_iam_role_policy')).find((p) =>
        String(p.role).includes(`aws_iam_role.${roleId}.`),
      ) as Json;
      const statements = (JSON.parse(policy.policy).Statement as Json[]).filter((s) =>
        asList(s.Resource).includes(tableArn),
      );
      if (fn.function_name === `bandup-${env}-submit`) {
        expect(statements.flatMap((s) => asList(s.Action))).toEqual(['dynamodb:UpdateItem']);
      } else {
        expect(statements, fn.function_name).toEqual([]);
      }
    }
  });
});

describe('bad AI quota config fails with the field name (config schema, before any stack is built)', () => {
  const devInput = () => structuredClone(dev) as Mutable<EnvironmentInput>;

  it('a WAF limit below the throttled load', () => {
    const input = devInput();
    input.ai = { ...input.ai, apiWafRateLimitPer5Minutes: 1000 };
    expect(() => loadEnvironment(input)).toThrow(
      /ai\.apiWafRateLimitPer5Minutes: 1000 is below 300 x \(throttleRateLimit 5 \+ readThrottleRateLimit 20\) = 7500/,
    );
  });

  it('an operator principal of another account', () => {
    const input = devInput();
    input.ai = { ...input.ai, apiOperatorPrincipalArns: ['arn:aws:iam::999999999999:role/ops'] };
    expect(() => loadEnvironment(input)).toThrow(
      /ai\.apiOperatorPrincipalArns\[0\]: "arn:aws:iam::999999999999:role\/ops" is not an IAM principal of account 111111111111/,
    );
  });

  it('a queue replay operator of another account', () => {
    const input = devInput();
    input.ai = { ...input.ai, queueReplayPrincipalArns: ['arn:aws:iam::999999999999:role/Ops'] };
    expect(() => loadEnvironment(input)).toThrow(
      /ai\.queueReplayPrincipalArns\[0\]: "arn:aws:iam::999999999999:role\/Ops" is not an IAM principal of account 111111111111/,
    );
  });

  it('the limit exactly at the throttled load and principals of the own account pass', () => {
    const input = devInput();
    input.ai = {
      ...input.ai,
      apiWafRateLimitPer5Minutes: 7500,
      apiOperatorPrincipalArns: ['arn:aws:iam::111111111111:role/ops'],
      queueReplayPrincipalArns: ['arn:aws:iam::111111111111:role/aws-reserved/*/OpsAdmin_*'],
    };
    expect(loadEnvironment(input).ai.apiWafRateLimitPer5Minutes).toBe(7500);
  });
});
