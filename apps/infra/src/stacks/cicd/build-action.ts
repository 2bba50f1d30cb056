import type { CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline/index.js';

export interface BuildActionProps {
  readonly name: string;
  /** The CodeBuild project the action runs. */
  readonly project: { readonly name: string };
  readonly inputArtifact: string;
  readonly outputArtifact?: string;
  /** Namespace of the variables the build exports (`#{<namespace>.<name>}` in later stages). */
  readonly namespace?: string;
  /** Environment variables of this run (pipeline variables resolve in the values), in order. */
  readonly variables?: Readonly<Record<string, string>>;
}

/** A pipeline action that runs a CodeBuild project on an artifact. */
export function buildAction(props: BuildActionProps): CodepipelineStageAction {
  const variables = props.variables
    ? Object.entries(props.variables).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' }))
    : undefined;
  return {
    name: props.name,
    category: 'Build',
    owner: 'AWS',
    provider: 'CodeBuild',
    version: '1',
    ...(props.namespace ? { namespace: props.namespace } : {}),
    inputArtifacts: [props.inputArtifact],
    ...(props.outputArtifact ? { outputArtifacts: [props.outputArtifact] } : {}),
    configuration: {
      ProjectName: props.project.name,
      ...(variables ? { EnvironmentVariables: JSON.stringify(variables) } : {}),
    },
  };
}

/** The execution id of the running pipeline, as a build variable (the review is stored under it). */
export const PIPELINE_EXECUTION_ID = '#{codepipeline.PipelineExecutionId}';
