import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { Construct } from 'constructs';
import type { Grantee } from '../security/iam/policy-document.js';

/** One operator-filled secret: its name and what its value must look like. */
export interface OperatorSecretSpec {
  /** Full name, e.g. `bandup/dev/backend/jwt`. */
  readonly name: string;
  /** What the value is, for the console and for operators. */
  readonly description: string;
  /** JSON keys the value must have, or `undefined` when the whole value is one plain string. */
  readonly jsonKeys?: readonly string[];
}

export interface AppSecretsProps {
  readonly secrets: Readonly<Record<string, OperatorSecretSpec>>;
  /** The secrets key (Secrets Manager through `kms:ViaService`). */
  readonly kmsKeyArn: string;
  /** Days a deleted secret stays recoverable (7-30; prod 30). */
  readonly recoveryWindowDays: number;
  readonly protect: boolean;
  readonly region: string;
}

/** A secret as consumers reference it. */
export interface OperatorSecret {
  readonly arn: string;
  readonly name: string;
  /** The command an operator runs to set (or replace) the value. */
  readonly putValueCommand: string;
  grantRead(grantee: Grantee): void;
}

/**
 * Secrets Manager secrets with no value: Terraform creates the named, KMS-encrypted container and
 * never a version, so no value is in code, config, plan or state; operators set the value with
 * `aws secretsmanager put-secret-value` (the command is in each secret's description and in the
 * `putValueCommand` field). A task that starts before the value is set fails with the secret's name.
 *
 * Rotation: these are third-party credentials (Google OAuth, the mail provider, VNPay, Gemini) or the
 * backend's JWT signing keys. Rotating them needs a function that talks to each provider or a
 * backend that accepts two JWT keys during the switch; neither exists, so rotation is an operator
 * runbook (put a new value, then roll the service), not a scheduled rotation that would only fail.
 */
export class AppSecrets extends Construct {
  readonly secrets: Record<string, OperatorSecret>;

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    // 0 deletes at once (a re-created environment can reuse the names); otherwise 7-30 days.
    const days = props.recoveryWindowDays;
    if (!(days === 0 || (Number.isInteger(days) && days >= 7 && days <= 30))) {
      throw new Error(`Secrets: recoveryWindowDays must be 0 or 7-30, got ${days}`);
    }
    this.secrets = Object.fromEntries(
      Object.entries(props.secrets).map(([key, spec]) => {
        const command = putValueCommand(spec, props.region);
        const secret = new SecretsmanagerSecret(this, key, {
          name: spec.name,
          description: `${spec.description}. Set with: ${command}`.slice(0, 2048),
          kmsKeyId: props.kmsKeyArn,
          recoveryWindowInDays: props.recoveryWindowDays,
          lifecycle: props.protect ? { preventDestroy: true } : undefined,
        });
        const entry: OperatorSecret = {
          arn: secret.arn,
          name: spec.name,
          putValueCommand: command,
          grantRead: (grantee) =>
            grantee.addToPolicy({
              actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
              resources: [secret.arn],
            }),
        };
        return [key, entry];
      }),
    );
  }
}

/**
 * `aws secretsmanager put-secret-value` for a secret, reading the value from a file the operator
 * writes (never from the command line, where it would land in shell history and `ps`).
 */
export function putValueCommand(spec: OperatorSecretSpec, region: string): string {
  const shape = spec.jsonKeys
    ? `JSON {${spec.jsonKeys.map((k) => `"${k}":...`).join(',')}}`
    : 'the plain value';
  return `aws secretsmanager put-secret-value --region ${region} --secret-id ${spec.name} --secret-string file://value.txt (value.txt holds ${shape}; delete it afterwards)`;
}
