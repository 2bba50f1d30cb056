import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account/index.js';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Construct } from 'constructs';
import { ServiceRole } from '../security/iam/service-role.js';

export interface ApiGatewayLoggingRoleProps {
  readonly accountId: string;
  readonly region: string;
}

/**
 * The account's API Gateway CloudWatch Logs role (`aws_api_gateway_account`), which every REST API
 * stage of the account and region needs before it can write access or execution logs.
 *
 * It is an account-and-region singleton: owned by the bootstrap stack (one per account and region,
 * never destroyed with an environment), not by an environment's AI stack, so environments that
 * share an account cannot overwrite it or take it away from each other. Its policy reaches only
 * API Gateway's log groups (`API-Gateway-Execution-Logs_*` and `/aws/apigateway/*`).
 */
export class ApiGatewayLoggingRole extends Construct {
  readonly role: ServiceRole;
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayLoggingRoleProps) {
    super(scope, id);
    const { accountId, region } = props;
    this.role = new ServiceRole(this, 'role', {
      name: `bandup-apigateway-logs-${region}`,
      description: 'API Gateway (account setting) writes execution and access logs to CloudWatch Logs',
      assumedBy: 'apigateway.amazonaws.com',
      trustConditions: { StringEquals: { 'aws:SourceAccount': accountId } },
    });
    const logGroupArn = (pattern: string) => `arn:aws:logs:${region}:${accountId}:log-group:${pattern}`;
    this.role.addToPolicy({
      actions: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'logs:DescribeLogStreams',
      ],
      resources: [
        logGroupArn('API-Gateway-Execution-Logs_*'),
        logGroupArn('API-Gateway-Execution-Logs_*:log-stream:*'),
        logGroupArn('/aws/apigateway/*'),
        logGroupArn('/aws/apigateway/*:log-stream:*'),
      ],
    });
    // DescribeLogGroups lists the groups of the account and region: no per-group resource exists.
    this.role.addToPolicy({ actions: ['logs:DescribeLogGroups'], resources: [logGroupArn('*')] });
    this.account = new ApiGatewayAccount(this, 'account', {
      cloudwatchRoleArn: this.role.arn,
      dependsOn: [this.role.node.findChild('policy') as IamRolePolicy],
    });
  }
}
