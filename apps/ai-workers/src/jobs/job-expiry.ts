import type { JobItem } from './job-item.js';

/**
 * DynamoDB TTL deletes an expired item some time after `expiresAt` (usually within days), and until
 * then reads still return it. The API treats a job as gone from `expiresAt` on, so what the backend
 * sees does not depend on when the deletion happens to run.
 */
export function isExpired(job: Pick<JobItem, 'expiresAt'>, now: Date): boolean {
  return job.expiresAt <= Math.floor(now.getTime() / 1000);
}
