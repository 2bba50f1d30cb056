import type { PolicyStatement } from './policy-document.js';

/**
 * What a Lambda function attached to a VPC needs to manage its network interfaces: the actions of
 * the AWS managed AWSLambdaVPCAccessExecutionRole, scoped to this account's ENIs and the given
 * subnets and group. The Describe calls have no resource-level permissions.
 */
export function vpcFunctionStatements(props: {
  readonly region: string;
  readonly accountId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
}): PolicyStatement[] {
  const ec2 = `arn:aws:ec2:${props.region}:${props.accountId}`;
  return [
    {
      actions: ['ec2:CreateNetworkInterface'],
      resources: [
        `${ec2}:network-interface/*`,
        ...props.subnetIds.map((id) => `${ec2}:subnet/${id}`),
        `${ec2}:security-group/${props.securityGroupId}`,
      ],
    },
    {
      actions: [
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: [`${ec2}:network-interface/*`],
    },
    { actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], resources: ['*'] },
  ];
}
