import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../src/app.js';
import { dev } from '../src/config/dev.js';
import { loadEnvironment, selectEnvironments } from '../src/config/index.js';
import { CicdStack } from '../src/stacks/cicd-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

/**
 * The cicd stack inside the real, whole app (dev and prod), so cross-stack references to the app
 * stack's repositories resolve and every stack id is the real one.
 */
let stacks: Record<string, Json>;
beforeAll(() => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-cicd-test-'));
  const { app } = buildApp({
    environments: selectEnvironments('dev,prod'),
    mode: { kind: 'offline', stateDir: path.join(outdir, 'state') },
    outdir,
  });
  app.synth();
  const dir = path.join(outdir, 'stacks');
  stacks = Object.fromEntries(
    readdirSync(dir).map((id) => [
      id,
      JSON.parse(readFileSync(path.join(dir, id, 'cdk.tf.json'), 'utf8')) as Json,
    ]),
  );
});

const resources = (stack: Json, type: string): Record<string, Json> =>
  (stack.resource?.[type] ?? {}) as Record<string, Json>;
const one = (stack: Json, type: string, pred: (r: Json) => boolean): Json => {
  const found = Object.values(resources(stack, type)).filter(pred);
  expect(found, `${type} matching`).toHaveLength(1);
  return found[0] as Json;
};
const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);

/** The role (by name) of a stack with its trust policy, inline policy statements and managed policies. */
function role(stack: Json, name: string) {
  const entry = Object.entries(resources(stack, 'aws_iam_role')).find(([, r]) => r.name === name);
  expect(entry, `role ${name}`).toBeDefined();
  const [id, r] = entry as [string, Json];
  const policy = Object.values(resources(stack, 'aws_iam_role_policy')).find(
    (p) => p.role === `\${aws_iam_role.${id}.id}`,
  );
  return {
    trust: JSON.parse(r.assume_role_policy).Statement as Json[],
    managed: (r.managed_policy_arns ?? []) as string[],
    statements: JSON.parse(policy?.policy ?? '{"Statement":[]}').Statement as Json[],
  };
}
const allowed = (statements: Json[]) =>
  statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => asList(s.Action).map((a) => ({ action: a, resources: asList(s.Resource), s })));

describe.each(['dev', 'prod'])('bandup-%s-cicd', (env) => {
  const stackOf = () => stacks[`bandup-${env}-cicd`] as Json;
  const pipeline = (name: string) =>
    one(stackOf(), 'aws_codepipeline', (p) => p.name === `bandup-${env}-cicd-${name}`);
  const project = (name: string) =>
    one(stackOf(), 'aws_codebuild_project', (p) => p.name === `bandup-${env}-cicd-${name}`);

  it('creates a GitHub connection (pending until the console handshake) used by both source stages', () => {
    const connection = one(stackOf(), 'aws_codestarconnections_connection', () => true);
    expect(connection.provider_type).toBe('GitHub');
    // Infrastructure comes from this monorepo; the images from the application repository.
    for (const [name, repository] of [
      ['infra', 'bandup/bandup-cloud'],
      ['images', 'bandup/band-up'],
    ] as const) {
      const source = pipeline(name).stage[0];
      expect(source.name).toBe('Source');
      expect(source.action[0].provider).toBe('CodeStarSourceConnection');
      expect(source.action[0].configuration.ConnectionArn).toMatch(/aws_codestarconnections_connection\./);
      expect(source.action[0].configuration.FullRepositoryId).toBe(repository);
    }
  });

  it('runs the infrastructure pipeline Source -> Plan -> manual Approve -> Apply, applying the plan artifact', () => {
    const infra = pipeline('infra');
    expect(infra.stage.map((s: Json) => s.name)).toEqual(['Source', 'Plan', 'Approve', 'Apply']);
    const [, planStage, approve, applyStage] = infra.stage as Json[];
    expect(approve?.action[0]).toMatchObject({ category: 'Approval', provider: 'Manual' });
    expect(approve?.action[0].configuration.NotificationArn).toMatch(/aws_sns_topic\./);
    expect(planStage?.action[0].configuration.ProjectName).toMatch(/aws_codebuild_project\.plan_/);
    expect(applyStage?.action[0].configuration.ProjectName).toMatch(/aws_codebuild_project\.apply_/);
    // Apply's only input is what Plan produced: the saved plans, not the source.
    expect(planStage?.action[0].output_artifacts).toEqual(['plan']);
    expect(applyStage?.action[0].input_artifacts).toEqual(['plan']);
    expect(infra.execution_mode).toBe('QUEUED');
    expect(infra.variable[0].default_value).toBe(
      ['network', 'data', 'ai', 'app', 'monitoring'].map((s) => `bandup-${env}-${s}`).join(' '),
    );
  });

  it('plans with -out and applies exactly the saved plan files', () => {
    // Shell expansions must reach CodeBuild literally: Terraform would read `${` as interpolation.
    for (const name of ['plan', 'apply', 'images']) {
      expect(project(name).source.buildspec).not.toMatch(/(?<!\$)\$\{/);
    }
    const plan = parseYaml(project('plan').source.buildspec);
    const planScript = plan.phases.build.commands.join('\n');
    expect(planScript).toMatch(/pnpm synth/);
    expect(planScript).toMatch(/terraform -chdir="\$dir" init/);
    expect(planScript).toMatch(/terraform -chdir="\$dir" plan .*-out=tfplan/);
    expect(plan.artifacts.files).toEqual(expect.arrayContaining(['plans/**/*', 'cdktf.out/stacks/**/*']));
    expect(plan.phases.install['runtime-versions'].nodejs).toBe(20);
    const apply = parseYaml(project('apply').source.buildspec);
    const applyScript = apply.phases.build.commands.join('\n');
    expect(applyScript).toMatch(/terraform -chdir="\$dir" apply .* tfplan$/m);
    expect(applyScript).not.toMatch(/terraform[^\n]* plan /);
    expect(applyScript).toMatch(/-lockfile=readonly/);
    for (const name of ['plan', 'apply']) {
      const vars = Object.fromEntries(
        project(name).environment.environment_variable.map((v: Json) => [v.name, v.value]),
      );
      expect(vars.BANDUP_ENV).toBe(env);
    }
  });

  it('gives privileged mode (Docker) to the image project only, which tags images with the commit SHA', () => {
    expect(project('images').environment.privileged_mode).toBe(true);
    expect(project('plan').environment.privileged_mode).toBe(false);
    expect(project('apply').environment.privileged_mode).toBe(false);
    const build = pipeline('images').stage[1].action[0];
    expect(JSON.parse(build.configuration.EnvironmentVariables)).toEqual([
      { name: 'IMAGE_TAG', value: '#{SourceVariables.CommitId}', type: 'PLAINTEXT' },
    ]);
    const vars = Object.fromEntries(
      project('images').environment.environment_variable.map((v: Json) => [v.name, v.value]),
    );
    expect(vars.FRONTEND_REPOSITORY_URI).toMatch(/^\$\{data\.terraform_remote_state\..*\}$/);
    const script = parseYaml(project('images').source.buildspec).phases.build.commands.join('\n');
    expect(script).toMatch(/docker push "\$uri:\$IMAGE_TAG"/);
    expect(script).not.toMatch(/aws ecs|update-service/);
  });

  it('logs every project to its own KMS-encrypted log group with retention', () => {
    for (const name of ['plan', 'apply', 'images']) {
      const group = one(
        stackOf(),
        'aws_cloudwatch_log_group',
        (g) => g.name === `/aws/codebuild/bandup-${env}-cicd-${name}`,
      );
      expect(group.kms_key_id).toMatch(/aws_kms_key\./);
      expect(group.retention_in_days).toBeGreaterThan(0);
      expect(project(name).logs_config.cloudwatch_logs.group_name).toMatch(/aws_cloudwatch_log_group\./);
      expect(project(name).encryption_key).toMatch(/aws_kms_key\./);
    }
    const artifacts = one(stackOf(), 'aws_s3_bucket_server_side_encryption_configuration', () => true);
    expect(artifacts.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
  });

  it('scopes the image role to pushing to exactly the two app repositories', () => {
    const images = role(stackOf(), `bandup-${env}-cicd-images`);
    expect(images.managed).toEqual([]);
    const push = allowed(images.statements).filter((a) => a.action.startsWith('ecr:'));
    const repos = new Set(
      push.filter((a) => a.action !== 'ecr:GetAuthorizationToken').flatMap((a) => a.resources),
    );
    expect(repos.size).toBe(2);
    for (const arn of repos) expect(arn).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(push.find((a) => a.action === 'ecr:GetAuthorizationToken')?.resources).toEqual(['*']);
    expect(push.map((a) => a.action)).toContain('ecr:PutImage');
    expect(images.trust[0]?.Condition.ArnLike['aws:SourceArn']).toMatch(
      /:project\/bandup-[a-z]+-cicd-images$/,
    );
  });

  it('keeps plan read-only and lets apply manage IAM only for the environment, never the pipeline itself', () => {
    const plan = role(stackOf(), `bandup-${env}-cicd-plan`);
    expect(plan.managed).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const planWrites = allowed(plan.statements).filter((a) => a.action === 's3:PutObject');
    expect(planWrites.flatMap((a) => a.resources).filter((r) => r.includes('tfstate-'))).toEqual([
      expect.stringMatching(new RegExp(`/${env}/\\*\\.tflock$`)),
    ]);
    expect(
      plan.statements.some((s) => s.Effect === 'Deny' && asList(s.Action).includes('sqs:ReceiveMessage')),
    ).toBe(true);

    const apply = role(stackOf(), `bandup-${env}-cicd-apply`);
    expect(apply.managed).toEqual(['arn:aws:iam::aws:policy/PowerUserAccess']);
    const iam = allowed(apply.statements).filter(
      (a) => a.action.startsWith('iam:') && !a.action.startsWith('iam:GetPolicy'),
    );
    expect(iam.map((a) => a.action)).toContain('iam:PassRole');
    for (const a of iam)
      expect(a.resources).toEqual([
        expect.stringMatching(new RegExp(`^arn:aws:iam::\\d{12}:role/bandup-${env}-\\*$`)),
      ]);
    const selfDeny = apply.statements.find((s) => s.Effect === 'Deny' && asList(s.Action).includes('iam:*'));
    expect(selfDeny?.Resource).toMatch(new RegExp(`role/bandup-${env}-cicd-\\*$`));
    const regionDeny = apply.statements.find((s) => s.Condition?.StringNotEquals?.['aws:RequestedRegion']);
    expect(regionDeny?.Effect).toBe('Deny');
  });

  it('scopes each pipeline role to its own projects, the artifact bucket and the connection', () => {
    const infra = role(stackOf(), `bandup-${env}-cicd-infra-pipeline`);
    const started = allowed(infra.statements)
      .filter((a) => a.action === 'codebuild:StartBuild')
      .flatMap((a) => a.resources);
    expect(started).toHaveLength(2);
    expect(started.join(' ')).toMatch(/plan/);
    expect(started.join(' ')).toMatch(/apply/);
    const images = role(stackOf(), `bandup-${env}-cicd-images-pipeline`);
    const imageStarts = allowed(images.statements)
      .filter((a) => a.action === 'codebuild:StartBuild')
      .flatMap((a) => a.resources);
    expect(imageStarts).toEqual([expect.stringMatching(/aws_codebuild_project\.images/)]);
    for (const r of [infra, images]) {
      for (const a of allowed(r.statements)) expect(a.resources, a.action).not.toContain('*');
      expect(
        allowed(r.statements).find((a) => a.action === 'codestar-connections:UseConnection')?.resources,
      ).toEqual([expect.stringMatching(/aws_codestarconnections_connection\./)]);
    }
  });
});

describe('broad AWS managed policies across the whole app', () => {
  // The security Aspect reads policy documents, not AWS managed policy ARNs: this is the guard
  // that the two documented broad grants (plan: ReadOnlyAccess, apply: PowerUserAccess) stay the only ones.
  it('are attached only to the pipeline plan and apply roles', () => {
    const broad =
      /policy\/(ReadOnlyAccess|PowerUserAccess|AdministratorAccess|IAMFullAccess|ViewOnlyAccess)$|:\*$/;
    const found = Object.values(stacks).flatMap((stack) =>
      Object.values(resources(stack, 'aws_iam_role')).flatMap((r) =>
        ((r.managed_policy_arns ?? []) as string[])
          .filter((arn) => broad.test(arn))
          .map((arn) => `${r.name} ${arn}`),
      ),
    );
    const attachments = Object.values(stacks).flatMap((stack) =>
      Object.values(resources(stack, 'aws_iam_role_policy_attachment'))
        .map((a) => a.policy_arn as string)
        .filter((arn) => broad.test(arn)),
    );
    expect(attachments).toEqual([]);
    expect(found.sort()).toEqual(
      ['dev', 'prod']
        .flatMap((env) => [
          `bandup-${env}-cicd-apply arn:aws:iam::aws:policy/PowerUserAccess`,
          `bandup-${env}-cicd-plan arn:aws:iam::aws:policy/ReadOnlyAccess`,
        ])
        .sort(),
    );
  });
});

describe('CicdStack inputs', () => {
  it("refuses to put its own stack (or another environment's) in the pipeline", () => {
    const config = loadEnvironment(dev);
    const repo = {
      name: 'r',
      arn: 'arn:aws:ecr:ap-southeast-1:111111111111:repository/r',
      repository: { repositoryUrl: 'x' },
      grantPush: () => {},
    };
    const make = (pipelineStacks: string[]) => () =>
      new CicdStack(new App(), {
        config,
        mode: { kind: 'offline', stateDir: '/tmp/x' },
        repositories: { frontend: repo, backend: repo },
        dataBuckets: [],
        pipelineStacks,
      });
    expect(make(['bandup-dev-cicd'])).toThrow(/"bandup-dev-cicd" is not another stack of dev/);
    expect(make(['bandup-prod-network'])).toThrow(/"bandup-prod-network"/);
    expect(make([])).toThrow(/at least one stack/);
  });
});
