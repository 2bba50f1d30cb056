import type { Construct } from 'constructs';
import { NotificationTopic } from './notification-topic.js';

export interface AlarmTopicProps {
  /** Topic name, `bandup-<env>-<purpose>-alarms`. */
  readonly name: string;
  readonly accountId: string;
  /** Key whose policy lets `cloudwatch.amazonaws.com` generate data keys and decrypt. */
  readonly key: { readonly arn: string };
  /** Operators' address; AWS sends a confirmation e-mail that must be accepted once. */
  readonly email: string;
}

/** The notification topic CloudWatch alarms of this account publish to. */
export class AlarmTopic extends NotificationTopic {
  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id, {
      name: props.name,
      key: props.key,
      email: props.email,
      alarmsOfAccount: props.accountId,
    });
  }
}
