import { App, TerraformStack } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { dev } from '../src/config/dev.js';
import { loadEnvironment } from '../src/config/index.js';
import { CicdStack } from '../src/stacks/cicd/cicd-stack.js';
import { dependencyWaves } from '../src/stacks/cicd/stack-waves.js';
import { synthesizeFullApp } from './support/full-app.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped; tests read it by path
type Json = Record<string, any>;

/**
 * The cicd stack inside the real, whole app (dev and prod), so every stack id, name and dependency
 * is the real one; the manifest gives CDKTF's own dependency graph.
 */
let stacks: Record<string, Json>;
let manifest: Json;
beforeAll(() => {
  ({ stacks, manifest } = synthesizeFullApp('dev,prod'));
});

const resources = (stack: Json, type: string): Record<string, Json> =>
  (stack.resource?.[type] ?? {}) as Record<string, Json>;
const one = (stack: Json, type: string, pred: (r: Json) => boolean): Json => {
  const found = Object.values(resources(stack, type)).filter(pred);
  expect(found, `${type} matching`).toHaveLength(1);
  return found[0] as Json;
};
const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);

/** The role (by name) of a stack with its trust policy, inline policy statements and attached policies. */
function role(stack: Json, name: string) {
  const entry = Object.entries(resources(stack, 'aws_iam_role')).find(([, r]) => r.name === name);
  expect(entry, `role ${name}`).toBeDefined();
  const [id, r] = entry as [string, Json];
  const policy = Object.values(resources(stack, 'aws_iam_role_policy')).find(
    (p) => p.role === `\${aws_iam_role.${id}.id}`,
  );
  return {
    raw: r,
    trust: JSON.parse(r.assume_role_policy).Statement as Json[],
    attached: Object.values(resources(stack, 'aws_iam_role_policy_attachment'))
      .filter((a) => a.role === `\${aws_iam_role.${id}.name}`)
      .map((a) => a.policy_arn as string),
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
  const vars = (name: string) =>
    Object.fromEntries(project(name).environment.environment_variable.map((v: Json) => [v.name, v.value]));

  it('depends on no other stack, so it can be applied first in a new environment', () => {
    expect(manifest.stacks[`bandup-${env}-cicd`].dependencies).toEqual([]);
    expect(stackOf().data?.terraform_remote_state).toBeUndefined();
  });

  it('reads each repository through a connection of its host (infra on GitHub, app on GitLab)', () => {
    const connections = Object.entries(resources(stackOf(), 'aws_codestarconnections_connection'));
    expect(Object.fromEntries(connections.map(([id, c]) => [c.name, [id, c.provider_type]]))).toEqual({
      [`bandup-${env}-github`]: ['github', 'GitHub'],
      [`bandup-${env}-gitlab`]: ['gitlab', 'GitLab'],
    });
    for (const [name, repository, connection] of [
      ['infra', 'bandup/bandup-cloud', 'github'],
      ['drift', 'bandup/bandup-cloud', 'github'],
      ['images', 'bandup/band-up', 'gitlab'],
    ] as const) {
      const source = pipeline(name).stage[0].action[0];
      expect(source.provider).toBe('CodeStarSourceConnection');
      expect(source.configuration.ConnectionArn).toBe(
        `\${aws_codestarconnections_connection.${connection}.arn}`,
      );
      expect(source.configuration.FullRepositoryId).toBe(repository);
    }
    expect(stackOf().output['github-connection-arn']).toBeDefined();
    expect(stackOf().output['gitlab-connection-arn']).toBeDefined();
  });

  it('starts from the configured triggers: infra on its branch and paths, prod images on v* tags', () => {
    const infraPush = pipeline('infra').trigger[0].git_configuration.push[0];
    expect(infraPush.branches.includes).toEqual([env === 'dev' ? 'develop' : 'main']);
    expect(infraPush.file_paths.includes).toContain('apps/infra/**');
    const imagesPush = pipeline('images').trigger[0].git_configuration.push[0];
    if (env === 'prod') {
      expect(imagesPush.tags.includes).toEqual(['v*']);
      expect(imagesPush.branches).toBeUndefined();
    } else {
      expect(imagesPush.branches.includes).toEqual(['main']);
    }
  });

  it('plans, approves and applies producer waves before their consumers, from the manifest graph', () => {
    const ids = ['network', 'data', 'ai', 'app', 'monitoring'].map((s) => `bandup-${env}-${s}`);
    const waves = dependencyWaves(
      ids,
      (id) => manifest.stacks[id].dependencies as string[],
      (id) => id,
    );
    const expected = waves.flatMap((wave) => {
      const name = wave.map((id) => id.replace(`bandup-${env}-`, '')).join('-');
      return [`Plan-${name}`, `Approve-${name}`, `Apply-${name}`];
    });
    const stages = pipeline('infra').stage as Json[];
    expect(stages.map((s) => s.name)).toEqual(['Source', ...expected]);
    for (const wave of waves) {
      const name = wave.map((id) => id.replace(`bandup-${env}-`, '')).join('-');
      const [planStage, approve, applyStage] = ['Plan', 'Approve', 'Apply'].map((k) =>
        stages.find((s) => s.name === `${k}-${name}`),
      ) as [Json, Json, Json];
      const planAction = planStage.action[0];
      expect(planAction.namespace).toBe(`Plan-${name}`);
      expect(JSON.parse(planAction.configuration.EnvironmentVariables)).toEqual(
        expect.arrayContaining([{ name: 'STACKS', value: wave.join(' '), type: 'PLAINTEXT' }]),
      );
      expect(planAction.configuration.ProjectName).toMatch(/aws_codebuild_project\.plan_/);
      // Apply's only input is what this wave's Plan produced: the saved plans, not the source.
      expect(applyStage.action[0].input_artifacts).toEqual(planAction.output_artifacts);
      expect(applyStage.action[0].configuration.ProjectName).toMatch(/aws_codebuild_project\.apply_/);
      // Approval carries the review verdict, RED/AMBER lines and a link to the full review.
      const approval = approve.action[0];
      expect(approval).toMatchObject({ category: 'Approval', provider: 'Manual' });
      expect(approval.configuration.CustomData).toContain(`#{Plan-${name}.APPROVAL_SUMMARY}`);
      expect(approval.configuration.ExternalEntityLink).toBe(`#{Plan-${name}.REVIEW_URL}`);
      expect(approval.configuration.NotificationArn).toBe('${aws_sns_topic.approvals.arn}');
      // A wave without changes skips its approval and its apply.
      for (const stage of [approve, applyStage]) {
        expect(stage.before_entry.condition.result).toBe('SKIP');
        expect(stage.before_entry.condition.rule[0].rule_type_id.provider).toBe('VariableCheck');
        expect(stage.before_entry.condition.rule[0].configuration).toEqual({
          Variable: `#{Plan-${name}.CHANGED}`,
          Value: 'true',
          Operator: 'EQ',
        });
      }
    }
    // Five stacks in a chain: each is planned only after the one it reads from was applied.
    expect(waves.map((w) => w.length)).toEqual([1, 1, 1, 1, 1]);
    expect(pipeline('infra').execution_mode).toBe('QUEUED');
  });

  it('exports what the approval needs from the plan build, and installs pnpm with npm', () => {
    const plan = parseYaml(project('plan').source.buildspec.replaceAll('$${', '${'));
    expect(plan.env['exported-variables']).toEqual(['CHANGED', 'VERDICT', 'APPROVAL_SUMMARY', 'REVIEW_URL']);
    const all = Object.values(plan.phases as Record<string, Json>)
      .flatMap((p) => p.commands)
      .join('\n');
    expect(all).not.toMatch(/corepack/);
    expect(all).toMatch(/npm install --global .*pnpm@10\.34\.9/);
    expect(all).toMatch(/pnpm plan:review --format md --out-dir plans\/review/);
    expect(plan.artifacts.files).toEqual(expect.arrayContaining(['plans/**/*', 'cdktf.out/stacks/**/*']));
    expect(vars('plan').BANDUP_ENV).toBe(env);
    expect(vars('plan').ARTIFACT_BUCKET).toMatch(/aws_s3_bucket\.artifacts/);
    // Shell expansions must reach CodeBuild literally: Terraform would read `${` as interpolation.
    for (const name of ['plan', 'apply', 'images', 'drift']) {
      expect(project(name).source.buildspec).not.toMatch(/(?<!\$)\$\{/);
    }
  });

  it('checks drift on a schedule through the same review and notifies the alarm topic', () => {
    expect(pipeline('drift').stage.map((s: Json) => s.name)).toEqual(['Source', 'Drift']);
    expect(pipeline('drift').stage[1].action[0].configuration.ProjectName).toMatch(
      /aws_codebuild_project\.drift_/,
    );
    expect(vars('drift').MODE).toBe('drift');
    const appTopic = one(
      stacks[`bandup-${env}-app`] as Json,
      'aws_sns_topic',
      (t) => t.name === `bandup-${env}-app-alarms`,
    );
    expect(vars('drift').ALARM_TOPIC_ARN).toBe(
      `arn:aws:sns:ap-southeast-1:${dev.accountId}:${appTopic.name}`,
    );
    const driftRole = role(stackOf(), `bandup-${env}-cicd-drift`);
    expect(allowed(driftRole.statements).find((a) => a.action === 'sns:Publish')?.resources).toEqual([
      vars('drift').ALARM_TOPIC_ARN,
    ]);
    const rule = one(stackOf(), 'aws_cloudwatch_event_rule', (r) => r.name === `bandup-${env}-cicd-drift`);
    expect(rule.schedule_expression).toBe('cron(0 2 * * ? *)');
    const target = one(stackOf(), 'aws_cloudwatch_event_target', () => true);
    expect(target.arn).toMatch(/aws_codepipeline\.drift-pipeline/);
    const scheduleRole = role(stackOf(), `bandup-${env}-cicd-drift-schedule`);
    expect(allowed(scheduleRole.statements).map((a) => [a.action, a.resources])).toEqual([
      ['codepipeline:StartPipelineExecution', [expect.stringMatching(/aws_codepipeline\.drift-pipeline/)]],
    ]);
  });

  it('gives privileged mode (Docker) to the image project only, pushing to the app stack repositories', () => {
    for (const name of ['plan', 'apply', 'drift'])
      expect(project(name).environment.privileged_mode).toBe(false);
    expect(project('images').environment.privileged_mode).toBe(true);
    const build = pipeline('images').stage[1].action[0];
    expect(JSON.parse(build.configuration.EnvironmentVariables)).toEqual([
      { name: 'IMAGE_TAG', value: '#{SourceVariables.CommitId}', type: 'PLAINTEXT' },
    ]);
    const appStack = stacks[`bandup-${env}-app`] as Json;
    const repoNames = Object.values(resources(appStack, 'aws_ecr_repository')).map((r) => r.name as string);
    expect(repoNames.sort()).toEqual([`bandup-${env}-backend`, `bandup-${env}-frontend`]);
    expect(vars('images').FRONTEND_REPOSITORY_URI).toBe(
      `${dev.accountId}.dkr.ecr.ap-southeast-1.amazonaws.com/bandup-${env}-frontend`,
    );
    const images = role(stackOf(), `bandup-${env}-cicd-images`);
    expect(images.attached).toEqual([]);
    const push = allowed(images.statements).filter((a) => a.action.startsWith('ecr:'));
    const repos = new Set(
      push.filter((a) => a.action !== 'ecr:GetAuthorizationToken').flatMap((a) => a.resources),
    );
    expect([...repos].sort()).toEqual(
      repoNames.sort().map((n) => `arn:aws:ecr:ap-southeast-1:${dev.accountId}:repository/${n}`),
    );
    expect(push.find((a) => a.action === 'ecr:GetAuthorizationToken')?.resources).toEqual(['*']);
    expect(push.map((a) => a.action)).toContain('ecr:PutImage');
  });

  it('logs every project to its own KMS-encrypted log group with retention', () => {
    for (const name of ['plan', 'apply', 'images', 'drift']) {
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
  });

  it('lets the plan role decrypt Lambda environments and secret values of this environment only', () => {
    const plan = role(stackOf(), `bandup-${env}-cicd-plan`);
    expect(plan.raw.managed_policy_arns).toBeUndefined();
    expect(plan.attached).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const decrypt = allowed(plan.statements).filter(
      (a) => a.action === 'kms:Decrypt' && a.s.Condition?.['ForAnyValue:StringLike'],
    );
    expect(decrypt).toHaveLength(1);
    const condition = decrypt[0]?.s.Condition;
    expect(condition['ForAnyValue:StringLike']['kms:ResourceAliases']).toEqual([`alias/bandup-${env}-*`]);
    expect(condition.StringEquals['kms:ViaService']).toEqual([
      'secretsmanager.ap-southeast-1.amazonaws.com',
      'lambda.ap-southeast-1.amazonaws.com',
    ]);
    const apply = role(stackOf(), `bandup-${env}-cicd-apply`);
    expect(apply.attached).toEqual(['arn:aws:iam::aws:policy/PowerUserAccess']);
    const iam = allowed(apply.statements).filter(
      (a) => a.action.startsWith('iam:') && !a.action.startsWith('iam:GetPolicy'),
    );
    expect(iam.map((a) => a.action)).toContain('iam:PassRole');
    for (const a of iam)
      expect(a.resources).toEqual([
        expect.stringMatching(new RegExp(`^arn:aws:iam::\\d{12}:role/bandup-${env}-\\*$`)),
      ]);
  });

  it('scopes each pipeline role to its own projects, the artifact bucket and its connection', () => {
    const infra = role(stackOf(), `bandup-${env}-cicd-infra-pipeline`);
    const started = allowed(infra.statements)
      .filter((a) => a.action === 'codebuild:StartBuild')
      .flatMap((a) => a.resources);
    expect(started).toHaveLength(2);
    expect(started.join(' ')).toMatch(/plan/);
    expect(started.join(' ')).toMatch(/apply/);
    const images = role(stackOf(), `bandup-${env}-cicd-images-pipeline`);
    for (const [r, connection] of [
      [infra, 'github'],
      [images, 'gitlab'],
    ] as const) {
      for (const a of allowed(r.statements)) expect(a.resources, a.action).not.toContain('*');
      expect(
        allowed(r.statements).find((a) => a.action === 'codestar-connections:UseConnection')?.resources,
      ).toEqual([`\${aws_codestarconnections_connection.${connection}.arn}`]);
    }
  });
});

describe('pull-request checks', () => {
  it('run in dev only: a webhook build of pull requests to main, through the connection', () => {
    const cicd = stacks['bandup-dev-cicd'] as Json;
    const project = one(cicd, 'aws_codebuild_project', (p) => p.name === 'bandup-dev-cicd-pull-requests');
    expect(project.source).toMatchObject({
      type: 'GITHUB',
      location: 'https://github.com/bandup/bandup-cloud.git',
      git_clone_depth: 0,
      report_build_status: true,
      auth: { type: 'CODECONNECTIONS', resource: '${aws_codestarconnections_connection.github.arn}' },
    });
    expect(project.artifacts.type).toBe('NO_ARTIFACTS');
    const webhook = one(cicd, 'aws_codebuild_webhook', () => true);
    expect(webhook.filter_group[0].filter).toEqual([
      { type: 'EVENT', pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
      { type: 'BASE_REF', pattern: '^refs/heads/main$' },
    ]);
    const script = parseYaml(project.source.buildspec.replaceAll('$${', '${')).phases.build.commands.join(
      '\n',
    );
    expect(script).toMatch(/turbo run lint typecheck test --filter="\.\.\.\[\$base\]"/);
    expect(script).toMatch(/pnpm plan:review --against "\$base"/);
    const token = project.environment.environment_variable.find(
      (v: Json) => v.name === 'REVIEW_COMMENT_TOKEN',
    );
    expect(token).toEqual({
      name: 'REVIEW_COMMENT_TOKEN',
      value: 'bandup/ci/review-comment-token',
      type: 'SECRETS_MANAGER',
    });
    expect(Object.values(resources(stacks['bandup-prod-cicd'] as Json, 'aws_codebuild_webhook'))).toEqual([]);
  });

  it('runs untrusted code with a role that reaches no state, no artifact and no platform resource', () => {
    const pr = role(stacks['bandup-dev-cicd'] as Json, 'bandup-dev-cicd-pull-requests');
    expect(pr.attached).toEqual([]);
    const actions = allowed(pr.statements).map((a) => a.action);
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect(
      allowed(pr.statements).find((a) => a.action === 'secretsmanager:GetSecretValue')?.resources,
    ).toEqual([
      `arn:aws:secretsmanager:ap-southeast-1:${dev.accountId}:secret:bandup/ci/review-comment-token-??????`,
    ]);
    for (const a of allowed(pr.statements).filter(
      (x) => x.action !== 'kms:GenerateDataKey' && !x.action.startsWith('kms:'),
    ))
      expect(a.resources, a.action).not.toContain('*');
  });
});

describe('broad AWS managed policies across the whole app', () => {
  // The security Aspect reads policy documents, not AWS managed policy ARNs: this is the guard
  // that the documented broad grants (plan/drift: ReadOnlyAccess, apply: PowerUserAccess) stay the only ones.
  it('are attached only to the pipeline plan, drift and apply roles, and never inline on a role', () => {
    const broad =
      /policy\/(ReadOnlyAccess|PowerUserAccess|AdministratorAccess|IAMFullAccess|ViewOnlyAccess)$|:\*$/;
    const inline = Object.values(stacks).flatMap((stack) =>
      Object.values(resources(stack, 'aws_iam_role')).filter((r) => r.managed_policy_arns !== undefined),
    );
    expect(inline).toEqual([]);
    const found = Object.values(stacks).flatMap((stack) => {
      const roles = resources(stack, 'aws_iam_role');
      return Object.values(resources(stack, 'aws_iam_role_policy_attachment'))
        .filter((a) => broad.test(a.policy_arn))
        .map((a) => {
          const id = /aws_iam_role\.([^.]+)\./.exec(a.role)?.[1] as string;
          return `${roles[id]?.name} ${a.policy_arn}`;
        });
    });
    expect(found.sort()).toEqual(
      ['dev', 'prod']
        .flatMap((env) => [
          `bandup-${env}-cicd-apply arn:aws:iam::aws:policy/PowerUserAccess`,
          `bandup-${env}-cicd-drift arn:aws:iam::aws:policy/ReadOnlyAccess`,
          `bandup-${env}-cicd-plan arn:aws:iam::aws:policy/ReadOnlyAccess`,
        ])
        .sort(),
    );
  });
});

describe('CicdStack inputs', () => {
  it("refuses to put its own stack (or another environment's) in the pipeline", () => {
    const config = loadEnvironment(dev);
    const make = (ids: string[]) => () => {
      const app = new App();
      // The candidate stacks live in their own app: one of them carries the cicd stack's own id.
      const other = new App();
      new CicdStack(app, {
        config,
        mode: { kind: 'offline', stateDir: '/tmp/x' },
        repositoryNames: { frontend: 'bandup-dev-frontend', backend: 'bandup-dev-backend' },
        dataBucketNames: [],
        alarmTopicName: 'bandup-dev-app-alarms',
        alarmTopicKeyAlias: 'alias/bandup-dev-app',
        pipelineStacks: ids.map((id) => new TerraformStack(other, id)),
      });
    };
    expect(make(['bandup-dev-cicd'])).toThrow(/"bandup-dev-cicd" is not another stack of dev/);
    expect(make(['bandup-prod-network'])).toThrow(/"bandup-prod-network"/);
    expect(make([])).toThrow(/at least one stack/);
  });
});

describe('dependency waves', () => {
  it('put every stack after the stacks it reads from, side by side when independent', () => {
    const deps: Record<string, string[]> = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] };
    expect(
      dependencyWaves(
        Object.keys(deps),
        (s) => deps[s] ?? [],
        (s) => s,
      ),
    ).toEqual([['a', 'e'], ['b', 'c'], ['d']]);
    expect(() =>
      dependencyWaves(
        ['x', 'y'],
        (s) => (s === 'x' ? ['y'] : ['x']),
        (s) => s,
      ),
    ).toThrow(/cycle through/);
  });
});
