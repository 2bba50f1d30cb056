import { formatIssues } from '@bandup/shared';
import type { z } from 'zod';

/** A zod error in one line, `path: message; path: message`, for an exception message. */
export function describeIssues(error: z.ZodError): string {
  return formatIssues(error)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
}
