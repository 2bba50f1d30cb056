import {
  Codepipeline,
  type CodepipelineStage,
  codepipelineStageToTerraform,
} from '@cdktf/provider-aws/lib/codepipeline/index.js';
import type { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import { Lazy, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import { buildAction, PIPELINE_EXECUTION_ID } from './build-action.js';
import type { BuildProject } from './build-project.js';
import { artifactStore, type PipelineContext, pipelineRole } from './pipeline-role.js';
import { pushTrigger, type SourceTrigger, sourceStage } from './source-connections.js';
import { stackWaves } from './stack-waves.js';

/** Paths whose change starts the infrastructure pipeline (the infra app and what it bundles). */
const INFRA_PATHS = ['apps/infra/**', 'apps/ai-workers/**', 'packages/**', 'package.json', 'pnpm-lock.yaml'];

export interface InfraPipelineProps {
  readonly context: PipelineContext;
  readonly connection: CodestarconnectionsConnection;
  readonly repository: string;
  readonly branch: string;
  readonly trigger: SourceTrigger;
  readonly plan: BuildProject;
  readonly apply: BuildProject;
  /** Where approval requests are sent. */
  readonly approvalTopicArn: string;
  /** The stacks planned and applied, in dependency waves. */
  readonly stacks: readonly TerraformStack[];
}

/**
 * The infrastructure pipeline: Source, then for each dependency wave of stacks: Plan (synth,
 * `terraform plan -out`, the plan review) -> manual Approve -> Apply (exactly the saved plans). A wave
 * is planned only after the waves it depends on were applied in the same run, so a consumer never
 * applies a plan made against stale producer outputs. A wave without changes skips approval and apply.
 */
export class InfraPipeline extends FlatConstruct {
  readonly pipeline: Codepipeline;

  constructor(scope: Construct, id: string, props: InfraPipelineProps) {
    super(scope, id);
    const { context } = props;
    const role = pipelineRole(
      this,
      'infra-pipeline-role',
      context,
      { purpose: 'infra', projects: [props.plan, props.apply] },
      props.connection,
    );
    role.addToPolicy({ actions: ['sns:Publish'], resources: [props.approvalTopicArn] });
    const source = sourceStage(props.connection, props.repository, props.branch);
    const waves = (): CodepipelineStage[] =>
      stackWaves(props.stacks).flatMap((wave) =>
        waveStages(
          wave.map((s) => s.node.id),
          props,
        ),
      );
    this.pipeline = new Codepipeline(this, 'infra-pipeline', {
      name: context.name('cicd-infra'),
      pipelineType: 'V2',
      // One execution at a time, start to finish: a plan is applied against the state it was made
      // from (a superseded or parallel run would leave a stale plan, which Terraform refuses).
      executionMode: 'QUEUED',
      roleArn: role.arn,
      artifactStore: [artifactStore(context)],
      trigger: [pushTrigger(props.trigger, INFRA_PATHS)],
      // The waves come from the stacks' dependencies, which CDKTF records while it prepares the
      // stacks for synthesis: resolved lazily, after every cross-stack reference is known.
      stage: Lazy.anyValue({
        produce: () => [source, ...waves()].map((stage) => codepipelineStageToTerraform(stage)),
      }) as unknown as CodepipelineStage[],
    });
  }
}

/**
 * The three stages of one wave. Approve and Apply are skipped (entry condition) when the wave's
 * plan found no changes; the approval message carries the review's verdict and RED/AMBER lines,
 * and links to the full review.
 */
function waveStages(stacks: readonly string[], props: InfraPipelineProps): CodepipelineStage[] {
  const environment = props.context.environment;
  const wave = stacks.map((id) => id.replace(`bandup-${environment}-`, '')).join('-');
  const namespace = `Plan-${wave}`;
  const artifact = `plan_${wave.replaceAll('-', '_')}`;
  const onlyWhenChanged = {
    condition: {
      result: 'SKIP',
      rule: [
        {
          name: 'HasChanges',
          ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
          configuration: { Variable: `#{${namespace}.CHANGED}`, Value: 'true', Operator: 'EQ' },
        },
      ],
    },
  };
  return [
    {
      name: `Plan-${wave}`,
      action: [
        buildAction({
          name: 'Plan',
          project: props.plan,
          namespace,
          inputArtifact: 'source',
          outputArtifact: artifact,
          variables: { STACKS: stacks.join(' '), WAVE: wave, PIPELINE_EXECUTION_ID },
        }),
      ],
    },
    {
      name: `Approve-${wave}`,
      beforeEntry: onlyWhenChanged,
      action: [
        {
          name: 'Approve',
          category: 'Approval',
          owner: 'AWS',
          provider: 'Manual',
          version: '1',
          configuration: {
            NotificationArn: props.approvalTopicArn,
            CustomData: `${environment} ${wave} #{${namespace}.APPROVAL_SUMMARY}`,
            ExternalEntityLink: `#{${namespace}.REVIEW_URL}`,
          },
        },
      ],
    },
    {
      name: `Apply-${wave}`,
      beforeEntry: onlyWhenChanged,
      action: [buildAction({ name: 'Apply', project: props.apply, inputArtifact: artifact })],
    },
  ];
}
