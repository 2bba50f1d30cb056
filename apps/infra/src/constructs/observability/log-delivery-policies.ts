import type { PolicyStatement } from '../security/iam/policy-document.js';

/**
 * Elastic Load Balancing's log delivery account per region, for regions available before August
 * 2022 ("Step 2: Attach a policy to your S3 bucket", Application Load Balancer user guide,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
 * In those regions the bucket policy must name this account; newer regions use the service
 * principal `logdelivery.elasticloadbalancing.amazonaws.com` instead.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-south-1': '718504428378',
  'ap-northeast-1': '582318560864',
  'ap-northeast-2': '600734575887',
  'ap-northeast-3': '383597477331',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-southeast-3': '589379963580',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-west-3': '009996457667',
  'eu-south-1': '635631232127',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
};

/**
 * Lets the region's ALB log delivery write access logs, and only under
 * `<prefix>/AWSLogs/<account>/` (the load balancer's `access_logs.prefix`).
 */
export function albLogDeliveryStatement(props: {
  readonly region: string;
  readonly accountId: string;
  readonly bucketArn: string;
  readonly prefix: string;
}): PolicyStatement {
  const elbAccount = ELB_LOG_DELIVERY_ACCOUNTS[props.region];
  return {
    sid: 'AlbAccessLogDelivery',
    principals: elbAccount
      ? { AWS: `arn:aws:iam::${elbAccount}:root` }
      : { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
    actions: ['s3:PutObject'],
    resources: [`${props.bucketArn}/${props.prefix}/AWSLogs/${props.accountId}/*`],
  };
}

/**
 * Lets S3 server access logging write into the log bucket, only for source buckets of this
 * account whose ARNs are listed, only under `prefix`.
 */
export function s3ServerAccessLogStatement(props: {
  readonly accountId: string;
  readonly logBucketArn: string;
  readonly prefix: string;
  readonly sourceBucketArns: readonly string[];
}): PolicyStatement {
  return {
    sid: 'S3ServerAccessLogDelivery',
    principals: { Service: 'logging.s3.amazonaws.com' },
    actions: ['s3:PutObject'],
    resources: [`${props.logBucketArn}/${props.prefix}*`],
    conditions: {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: { 'aws:SourceArn': [...props.sourceBucketArns] },
    },
  };
}

/** WAF log groups must be named `aws-waf-logs-...`; Bandup's are `aws-waf-logs-bandup-<env>-<acl>`. */
export function wafLogGroupPattern(environment: string): string {
  return `aws-waf-logs-bandup-${environment}-*`;
}

/**
 * Lets the CloudWatch Logs delivery service write WAF logs into every WAF log group of one
 * environment (this account and region only). One statement in one resource policy per
 * environment, instead of one policy per log group: the account allows 10 resource policies.
 */
export function wafLogDeliveryStatement(props: {
  readonly accountId: string;
  readonly region: string;
  readonly environment: string;
}): PolicyStatement {
  const logs = `arn:aws:logs:${props.region}:${props.accountId}`;
  return {
    sid: 'WafLogDelivery',
    principals: { Service: 'delivery.logs.amazonaws.com' },
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [`${logs}:log-group:${wafLogGroupPattern(props.environment)}:log-stream:*`],
    conditions: {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: { 'aws:SourceArn': `${logs}:*` },
    },
  };
}
