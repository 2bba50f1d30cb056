/**
 * Lambda event filter of the jobs-table stream mapping (`job-events`): only inserts and updates
 * whose new status is terminal invoke the function. A necessary condition of a terminal transition,
 * not a sufficient one (the filter cannot compare the old image): the function still checks that the
 * old status was not terminal. Infra sets it on the mapping; the workers' tests check that no record
 * the function would publish is filtered out.
 */
export const TERMINAL_JOB_WRITE_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { status: { S: ['SUCCEEDED', 'FAILED'] } } },
} as const;
