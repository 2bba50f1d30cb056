import { ENVIRONMENTS, type EnvironmentName } from '@bandup/shared';

/** The deployment environment from `BANDUP_ENV`, checked at cold start (names Transcribe jobs and S3 keys). */
export function environmentName(value: string): EnvironmentName {
  if (!(ENVIRONMENTS as readonly string[]).includes(value)) {
    throw new Error(`BANDUP_ENV is "${value}"; expected one of ${ENVIRONMENTS.join(', ')}`);
  }
  return value as EnvironmentName;
}
