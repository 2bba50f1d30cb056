/**
 * Actions an identity policy may grant on `Resource: "*"`, because AWS defines no resource type
 * for them (the Service Authorization Reference lists them with `*` only). Anything else on `*`
 * fails synth: scope it to ARNs. Add an entry only with the reason.
 */
export const ACTIONS_ONLY_ON_ANY_RESOURCE: ReadonlySet<string> = new Set([
  // X-Ray: trace segments and sampling (Lambda active tracing, Powertools Tracer).
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  // ECR registry login token (the pull itself is scoped to repository ARNs).
  'ecr:GetAuthorizationToken',
  // Transcribe jobs have no ARN at start time (the output bucket and key are scoped by the S3 grant).
  'transcribe:StartTranscriptionJob',
  // CloudWatch Logs vended log delivery (WAF, API Gateway access logs) and account-level listing.
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  // ECS Exec session channels (Session Manager defines no resource for them).
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  // Secrets Manager rotation functions generate passwords without touching a secret.
  'secretsmanager:GetRandomPassword',
  // VPC-attached Lambda functions: ENI management and lookups (EC2 Describe* have no resource type).
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  // Custom metrics (restricted by a cloudwatch:namespace condition where used).
  'cloudwatch:PutMetricData',
]);

/**
 * Resource policies whose `Resource: "*"` means "this resource", because the document is
 * attached to it and cannot name its own ARN: KMS key policies.
 */
export const POLICIES_WHERE_STAR_MEANS_SELF: ReadonlySet<string> = new Set(['aws_kms_key.policy']);
