import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Construct } from 'constructs';
import { type PolicyStatement, renderPolicy } from '../security/iam/policy-document.js';

export interface NotificationTopicProps {
  /** Topic name, `bandup-<env>-<purpose>`. */
  readonly name: string;
  /** Customer managed key encrypting the topic; its policy must admit every publishing service. */
  readonly key: { readonly arn: string };
  /** Operators' address; AWS sends a confirmation e-mail that must be accepted once. */
  readonly email: string;
  /**
   * Let CloudWatch alarms of this account publish (a resource policy statement: alarms have no
   * role). Without it only IAM principals of the account granted `sns:Publish` can publish.
   */
  readonly alarmsOfAccount?: string;
  /**
   * Logical ids the three resources had before they were grouped in this construct, so that an
   * existing topic keeps its Terraform address instead of being replaced.
   */
  readonly logicalIds?: { readonly topic: string; readonly policy: string; readonly email: string };
}

/**
 * An SNS topic that tells the operators something by e-mail (alarms, pipeline approvals):
 * encrypted with a customer managed key, refusing publishes without TLS, with one e-mail subscription.
 */
export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly policy: SnsTopicPolicy;
  readonly subscription: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    const ids = props.logicalIds;
    this.topic = new SnsTopic(this, 'topic', { name: props.name, kmsMasterKeyId: props.key.arn });
    // Before anything refers to the topic: a reference fixes the id it resolves to.
    if (ids) this.topic.overrideLogicalId(ids.topic);
    const statements: PolicyStatement[] = [];
    if (props.alarmsOfAccount !== undefined) {
      statements.push({
        sid: 'CloudWatchAlarmsPublish',
        principals: { Service: 'cloudwatch.amazonaws.com' },
        actions: ['sns:Publish'],
        resources: [this.topic.arn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': props.alarmsOfAccount },
          ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:*:${props.alarmsOfAccount}:alarm:*` },
        },
      });
    }
    statements.push({
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
      principals: '*',
      actions: ['sns:Publish'],
      resources: [this.topic.arn],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    this.policy = new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: renderPolicy(statements),
    });
    this.subscription = new SnsTopicSubscription(this, 'email', {
      topicArn: this.topic.arn,
      protocol: 'email',
      endpoint: props.email,
    });
    if (ids) {
      this.policy.overrideLogicalId(ids.policy);
      this.subscription.overrideLogicalId(ids.email);
    }
  }

  get arn(): string {
    return this.topic.arn;
  }
}
