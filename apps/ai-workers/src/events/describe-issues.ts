import { formatIssues } from '@bandup/shared';

/** A zod error in one line, `path: message; path: message`, for an exception message. */
export function describeIssues(error: Parameters<typeof formatIssues>[0]): string {
  return formatIssues(error)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
}
