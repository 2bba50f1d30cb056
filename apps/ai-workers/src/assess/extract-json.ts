/**
 * Pulls the JSON object out of a model answer. Models asked for "JSON only" still sometimes wrap it
 * in a Markdown fence or add a sentence around it; taking the outermost `{...}` tolerates that
 * without guessing at content. Returns the parse error message when there is no valid JSON.
 */
export function extractJson(answer: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(answer);
  const candidate = (fenced?.[1] ?? answer).trim();
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start === -1 || end <= start) {
    return { ok: false, error: 'the answer contains no JSON object (expected one object starting with "{")' };
  }
  try {
    return { ok: true, value: JSON.parse(candidate.slice(start, end + 1)) };
  } catch (error) {
    return { ok: false, error: `the answer is not valid JSON: ${(error as Error).message}` };
  }
}
