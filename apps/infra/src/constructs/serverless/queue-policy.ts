import type { PolicyStatement } from '../security/iam/policy-document.js';

/** The statement every queue policy starts with: refuse any request to the queue not made over TLS. */
export function denyInsecureQueueTransport(queueArn: string): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: '*',
    actions: ['sqs:*'],
    resources: [queueArn],
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
