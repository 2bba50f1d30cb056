import { QUEUE_NAMES, WORKER_FUNCTIONS } from '@bandup/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectEnvironments } from '../src/config/index.js';
import { findResource, type Json, refId, resourcesOf, synthAi } from './ai-fixture.js';

/**
 * Every function's role, event sources and queue-policy entries come from its catalogue entry
 * (`grantCatalogueAccess`): what the entry names is granted, on exactly the resources it names, and
 * nothing it does not name reaches the role. Read from the synthesized AI stacks of dev and prod.
 */

const configs = selectEnvironments('dev,prod');
let aiStacks: Record<string, Json>;
beforeAll(() => {
  aiStacks = synthAi(configs).stacks;
}, 120_000);

const asList = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string];

describe.each(['dev', 'prod'])('bandup-%s-ai function roles are derived from the catalogue access', (env) => {
  const config = () => configs.find((c) => c.name === env) as (typeof configs)[number];
  const stack = () => aiStacks[`bandup-${env}-ai`] as Json;
  const fnOf = (name: string) =>
    findResource(stack(), 'aws_lambda_function', 'function_name', `bandup-${env}-${name}`);
  const roleIdOf = (name: string) => refId(fnOf(name)[1].role, 'aws_iam_role') as string;
  const statementsOf = (name: string): Json[] => {
    const roleId = roleIdOf(name);
    const policy = Object.values(resourcesOf(stack(), 'aws_iam_role_policy')).find((p) =>
      String(p.role).includes(`aws_iam_role.${roleId}.`),
    ) as Json;
    return JSON.parse(policy.policy).Statement;
  };
  const actionsOf = (name: string) => statementsOf(name).flatMap((s) => asList(s.Action));
  const resourcesFor = (name: string, action: string) =>
    statementsOf(name)
      .filter((s) => asList(s.Action).includes(action))
      .flatMap((s) => asList(s.Resource));
  /** `${aws_<type>.<id>.arn}`-style references of one logical id. */
  const refersTo = (type: string, idPart: string) => (r: string) => r.includes(`${type}.${idPart}`);
  const queueArn = (name: string) => {
    const [id] = findResource(stack(), 'aws_sqs_queue', 'name', `bandup-${env}-${name}`);
    return `\${aws_sqs_queue.${id}.arn}`;
  };

  it.each(WORKER_FUNCTIONS.map((f) => [f.name, f] as const))('%s', (name, spec) => {
    const actions = actionsOf(name);
    const { access } = spec;
    // Logs: its own group only. X-Ray.
    expect(resourcesFor(name, 'logs:PutLogEvents')).toHaveLength(1);
    expect(resourcesFor(name, 'logs:PutLogEvents')[0]).toMatch(
      /^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}:log-stream:\*$/,
    );
    expect(actions).not.toContain('logs:CreateLogGroup');
    expect(actions).toContain('xray:PutTraceSegments');
    // Table: write actions only for read-write functions; never Scan.
    expect(actions).not.toContain('dynamodb:Scan');
    const jobsTableWrites = resourcesFor(name, 'dynamodb:UpdateItem').filter(
      refersTo('aws_dynamodb_table', 'jobs-table'),
    );
    expect(jobsTableWrites.length > 0).toBe(
      spec.env.includes('jobsTable') && access.jobsTable === 'read-write',
    );
    expect(actions.includes('dynamodb:Query')).toBe(spec.env.includes('jobsTable'));
    // Bucket prefixes.
    const reads = resourcesFor(name, 's3:GetObject').map((r) => r.replace(/^.*\}\//, ''));
    const writes = resourcesFor(name, 's3:PutObject').map((r) => r.replace(/^.*\}\//, ''));
    expect(reads.sort()).toEqual(access.dataBucketRead.map((p) => `${p}*`).sort());
    expect(writes.sort()).toEqual(access.dataBucketWrite.map((p) => `${p}*`).sort());
    // Queues it sends to (a stream consumer also sends its failed batches to its failure queue), and consumes.
    const failureQueue = spec.trigger.type === 'jobs-stream' ? 1 : 0;
    expect(resourcesFor(name, 'sqs:SendMessage')).toHaveLength(access.sendsTo.length + failureQueue);
    const consumes = spec.trigger.type === 'sqs' ? spec.trigger.queues.length : 0;
    expect(resourcesFor(name, 'sqs:ReceiveMessage')).toHaveLength(consumes);
    // Every statement names resources (IAM rejects an empty Resource).
    for (const statement of statementsOf(name)) expect(asList(statement.Resource)).not.toEqual([]);
    // Bedrock: exactly the configured model ARNs in the Bedrock region, and no action without a model.
    expect(actions.includes('bedrock:InvokeModel')).toBe(access.bedrockModels.length > 0);
    const models = { assessment: config().ai.assessmentModelId, embedding: config().ai.embeddingModelId };
    expect(resourcesFor(name, 'bedrock:InvokeModel').sort()).toEqual(
      [...new Set(access.bedrockModels.map((m) => models[m]))]
        .map((id) => `arn:aws:bedrock:${config().ai.bedrockRegion}::foundation-model/${id}`)
        .sort(),
    );
    // Transcribe and the Gemini secret only where the catalogue says so.
    expect(actions.includes('transcribe:GetTranscriptionJob')).toBe(access.transcribe);
    expect(actions.includes('transcribe:StartTranscriptionJob')).toBe(
      access.transcribe && spec.env.includes('transcribeOutputKmsKeyId'),
    );
    expect(actions.includes('secretsmanager:GetSecretValue')).toBe(access.geminiSecret);
    expect(actions).not.toContain('iam:PassRole');
    // Completion events: the topic only for the publisher, the stream only for its consumer.
    expect(resourcesFor(name, 'sns:Publish')).toHaveLength(access.publishesJobEvents ? 1 : 0);
    expect(resourcesFor(name, 'dynamodb:GetRecords')).toEqual(
      spec.trigger.type === 'jobs-stream'
        ? [expect.stringMatching(/^\$\{aws_dynamodb_table\.[^}]+\.arn\}\/stream\/\*$/)]
        : [],
    );
  });

  it('StartTranscriptionJob is pinned to the data bucket and the data key; jobs are read in this environment only', () => {
    const start = statementsOf('speaking').find((s) =>
      asList(s.Action).includes('transcribe:StartTranscriptionJob'),
    ) as Json;
    expect(start.Resource).toBe('*');
    expect(start.Condition.StringEquals).toEqual({
      'transcribe:OutputBucketName': expect.stringMatching(/bucket-uploads.*bucket\}$/),
      'transcribe:OutputEncryptionKMSKeyId': expect.stringMatching(/key-data.*arn\}$/),
    });
    for (const { name } of WORKER_FUNCTIONS.filter((f) => f.access.transcribe)) {
      expect(resourcesFor(name, 'transcribe:GetTranscriptionJob')).toEqual([
        `arn:aws:transcribe:${config().region}:${config().accountId}:transcription-job/bandup-${env}-*`,
      ]);
    }
  });

  it('readers of the data bucket may list it (a missing upload is a 404, not a 403); nobody else may', () => {
    for (const spec of WORKER_FUNCTIONS) {
      const list = resourcesFor(spec.name, 's3:ListBucket');
      if (spec.access.dataBucketRead.length > 0) {
        expect(list, spec.name).toEqual([expect.stringMatching(/bucket-uploads.*arn\}$/)]);
      } else {
        expect(list, spec.name).toEqual([]);
      }
    }
  });

  it('only a function that writes data may encrypt with the data key', () => {
    for (const spec of WORKER_FUNCTIONS) {
      const { access } = spec;
      const writesData =
        access.dataBucketWrite.length > 0 ||
        (spec.env.includes('jobsTable') && access.jobsTable === 'read-write');
      const encrypts = resourcesFor(spec.name, 'kms:Encrypt').some((r) => r.includes('key-data'));
      expect(encrypts, spec.name).toBe(writesData);
    }
  });

  it('the Gemini secret and its key only for the functions that read it', () => {
    for (const spec of WORKER_FUNCTIONS) {
      const secrets = resourcesFor(spec.name, 'secretsmanager:GetSecretValue');
      const secretsKey = resourcesFor(spec.name, 'kms:Decrypt').filter((r) => r.includes('key-secrets'));
      if (spec.access.geminiSecret) {
        expect(secrets, spec.name).toEqual([expect.stringMatching(/secret-gemini.*arn\}$/)]);
        expect(secretsKey.length, spec.name).toBeGreaterThan(0);
      } else {
        expect(secrets, spec.name).toEqual([]);
        expect(secretsKey, spec.name).toEqual([]);
      }
    }
  });

  it('the submission counters only for the function that counts submissions, and only as updates', () => {
    for (const spec of WORKER_FUNCTIONS) {
      const onCounters = statementsOf(spec.name).filter((s) =>
        asList(s.Resource).some(refersTo('aws_dynamodb_table', 'submission-counters')),
      );
      expect(
        onCounters.flatMap((s) => asList(s.Action)),
        spec.name,
      ).toEqual(spec.access.submissionCounters ? ['dynamodb:UpdateItem'] : []);
    }
  });

  it('each queue declares exactly the roles the catalogue lets send to it', () => {
    for (const queue of QUEUE_NAMES) {
      const [, policy] = findResource(
        stack(),
        'aws_sqs_queue_policy',
        'queue_url',
        queueArn(queue).replace('.arn}', '.url}'),
      );
      const declared = (JSON.parse(policy.policy).Statement as Json[])
        .filter((s) => s.Sid === 'DeclaredRolesSend')
        .flatMap((s) => asList(s.Principal.AWS));
      const senders = WORKER_FUNCTIONS.filter((f) => f.access.sendsTo.includes(queue)).map(
        (f) => `\${aws_iam_role.${roleIdOf(f.name)}.arn}`,
      );
      expect(declared.sort(), queue).toEqual(senders.sort());
    }
  });

  it('an SQS-triggered function is fed by its queues, or by their dead-letter queues for the dead-letter function', () => {
    const mappings = Object.values(resourcesOf(stack(), 'aws_lambda_event_source_mapping'));
    for (const spec of WORKER_FUNCTIONS) {
      const [fnId] = fnOf(spec.name);
      const sources = mappings
        .filter((m) => m.function_name === `\${aws_lambda_function.${fnId}.arn}`)
        .map((m) => m.event_source_arn as string)
        .filter((arn) => arn.startsWith('${aws_sqs_queue.'));
      const { trigger } = spec;
      const expected =
        trigger.type !== 'sqs'
          ? []
          : trigger.queues.map((q) => queueArn(trigger.source === 'queue' ? q : `${q}-dlq`));
      expect(sources.sort(), spec.name).toEqual(expected.sort());
      // The role may consume exactly those queues.
      expect(resourcesFor(spec.name, 'sqs:ReceiveMessage').sort(), spec.name).toEqual(expected.sort());
    }
  });
});
