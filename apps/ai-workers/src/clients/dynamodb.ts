import type { AwsClientOptions } from './aws-client-config.js';
import { type AwsJsonClient, createAwsJsonClient, DYNAMODB } from './aws-json-client.js';
import { DocumentTable } from './document-table.js';

/**
 * The workers' DynamoDB access: plain JS values over the light JSON-protocol client (see
 * `aws-json-client.ts` for why not the SDK's generated client). `capture` instruments the
 * client, e.g. `traceAwsCalls` for an X-Ray subsegment per call.
 */
export function createDocumentTable(options: AwsClientOptions = {}): DocumentTable {
  return new DocumentTable(createAwsJsonClient(DYNAMODB, options));
}
