import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AppSecrets, type OperatorSecret, type OperatorSecretSpec } from '../containers/app-secrets.js';
import { FlatConstruct } from '../flat-construct.js';

/** What each backend secret holds (keys from the backend's secret contract). */
const BACKEND_SECRET_DESCRIPTIONS: Readonly<Record<string, string>> = {
  jwt: 'Backend JWT signing keys (access and refresh)',
  oauth: 'Backend Google OAuth 2.0 client',
  mail: 'Backend SMTP credentials',
  payment: 'Backend VNPay merchant code and hash secret',
  cloudfront: 'Backend CloudFront signed URL key pair',
};

export interface EnvironmentSecretsProps {
  readonly environment: string;
  readonly region: string;
  /** The backend's secrets: secret name -> (environment variable -> JSON key of the value). */
  readonly backendSecretEnvironment: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The secrets key (Secrets Manager through `kms:ViaService`). */
  readonly kmsKeyArn: string;
  readonly recoveryWindowDays: number;
  readonly protect: boolean;
}

/**
 * The operator-filled secrets of an environment: the backend's (`bandup/<env>/backend/<name>`,
 * JSON with the keys the backend reads) and the AI workers' Gemini API key, each with an output
 * holding the command that sets its value.
 */
export class EnvironmentSecrets extends FlatConstruct {
  readonly backend: Readonly<Record<string, OperatorSecret>>;
  readonly gemini: OperatorSecret;

  constructor(scope: Construct, id: string, props: EnvironmentSecretsProps) {
    super(scope, id);
    const common = {
      kmsKeyArn: props.kmsKeyArn,
      recoveryWindowDays: props.recoveryWindowDays,
      protect: props.protect,
      region: props.region,
    };
    const backendSpecs = Object.fromEntries(
      Object.entries(props.backendSecretEnvironment).map(([name, env]): [string, OperatorSecretSpec] => [
        name,
        {
          name: `bandup/${props.environment}/backend/${name}`,
          description: BACKEND_SECRET_DESCRIPTIONS[name] ?? `Backend secret ${name}`,
          jsonKeys: Object.values(env),
        },
      ]),
    );
    this.backend = new AppSecrets(this, 'backend-secrets', { secrets: backendSpecs, ...common }).secrets;
    const ai = new AppSecrets(this, 'ai-secrets', {
      secrets: {
        gemini: {
          name: `bandup/${props.environment}/ai/gemini-api-key`,
          description: 'Gemini API key for RAG smart queries (plain string), read by the AI workers',
        },
      },
      ...common,
    });
    this.gemini = ai.secrets.gemini as OperatorSecret;

    for (const [name, secret] of Object.entries({ ...this.backend, gemini: this.gemini })) {
      new TerraformOutput(this, `secret-${name}-put-command`, {
        value: secret.putValueCommand,
        description: `How an operator sets ${secret.name}`,
      });
    }
  }
}
