import { formatIssues, type SubmissionLimits, SubmissionLimitsSchema } from '@bandup/shared';

/** Parses `BANDUP_SUBMISSION_LIMITS` at cold start; a bad value names the variable and each bad field. */
export function parseSubmissionLimits(raw: string): SubmissionLimits {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`BANDUP_SUBMISSION_LIMITS is not JSON: ${(error as Error).message}`);
  }
  const parsed = SubmissionLimitsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error).map((p) => `${p.path}: ${p.message}`);
    throw new Error(`BANDUP_SUBMISSION_LIMITS is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}
