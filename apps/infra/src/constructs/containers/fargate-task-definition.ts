import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js';
import { Construct } from 'constructs';
import type { EncryptedLogGroup } from '../observability/log-group.js';
import type { Grantee } from '../security/iam/policy-document.js';
import { ServiceRole } from '../security/iam/service-role.js';
import type { ContainerRepository } from './container-repository.js';

/** One secret injected into the container as an environment variable by the ECS agent. */
export interface ContainerSecret {
  /** Environment variable name inside the container. */
  readonly name: string;
  /** Secrets Manager secret ARN. */
  readonly secretArn: string;
  /** JSON key inside the secret's value (e.g. `password` of the RDS managed secret); whole value if omitted. */
  readonly jsonKey?: string;
}

/** A key the execution role must be able to decrypt with (the keys of the injected secrets). */
export interface DecryptableKey {
  grantDecrypt(grantee: Grantee): void;
}

export interface FargateTaskDefinitionProps {
  /** Task family and role name prefix, `bandup-<env>-<app>` (roles get `-execution` / `-task`). */
  readonly family: string;
  readonly accountId: string;
  readonly region: string;
  /** Fargate CPU units and memory (MiB); must be a valid Fargate combination. */
  readonly cpu: number;
  readonly memoryMib: number;
  readonly cpuArchitecture: 'X86_64' | 'ARM64';
  readonly repository: ContainerRepository;
  readonly imageTag: string;
  readonly containerName: string;
  readonly containerPort: number;
  /** Port mapping name; Service Connect refers to it. */
  readonly portName: string;
  /** Plain, non-secret settings only. Anything secret goes in `secrets`. */
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly ContainerSecret[];
  /** Keys the injected secrets are encrypted with. */
  readonly secretKeys: readonly DecryptableKey[];
  /** Container health check (`CMD` or `CMD-SHELL` form) and its start period. */
  readonly healthCheck: { readonly command: readonly string[]; readonly startPeriodSeconds: number };
  /** Numeric `uid` or `uid:gid` the container runs as (never root). */
  readonly user: string;
  readonly readonlyRootFilesystem: boolean;
  readonly logGroup: EncryptedLogGroup;
  /**
   * Whether the task needs AWS credentials at all. A container that calls no AWS API gets no task
   * role, so it holds no credentials (stricter than an empty role).
   */
  readonly withTaskRole: boolean;
  /**
   * Reuse the roles of another task definition of the same app (the standby variant of an
   * active-passive pair differs only in environment), instead of creating new ones.
   */
  readonly shareRolesWith?: FargateTaskDefinition;
  /** ECS Exec is on for this environment: the SSM agent needs writable paths on a read-only root. */
  readonly executeCommandEnabled: boolean;
  /** Seconds ECS waits after SIGTERM before SIGKILL (graceful shutdown), at most 120 on Fargate. */
  readonly stopTimeoutSeconds?: number;
}

/** Paths the ECS Exec (SSM) agent writes to; mounted as scratch volumes when the root is read-only. */
const EXEC_AGENT_PATHS = ['/managed-agents', '/var/lib/amazon/ssm', '/var/log/amazon/ssm'] as const;

const FARGATE_MEMORY: Record<number, readonly [number, number, number]> = {
  // cpu: [min MiB, max MiB, step MiB]
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
};

/**
 * A Fargate task definition for one app container, hardened: non-root numeric user, read-only
 * root filesystem with a scratch `/tmp`, every Linux capability dropped, an init process reaping
 * zombies, no privileged mode, a container health check, logs to a KMS-encrypted group, secrets
 * injected by the agent from Secrets Manager. It owns an execution role (pull this image, write
 * this log group, read exactly these secrets) and a separate task role for the app's own calls.
 */
export class FargateTaskDefinition extends Construct {
  readonly taskDefinition: EcsTaskDefinition;
  readonly executionRole: ServiceRole;
  /** Undefined when the app calls no AWS API (`withTaskRole: false`). */
  readonly taskRole?: ServiceRole;
  readonly containerName: string;
  readonly containerPort: number;
  readonly portName: string;

  constructor(scope: Construct, id: string, props: FargateTaskDefinitionProps) {
    super(scope, id);
    validate(props);
    this.containerName = props.containerName;
    this.containerPort = props.containerPort;
    this.portName = props.portName;

    if (props.shareRolesWith) {
      this.executionRole = props.shareRolesWith.executionRole;
      this.taskRole = props.shareRolesWith.taskRole;
    } else {
      this.executionRole = this.createRoles(props);
      this.taskRole = this.createdTaskRole;
    }

    const scratchPaths = props.readonlyRootFilesystem
      ? ['/tmp', ...(props.executeCommandEnabled ? EXEC_AGENT_PATHS : [])]
      : [];
    const volumes = scratchPaths.map((containerPath) => ({ name: volumeName(containerPath), containerPath }));

    const container = {
      name: props.containerName,
      image: props.repository.imageUri(props.imageTag),
      essential: true,
      user: props.user,
      privileged: false,
      readonlyRootFilesystem: props.readonlyRootFilesystem,
      linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
      portMappings: [
        { name: props.portName, containerPort: props.containerPort, protocol: 'tcp', appProtocol: 'http' },
      ],
      environment: Object.entries(props.environment)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      secrets: [...props.secrets]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => ({ name: s.name, valueFrom: s.jsonKey ? `${s.secretArn}:${s.jsonKey}::` : s.secretArn })),
      mountPoints: volumes.map((v) => ({
        sourceVolume: v.name,
        containerPath: v.containerPath,
        readOnly: false,
      })),
      healthCheck: {
        command: [...props.healthCheck.command],
        interval: 30,
        timeout: 5,
        retries: 3,
        startPeriod: props.healthCheck.startPeriodSeconds,
      },
      stopTimeout: props.stopTimeoutSeconds ?? 30,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': props.logGroup.name,
          'awslogs-region': props.region,
          'awslogs-stream-prefix': props.containerName,
          // Never block the app on a slow log pipe; the buffer absorbs bursts.
          mode: 'non-blocking',
          'max-buffer-size': '25m',
        },
      },
    };

    this.taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      family: props.family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu),
      memory: String(props.memoryMib),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: props.cpuArchitecture },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole?.arn,
      volume: volumes.map((v) => ({ name: v.name })),
      containerDefinitions: JSON.stringify([container]),
    });
  }

  private createdTaskRole?: ServiceRole;

  private createRoles(props: FargateTaskDefinitionProps): ServiceRole {
    // Both roles are assumable only by ECS tasks of this account (confused-deputy protection).
    const trustConditions = {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${props.region}:${props.accountId}:*` },
    };
    const executionRole = new ServiceRole(this, 'execution-role', {
      name: `${props.family}-execution`,
      description: `ECS agent for ${props.family}: pull the image, write logs, inject its secrets`,
      assumedBy: 'ecs-tasks.amazonaws.com',
      trustConditions,
    });
    props.repository.grantPull(executionRole);
    executionRole.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${props.logGroup.arn}:log-stream:*`],
    });
    const secretArns = [...new Set(props.secrets.map((s) => s.secretArn))];
    if (secretArns.length > 0) {
      executionRole.addToPolicy({ actions: ['secretsmanager:GetSecretValue'], resources: secretArns });
      for (const key of props.secretKeys) key.grantDecrypt(executionRole);
    }

    if (props.withTaskRole) {
      this.createdTaskRole = new ServiceRole(this, 'task-role', {
        name: `${props.family}-task`,
        description: `Application permissions of ${props.family} (separate from the ECS agent's)`,
        assumedBy: 'ecs-tasks.amazonaws.com',
        trustConditions,
      });
    }
    return executionRole;
  }

  get arn(): string {
    return this.taskDefinition.arn;
  }
}

function volumeName(containerPath: string): string {
  return `scratch${containerPath.replace(/[^a-z0-9]+/gi, '-')}`;
}

function validate(props: FargateTaskDefinitionProps): void {
  const where = `task definition ${props.family}`;
  const memory = FARGATE_MEMORY[props.cpu];
  if (!memory)
    throw new Error(`${where}: cpu ${props.cpu} is not a Fargate size (256, 512, 1024, 2048, 4096)`);
  const [min, max, step] = memory;
  if (props.memoryMib < min || props.memoryMib > max || (props.memoryMib - min) % step !== 0) {
    throw new Error(
      `${where}: memory ${props.memoryMib} MiB is not valid with cpu ${props.cpu} (${min}-${max} MiB in steps of ${step})`,
    );
  }
  if (!/^\d+(:\d+)?$/.test(props.user) || /^0(:|$)/.test(props.user)) {
    throw new Error(`${where}: user "${props.user}" must be a numeric non-root uid or uid:gid`);
  }
  const secretNames = new Set(props.secrets.map((s) => s.name));
  if (secretNames.size !== props.secrets.length)
    throw new Error(`${where}: a secret environment variable is declared twice`);
  const clash = Object.keys(props.environment).filter((name) => secretNames.has(name));
  if (clash.length > 0)
    throw new Error(`${where}: ${clash.join(', ')} declared both as environment and as secret`);
  if (props.healthCheck.startPeriodSeconds < 0 || props.healthCheck.startPeriodSeconds > 300) {
    throw new Error(`${where}: health check start period must be 0-300 seconds`);
  }
  if ((props.stopTimeoutSeconds ?? 30) > 120)
    throw new Error(`${where}: stopTimeoutSeconds is at most 120 on Fargate`);
}
