/**
 * The AI API's resource policy (`x-amazon-apigateway-policy` of the imported OpenAPI document).
 *
 * With IAM authorization, a caller of the same account is admitted when *either* its identity policy
 * or the resource policy allows it; only an explicit Deny overrides an Allow. So the policy pairs an
 * Allow for the admitted principals with a Deny for every other principal: a role with
 * `execute-api:Invoke` on `*` (an admin, the CI apply role) is refused by the API itself.
 *
 * Principals are matched on `aws:PrincipalArn` (the role ARN, also for its assumed-role sessions),
 * not named as `Principal`: the backend task role belongs to the app stack, which is deployed after
 * this one, and a Principal ARN of a role that does not exist yet would be rejected.
 * `execute-api:/*` is expanded by API Gateway on import to this API's ARN.
 */
export interface ApiPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly ApiPolicyStatement[];
}

interface ApiPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: '*';
  readonly Action: 'execute-api:Invoke';
  readonly Resource: readonly string[];
  readonly Condition: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** ARNs (patterns with `*`) a principal of the API's account may be admitted by. */
const ACCOUNT_PRINCIPAL = /^arn:aws:(iam|sts)::(\d{12}):[A-Za-z0-9+=,.@_/*-]+$/;

export function apiResourcePolicy(props: {
  readonly accountId: string;
  /** The roles (and operator patterns) that may invoke the API; everyone else is denied. */
  readonly allowedPrincipalArns: readonly string[];
}): ApiPolicyDocument {
  const { accountId, allowedPrincipalArns } = props;
  if (allowedPrincipalArns.length === 0) throw new Error('The AI API resource policy admits no principal');
  for (const arn of allowedPrincipalArns) {
    const match = ACCOUNT_PRINCIPAL.exec(arn);
    if (!match || match[2] !== accountId) {
      throw new Error(`AI API resource policy: "${arn}" is not an IAM principal of account ${accountId}`);
    }
  }
  const principals = [...new Set(allowedPrincipalArns)];
  const resources = ['execute-api:/*'];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AdmitBackendAndOperators',
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: resources,
        Condition: {
          ArnLike: { 'aws:PrincipalArn': principals },
          StringEquals: { 'aws:PrincipalAccount': [accountId] },
        },
      },
      {
        Sid: 'DenyEveryoneElse',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: resources,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': principals } },
      },
    ],
  };
}
