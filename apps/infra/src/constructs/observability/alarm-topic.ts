import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Construct } from 'constructs';
import { renderPolicy } from '../iam/policy-document.js';

export interface AlarmTopicProps {
  /** Topic name, `bandup-<env>-<purpose>-alarms`. */
  readonly name: string;
  readonly accountId: string;
  /** Key whose policy lets `cloudwatch.amazonaws.com` generate data keys and decrypt. */
  readonly key: { readonly arn: string };
  /** Operators' address; AWS sends a confirmation e-mail that must be accepted once. */
  readonly email: string;
}

/**
 * The SNS topic CloudWatch alarms notify: encrypted with a customer managed key, publishable only
 * by CloudWatch alarms of this account, with an e-mail subscription for the operators.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', { name: props.name, kmsMasterKeyId: props.key.arn });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: renderPolicy([
        {
          sid: 'CloudWatchAlarmsPublish',
          principals: { Service: 'cloudwatch.amazonaws.com' },
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': props.accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:*:${props.accountId}:alarm:*` },
          },
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: '*',
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });
    new SnsTopicSubscription(this, 'email', {
      topicArn: this.topic.arn,
      protocol: 'email',
      endpoint: props.email,
    });
  }

  get arn(): string {
    return this.topic.arn;
  }
}
