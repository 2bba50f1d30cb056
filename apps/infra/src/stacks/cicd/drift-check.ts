import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline/index.js';
import type { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import type { Construct } from 'constructs';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import { ServiceRole } from '../../constructs/security/iam/service-role.js';
import { buildAction, PIPELINE_EXECUTION_ID } from './build-action.js';
import type { BuildProject } from './build-project.js';
import { artifactStore, type PipelineContext, pipelineRole } from './pipeline-role.js';
import { sourceStage } from './source-connections.js';

export interface DriftCheckProps {
  readonly context: PipelineContext;
  readonly connection: CodestarconnectionsConnection;
  readonly repository: string;
  readonly branch: string;
  /** The drift project (plans every stack with refresh, notifies the alarm topic on a difference). */
  readonly project: BuildProject;
  /** EventBridge schedule expression. */
  readonly schedule: string;
}

/** The drift pipeline (Source -> Drift) and the schedule that starts it. */
export class DriftCheck extends FlatConstruct {
  readonly pipeline: Codepipeline;

  constructor(scope: Construct, id: string, props: DriftCheckProps) {
    super(scope, id);
    const { context } = props;
    const role = pipelineRole(
      this,
      'drift-pipeline-role',
      context,
      { purpose: 'drift', projects: [props.project] },
      props.connection,
    );
    this.pipeline = new Codepipeline(this, 'drift-pipeline', {
      name: context.name('cicd-drift'),
      pipelineType: 'V2',
      // A drift check that finds another one running has nothing to add.
      executionMode: 'SUPERSEDED',
      roleArn: role.arn,
      artifactStore: [artifactStore(context)],
      stage: [
        sourceStage(props.connection, props.repository, props.branch),
        {
          name: 'Drift',
          action: [
            buildAction({
              name: 'Drift',
              project: props.project,
              inputArtifact: 'source',
              variables: { PIPELINE_EXECUTION_ID },
            }),
          ],
        },
      ],
    });
    this.schedule(context, props.schedule);
  }

  /** Starts the drift pipeline on the configured schedule. */
  private schedule(context: PipelineContext, expression: string): void {
    const { accountId, region } = context;
    const ruleName = context.name('cicd-drift');
    const rule = new CloudwatchEventRule(this, 'drift-schedule', {
      name: ruleName,
      description: `Bandup ${context.environment}: start the drift check`,
      scheduleExpression: expression,
    });
    const role = new ServiceRole(this, 'drift-schedule-role', {
      name: context.name('cicd-drift-schedule'),
      description: `Bandup ${context.environment}: EventBridge starts the drift pipeline`,
      assumedBy: 'events.amazonaws.com',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': accountId },
        ArnLike: { 'aws:SourceArn': `arn:aws:events:${region}:${accountId}:rule/${ruleName}` },
      },
    });
    role.addToPolicy({ actions: ['codepipeline:StartPipelineExecution'], resources: [this.pipeline.arn] });
    new CloudwatchEventTarget(this, 'drift-schedule-target', {
      rule: rule.name,
      arn: this.pipeline.arn,
      roleArn: role.arn,
    });
  }
}
