import { resourceName } from '@bandup/shared';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { EncryptionKey } from '../../constructs/security/kms-key.js';

/**
 * The AI stack's own key: queues, Lambda environments, code artifacts and alarm notifications.
 * Owned by the AI stack, with the rule and the alarms it must admit (the data stack comes first
 * and could not refer to them without a cycle).
 */
export function aiKey(scope: Construct, id: string, config: EnvironmentConfig): EncryptionKey {
  const { accountId, region } = config;
  return new EncryptionKey(scope, id, {
    accountId,
    region,
    alias: resourceName(config.name, 'ai'),
    description: `Bandup ${config.name}: AI queues, Lambda environments, code artifacts, alarm notifications`,
    viaServices: ['sqs', 'lambda', 's3', 'sns'],
    servicePrincipals: [
      // EventBridge encrypts what it sends to the speaking-finalize queue. Which rule may send is
      // enforced by that queue's policy (aws:SourceArn); KMS gets no source context from SQS here.
      { principal: 'events.amazonaws.com', actions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
      // CloudWatch alarms publish to the KMS-encrypted alarm topic.
      {
        principal: 'cloudwatch.amazonaws.com',
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        conditions: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
    preventDestroy: config.protectStatefulResources,
  });
}
