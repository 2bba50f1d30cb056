import type { Json } from '../app-fixture.js';

/**
 * An in-memory Secrets Manager with version stages, answering the SDK v3 commands a rotation function
 * sends (`send(command)`, dispatched on the command's class name). It follows the service's rules
 * that rotations depend on: a stage labels one version at a time, AWSCURRENT moves with
 * UpdateSecretVersionStage and the version it leaves becomes AWSPREVIOUS, GetSecretValue defaults
 * to AWSCURRENT, and an unknown version or stage is ResourceNotFoundException.
 */
export class FakeSecretsManager {
  private readonly secrets = new Map<string, Map<string, { value?: string; stages: string[] }>>();
  private passwordCounter = 0;
  readonly calls: string[] = [];

  constructor(
    private readonly randomPassword: () => string = () => `Pw${++this.passwordCounter}x`.padEnd(48, '7'),
  ) {}

  /** A secret with rotation enabled and, optionally, a first AWSCURRENT value. */
  create(id: string, value?: string): void {
    const versions = new Map<string, { value?: string; stages: string[] }>();
    if (value !== undefined) versions.set('initial', { value, stages: ['AWSCURRENT'] });
    this.secrets.set(id, versions);
  }

  /** Starts a rotation the way RotateSecret does: a new version labelled AWSPENDING (no value yet). */
  beginRotation(id: string, token: string): void {
    const versions = this.versions(id);
    for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== 'AWSPENDING');
    versions.set(token, { stages: ['AWSPENDING'] });
  }

  current(id: string): string | undefined {
    return [...this.versions(id).values()].find((v) => v.stages.includes('AWSCURRENT'))?.value;
  }

  async send(command: { constructor: { name: string }; input: object }): Promise<Json> {
    const op = command.constructor.name.replace(/Command$/, '');
    const input = command.input as Json;
    this.calls.push(op);
    switch (op) {
      case 'DescribeSecret': {
        const versions = this.versions(input.SecretId);
        return {
          RotationEnabled: true,
          VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, [...v.stages]])),
        };
      }
      case 'GetSecretValue': {
        const versions = this.versions(input.SecretId);
        const stage = input.VersionStage ?? (input.VersionId ? undefined : 'AWSCURRENT');
        const match = [...versions].find(
          ([id, v]) =>
            (input.VersionId === undefined || id === input.VersionId) &&
            (stage === undefined || v.stages.includes(stage)) &&
            v.value !== undefined,
        );
        if (!match) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
        return { SecretString: match[1].value, VersionId: match[0] };
      }
      case 'GetRandomPassword':
        return { RandomPassword: this.randomPassword() };
      case 'PutSecretValue': {
        const versions = this.versions(input.SecretId);
        const existing = versions.get(input.ClientRequestToken);
        versions.set(input.ClientRequestToken, {
          value: input.SecretString,
          stages: existing?.stages ?? input.VersionStages,
        });
        return {};
      }
      case 'UpdateSecretVersionStage': {
        const versions = this.versions(input.SecretId);
        const stage = input.VersionStage;
        if (stage === 'AWSCURRENT') {
          for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS');
        }
        const from = input.RemoveFromVersionId ? versions.get(input.RemoveFromVersionId) : undefined;
        if (from) {
          from.stages = from.stages.filter((s) => s !== stage);
          if (stage === 'AWSCURRENT') from.stages.push('AWSPREVIOUS');
        }
        const to = versions.get(input.MoveToVersionId);
        if (!to) throw Object.assign(new Error('no version'), { name: 'ResourceNotFoundException' });
        to.stages = [...to.stages.filter((s) => s !== 'AWSPENDING'), stage];
        return {};
      }
      default:
        throw new Error(`FakeSecretsManager: ${op} not implemented`);
    }
  }

  private versions(id: string) {
    const versions = this.secrets.get(id);
    if (!versions) throw Object.assign(new Error(`no secret ${id}`), { name: 'ResourceNotFoundException' });
    return versions;
  }
}
