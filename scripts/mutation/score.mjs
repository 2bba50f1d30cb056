/**
 * The mutation score of a Stryker JSON report (mutation-testing-report-schema), as Stryker computes
 * it: detected (killed + timeout) over valid mutants (detected + survived + no coverage). Ignored
 * mutants (`// Stryker disable` with a reason) and compile or runtime errors do not count.
 */
export function mutationScore(report) {
  const counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
  for (const file of Object.values(report.files ?? {})) {
    for (const mutant of file.mutants ?? []) {
      if (mutant.status === 'Killed') counts.killed++;
      else if (mutant.status === 'Timeout') counts.timeout++;
      else if (mutant.status === 'Survived') counts.survived++;
      else if (mutant.status === 'NoCoverage') counts.noCoverage++;
      else if (mutant.status === 'Ignored') counts.ignored++;
      else counts.errors++;
    }
  }
  const detected = counts.killed + counts.timeout;
  const valid = detected + counts.survived + counts.noCoverage;
  return { ...counts, score: valid === 0 ? 100 : (100 * detected) / valid };
}
