import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { Construct } from 'constructs';

export interface FunctionScheduleProps {
  /** Rule name, `bandup-<env>-<function>-schedule`. */
  readonly ruleName: string;
  /** `rate(...)` or `cron(...)`. */
  readonly expression: string;
  readonly functionArn: string;
  readonly functionName: string;
  /** Where EventBridge puts invocations it could not deliver. */
  readonly deadLetterQueueArn: string;
}

/**
 * Runs a function on a schedule: an EventBridge rule targeting the function, permitted to invoke it
 * (only from this rule), with a dead-letter queue for invocations EventBridge could not deliver. A
 * missed run is not retried for long (the next one comes soon); an hour keeps one short outage.
 */
export class FunctionSchedule extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.ruleName,
      description: `Runs ${props.functionName} on ${props.expression}`,
      scheduleExpression: props.expression,
    });
    new LambdaPermission(this, 'permission', {
      statementId: 'AllowScheduleRule',
      action: 'lambda:InvokeFunction',
      functionName: props.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });
    new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'function',
      arn: props.functionArn,
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
      deadLetterConfig: { arn: props.deadLetterQueueArn },
    });
  }
}
