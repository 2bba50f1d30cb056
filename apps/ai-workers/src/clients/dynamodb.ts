import type { AwsClientOptions } from './aws-client-config.js';
import { createAwsClient, DYNAMODB } from './aws-http-client.js';
import { DocumentTable } from './document-table.js';

/**
 * The workers' DynamoDB access: plain JS values over the light JSON-protocol client (see
 * `aws-http-client.ts` for why not the SDK's generated client). `capture` instruments the
 * client, e.g. `traceAwsCalls` for an X-Ray subsegment per call.
 */
export function createDocumentTable(options: AwsClientOptions = {}): DocumentTable {
  return new DocumentTable(createAwsClient(DYNAMODB, options));
}
