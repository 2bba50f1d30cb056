/**
 * Lambda event filtering for exact-value patterns (the only kind the job-events mapping uses): every
 * key of the pattern must exist in the record; a list matches when the record's value is one of its
 * values; an object matches the record's object recursively.
 */
export function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((candidate) => candidate === value);
  if (typeof pattern !== 'object' || pattern === null) {
    throw new Error(`unsupported filter pattern element: ${JSON.stringify(pattern)}`);
  }
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, sub]) =>
    key in value ? matchesFilter(sub, (value as Record<string, unknown>)[key]) : false,
  );
}
