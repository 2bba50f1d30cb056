import {
  CodebuildProject,
  type CodebuildProjectSource,
} from '@cdktf/provider-aws/lib/codebuild-project/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { Construct } from 'constructs';
import type { SecureBucket } from '../../constructs/data/secure-bucket.js';
import { EncryptedLogGroup } from '../../constructs/observability/log-group.js';
import type { Grantee } from '../../constructs/security/iam/policy-document.js';
import { ServiceRole } from '../../constructs/security/iam/service-role.js';
import type { EncryptionKey } from '../../constructs/security/kms-key.js';

export interface BuildProjectProps {
  /** Project and role name, `bandup-<env>-cicd-<purpose>`. */
  readonly name: string;
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  readonly buildspec: string;
  /** CodeBuild image (its Node 22 runtime is what the buildspecs select, like Lambda and `.nvmrc`). */
  readonly image: string;
  readonly environmentType: 'LINUX_CONTAINER' | 'ARM_CONTAINER';
  readonly computeType: string;
  /** Docker-in-Docker: only a project that runs `docker build` may set it. */
  readonly privilegedMode: boolean;
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly timeoutMinutes: number;
  /** Encrypts artifacts and logs (its policy admits s3 and CloudWatch Logs). */
  readonly key: EncryptionKey;
  /**
   * The pipeline's artifact store: the project reads its input and writes its output there. Absent
   * for a project that must not see saved plans (pull-request checks run untrusted code).
   */
  readonly artifacts?: SecureBucket;
  readonly logRetentionDays: number;
  /** AWS managed policies, only where listing the actions is impractical (the call site says why). */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Where the build's source comes from. Default: the pipeline (`CODEPIPELINE`, input artifact).
   * A webhook-started project (pull-request checks) reads the repository itself.
   */
  readonly source?: Omit<CodebuildProjectSource, 'buildspec'>;
  /** CodeBuild sends the project's variables to the build as plaintext; these come from Secrets Manager. */
  readonly secretVariables?: Readonly<Record<string, string>>;
}

/**
 * A CodeBuild project run by CodePipeline, with its own role (nothing shared between projects), a
 * KMS-encrypted log group with retention, and artifacts encrypted with the pipeline's key. The role
 * starts with exactly what every pipeline project needs (its logs, the artifact store, the key);
 * the stack grants the rest through the constructs that own the resources.
 */
export class BuildProject extends Construct implements Grantee {
  readonly role: ServiceRole;
  readonly project: CodebuildProject;
  readonly logGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    const projectArn = `arn:aws:codebuild:${props.region}:${props.accountId}:project/${props.name}`;
    this.role = new ServiceRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumedBy: 'codebuild.amazonaws.com',
      // Only builds of this project may assume the role (confused deputy protection).
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': props.accountId },
        ArnLike: { 'aws:SourceArn': projectArn },
      },
    });
    // Attachments, not the role's deprecated `managed_policy_arns` (which also fights any other
    // attachment of the role on every apply).
    for (const [i, policyArn] of (props.managedPolicyArns ?? []).entries()) {
      new IamRolePolicyAttachment(this, `managed-policy-${i}`, { role: this.role.name, policyArn });
    }
    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `/aws/codebuild/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.key,
    });
    this.role.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${this.logGroup.arn}:*`],
    });
    props.artifacts?.grantReadWrite(this.role);
    props.key.grantEncryptDecrypt(this.role);

    this.project = new CodebuildProject(this, 'project', {
      name: props.name,
      description: props.description,
      serviceRole: this.role.arn,
      encryptionKey: props.key.arn,
      buildTimeout: props.timeoutMinutes,
      queuedTimeout: 60,
      // One build at a time: two applies (or plans holding the state lock) must never race.
      concurrentBuildLimit: 1,
      artifacts: { type: props.source ? 'NO_ARTIFACTS' : 'CODEPIPELINE' },
      source: { ...(props.source ?? { type: 'CODEPIPELINE' }), buildspec: props.buildspec },
      environment: {
        type: props.environmentType,
        computeType: props.computeType,
        image: props.image,
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: props.privilegedMode,
        environmentVariable: [
          ...Object.entries(props.environmentVariables).map(([name, value]) => ({
            name,
            value,
            type: 'PLAINTEXT',
          })),
          ...Object.entries(props.secretVariables ?? {}).map(([name, value]) => ({
            name,
            value,
            type: 'SECRETS_MANAGER',
          })),
        ],
      },
      logsConfig: {
        cloudwatchLogs: { status: 'ENABLED', groupName: this.logGroup.name },
        s3Logs: { status: 'DISABLED' },
      },
      dependsOn: [this.logGroup.logGroup],
    });
  }

  get arn(): string {
    return this.project.arn;
  }

  get name(): string {
    return this.project.name;
  }

  addToPolicy(statement: Parameters<Grantee['addToPolicy']>[0]): void {
    this.role.addToPolicy(statement);
  }

  /** Start and follow builds of this project (the pipeline role). */
  grantStartBuild(grantee: Grantee): void {
    grantee.addToPolicy({
      actions: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'],
      resources: [this.project.arn],
    });
  }
}
