import type { Construct } from 'constructs';
import {
  type ContainerSecret,
  FargateTaskDefinition,
} from '../../constructs/containers/fargate-task-definition.js';
import { backendSecretBindings } from './app-backend-environment.js';
import type { AppAiInputs, AppDataInputs } from './app-stack.js';
import { type AppTaskContext, commonTaskProps } from './app-task-common.js';

/**
 * The backend's (Spring Boot) task definition: its database and cache logins, the AI API key and
 * the operator secrets injected by ECS, its endpoints in the environment, and its task role's
 * grants (AI API, job events, media bucket). Primary and standby run this one definition.
 */
export function backendTaskDefinition(
  scope: Construct,
  context: AppTaskContext,
  data: AppDataInputs,
  ai: AppAiInputs,
): FargateTaskDefinition {
  const { config, resourceName } = context;
  const svc = config.ecs.backend;
  const secrets = backendSecrets(data, ai);
  const task = new FargateTaskDefinition(scope, 'backend-task', {
    ...commonTaskProps('backend', context),
    family: resourceName('backend'),
    environment: backendEnvironment(config, data, ai),
    secrets,
    secretKeys: [data.keys.secrets],
    // Image assumption: the backend image ships curl and Spring Boot Actuator (the original had no
    // health endpoint; spring-boot-starter-actuator must be added) on the configured path.
    healthCheck: {
      command: [
        'CMD-SHELL',
        `curl -fsS http://127.0.0.1:${svc.containerPort}${svc.healthCheckPath} || exit 1`,
      ],
      startPeriodSeconds: Math.min(svc.healthCheckGracePeriodSeconds, 300),
    },
    withTaskRole: true,
    // Spring Boot graceful shutdown drains in-flight requests after SIGTERM.
    stopTimeoutSeconds: 60,
  });
  const taskRole = task.taskRole as NonNullable<typeof task.taskRole>;
  ai.grantInvokeApi(taskRole);
  ai.grantReceiveJobEvents(taskRole);
  data.buckets.media.grantReadWrite(taskRole);
  return task;
}

/** What ECS injects from Secrets Manager: the logins (rotated), the AI API key, the operator secrets. */
function backendSecrets(data: AppDataInputs, ai: AppAiInputs): ContainerSecret[] {
  const db = data.database;
  const bindings = backendSecretBindings(Object.keys(data.secrets.backend));
  return [
    // The backend's least-privilege login; a rolling restart follows each rotation.
    { name: 'SPRING_DATASOURCE_USERNAME', secretArn: db.appCredentialsSecretArn, jsonKey: 'username' },
    { name: 'SPRING_DATASOURCE_PASSWORD', secretArn: db.appCredentialsSecretArn, jsonKey: 'password' },
    { name: 'SPRING_DATA_REDIS_PASSWORD', secretArn: data.cache.authTokenSecretArn },
    { name: 'AI_API_KEY', secretArn: ai.apiKeySecretArn },
    ...bindings.map((b) => ({
      name: b.env,
      secretArn: (data.secrets.backend[b.secret] as { arn: string }).arn,
      jsonKey: b.jsonKey,
    })),
  ];
}

/** The backend's endpoints and settings (Spring Boot reads them from the environment). */
function backendEnvironment(
  config: AppTaskContext['config'],
  data: AppDataInputs,
  ai: AppAiInputs,
): Record<string, string> {
  const db = data.database;
  return {
    SPRING_PROFILES_ACTIVE: config.name,
    SERVER_PORT: String(config.ecs.backend.containerPort),
    DB_HOST: db.address,
    DB_PORT: String(db.port),
    DB_NAME: db.name,
    // TLS to PostgreSQL (the server forces it).
    SPRING_DATASOURCE_URL: `jdbc:postgresql://${db.address}:${db.port}/${db.name}?sslmode=require`,
    SPRING_DATA_REDIS_HOST: data.cache.primaryEndpoint,
    SPRING_DATA_REDIS_PORT: String(data.cache.port),
    SPRING_DATA_REDIS_SSL_ENABLED: 'true',
    AI_API_URL: ai.api.invokeUrl,
    AWS_REGION: config.region,
    AWS_S3_BUCKET: data.buckets.media.name,
    // Signed with the key pair in the `cloudfront` secret; CloudFront trusts its public half.
    CLOUDFRONT_DOMAIN: data.mediaCdn.domainName,
    FRONTEND_URL: `https://${config.dns.domainName}`,
    CORS_FRONTEND_ORIGIN: `https://${config.dns.domainName}`,
    // Completion events of AI jobs (docs/ai-stack.md, "Completion events").
    AI_JOB_EVENTS_QUEUE_URL: ai.jobEventsQueueUrl,
    // Mail: SMTP submission with STARTTLS required (no plaintext fallback); the security group
    // opens only this port, through NAT. Username and password come from the `mail` secret.
    SPRING_MAIL_HOST: config.mail.smtpHost,
    SPRING_MAIL_PORT: String(config.mail.smtpPort),
    SPRING_MAIL_PROPERTIES_MAIL_SMTP_AUTH: 'true',
    SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_ENABLE: 'true',
    SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_REQUIRED: 'true',
  };
}
