import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline/index.js';
import type { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import { buildAction } from './build-action.js';
import type { BuildProject } from './build-project.js';
import { artifactStore, type PipelineContext, pipelineRole } from './pipeline-role.js';
import { pushTrigger, sourceStage } from './source-connections.js';

export interface ImagesPipelineProps {
  readonly context: PipelineContext;
  readonly connection: CodestarconnectionsConnection;
  readonly images: EnvironmentConfig['cicd']['images'];
  readonly project: BuildProject;
}

/**
 * The images pipeline: Source (the application repository, not this monorepo) -> Build (frontend
 * and backend images, tagged with the commit SHA). Releasing an image is `pnpm release` and a pull
 * request; the infrastructure pipeline plans and applies it.
 */
export class ImagesPipeline extends FlatConstruct {
  readonly pipeline: Codepipeline;

  constructor(scope: Construct, id: string, props: ImagesPipelineProps) {
    super(scope, id);
    const { context, images } = props;
    const role = pipelineRole(
      this,
      'images-pipeline-role',
      context,
      { purpose: 'images', projects: [props.project] },
      props.connection,
    );
    const trigger = images.trigger ?? { branches: [images.branch] };
    this.pipeline = new Codepipeline(this, 'images-pipeline', {
      name: context.name('cicd-images'),
      pipelineType: 'V2',
      executionMode: 'QUEUED',
      roleArn: role.arn,
      artifactStore: [artifactStore(context)],
      trigger: [
        pushTrigger(
          trigger,
          [images.frontend.context, images.backend.context].map((c) => `${c}/**`),
        ),
      ],
      stage: [
        sourceStage(props.connection, images.repository, images.branch),
        {
          name: 'Build',
          action: [
            buildAction({
              name: 'Images',
              project: props.project,
              inputArtifact: 'source',
              outputArtifact: 'images',
              // Immutable tag: the full commit SHA the source stage resolved.
              variables: { IMAGE_TAG: '#{SourceVariables.CommitId}' },
            }),
          ],
        },
      ],
    });
  }
}
