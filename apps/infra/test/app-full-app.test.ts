import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, refId, resourcesOf } from './app-fixture.js';
import { synthesizeFullApp } from './support/full-app.js';

/**
 * The app stack inside the real, whole app (network, data, AI stacks as built by their owners):
 * cross-stack references and the security groups the app relies on, checked across every stack.
 */
let stacks: Record<string, Json>;

beforeAll(() => {
  ({ stacks } = synthesizeFullApp(undefined));
});

const INTERNET = ['0.0.0.0/0', '::/0'];

/** Every ingress permission of every security group in a stack, normalised. */
function ingressRules(stack: Json): { group: string; from: number; to: number; cidrs: string[] }[] {
  const rules: { group: string; from: number; to: number; cidrs: string[] }[] = [];
  for (const [id, sg] of Object.entries(resourcesOf(stack, 'aws_security_group'))) {
    for (const rule of (sg.ingress ?? []) as Json[]) {
      rules.push({
        group: id,
        from: rule.from_port,
        to: rule.to_port,
        cidrs: [...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])],
      });
    }
  }
  for (const rule of Object.values(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule'))) {
    rules.push({
      group: refId(rule.security_group_id, 'aws_security_group') ?? rule.security_group_id,
      from: rule.from_port,
      to: rule.to_port,
      cidrs: [rule.cidr_ipv4, rule.cidr_ipv6].filter(Boolean),
    });
  }
  for (const rule of Object.values(resourcesOf(stack, 'aws_security_group_rule'))) {
    if (rule.type !== 'ingress') continue;
    rules.push({
      group: refId(rule.security_group_id, 'aws_security_group') ?? rule.security_group_id,
      from: rule.from_port,
      to: rule.to_port,
      cidrs: [...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])],
    });
  }
  return rules;
}

describe('app stack in the whole app', () => {
  it('is part of every environment', () => {
    expect(Object.keys(stacks)).toEqual(expect.arrayContaining(['bandup-dev-app', 'bandup-prod-app']));
  });

  it('no security group anywhere admits the internet, except the ALB group on 80 and 443', () => {
    let albRules = 0;
    for (const [stackId, stack] of Object.entries(stacks)) {
      const groups = resourcesOf(stack, 'aws_security_group');
      for (const rule of ingressRules(stack)) {
        if (!rule.cidrs.some((c) => INTERNET.includes(c))) continue;
        const name = String(groups[rule.group]?.name ?? rule.group);
        expect(`${stackId}/${name}`).toMatch(/-network\/bandup-(dev|prod)-alb$/);
        expect([80, 443]).toContain(rule.from);
        expect(rule.to).toBe(rule.from);
        albRules += 1;
      }
    }
    expect(albRules).toBe(4); // 80 and 443, dev and prod
  });

  it('runs tasks in the network stack tier groups, the ALB in the ALB group', () => {
    for (const env of ['dev', 'prod']) {
      const app = stacks[`bandup-${env}-app`] as Json;
      for (const service of Object.values(resourcesOf(app, 'aws_ecs_service'))) {
        const tier = String(service.name).startsWith('frontend') ? 'frontend' : 'backend';
        expect(service.network_configuration.security_groups).toHaveLength(1);
        expect(service.network_configuration.security_groups[0]).toMatch(
          new RegExp(
            `terraform_remote_state\\.cross-stack-reference-input-bandup-${env}-network\\..*sg-${tier}`,
          ),
        );
      }
      const lb = Object.values(resourcesOf(app, 'aws_lb'))[0] as Json;
      expect(lb.security_groups[0]).toMatch(/bandup-(dev|prod)-network\..*sg-alb/);
      expect(lb.access_logs.bucket).toMatch(new RegExp(`bandup-${env}-data\\..*alb-logs`));
    }
  });

  it('the network stack lets only the ALB reach the frontend, and the ALB and frontend reach the backend', () => {
    for (const env of ['dev', 'prod']) {
      const network = stacks[`bandup-${env}-network`] as Json;
      const groups = resourcesOf(network, 'aws_security_group');
      const idOf = (tier: string) =>
        Object.entries(groups).find(([, g]) => g.name === `bandup-${env}-${tier}`)?.[0];
      const sources = (tier: string) =>
        Object.values(resourcesOf(network, 'aws_vpc_security_group_ingress_rule'))
          .filter((r) => refId(r.security_group_id, 'aws_security_group') === idOf(tier))
          .map((r) => ({
            port: r.from_port,
            from: refId(r.referenced_security_group_id ?? '', 'aws_security_group'),
          }));
      expect(sources('frontend')).toEqual([{ port: 3000, from: idOf('alb') }]);
      expect(sources('backend')).toEqual(
        expect.arrayContaining([
          { port: 8080, from: idOf('alb') },
          { port: 8080, from: idOf('frontend') },
        ]),
      );
      expect(sources('backend')).toHaveLength(2);
    }
  });

  it('wires the backend to the real data and AI stacks', () => {
    const app = stacks['bandup-prod-app'] as Json;
    const backend = Object.values(resourcesOf(app, 'aws_ecs_task_definition')).find(
      (t) => t.family === 'bandup-prod-backend',
    ) as Json;
    const [container] = JSON.parse(backend.container_definitions) as Json[];
    const secrets = (container?.secrets ?? []) as Json[];
    expect(secrets.length).toBeGreaterThan(4);
    for (const s of secrets)
      expect(s.valueFrom).toMatch(
        /terraform_remote_state\.cross-stack-reference-input-bandup-prod-(data|ai)\./,
      );
    const policies = Object.values(resourcesOf(app, 'aws_iam_role_policy')).map(
      (p) => JSON.parse(p.policy) as Json,
    );
    const taskPolicy = policies.find((p) => JSON.stringify(p).includes('execute-api:Invoke')) as Json;
    const invoke = (taskPolicy.Statement as Json[]).find((s) =>
      [s.Action].flat().includes('execute-api:Invoke'),
    );
    expect(invoke?.Resource).toBeDefined();
    for (const arn of [invoke?.Resource].flat()) expect(arn).toMatch(/bandup-prod-ai\./);
  });

  it('the prod backend task takes no master credential: its database login is the rotated app user', () => {
    const app = stacks['bandup-prod-app'] as Json;
    const data = stacks['bandup-prod-data'] as Json;
    const backend = Object.values(resourcesOf(app, 'aws_ecs_task_definition')).find(
      (t) => t.family === 'bandup-prod-backend',
    ) as Json;
    const [container] = JSON.parse(backend.container_definitions) as Json[];
    /** What a remote-state reference stands for in the data stack (its output's expression). */
    const resolve = (valueFrom: string) => {
      const output = /cross-stack-reference-input-bandup-prod-data\.outputs\.([\w-]+)/.exec(valueFrom)?.[1];
      return output ? String(data.output?.[output]?.value) : valueFrom;
    };
    const resolved = ((container?.secrets ?? []) as Json[]).map((s) => ({
      name: s.name,
      source: resolve(s.valueFrom),
    }));
    expect(resolved.length).toBeGreaterThan(4);
    for (const { name, source } of resolved) {
      expect(source, name).not.toMatch(/master_user_secret/);
      expect(source, name).not.toMatch(/aws_db_instance/);
    }
    const appUser = Object.keys(resourcesOf(data, 'aws_secretsmanager_secret')).find((id) =>
      id.startsWith('postgres-app-user'),
    ) as string;
    expect(appUser).toBeDefined();
    for (const env of ['SPRING_DATASOURCE_USERNAME', 'SPRING_DATASOURCE_PASSWORD'])
      expect(resolved.find((r) => r.name === env)?.source).toBe(
        `\${aws_secretsmanager_secret.${appUser}.arn}`,
      );
    // Nor may any environment variable name the master user.
    expect(JSON.stringify(container?.environment)).not.toMatch(/bandup_admin|DB_IAM_USER/);
    // And the task role cannot read the master secret either (the execution role gets only the listed secrets).
    const executionPolicy = Object.values(resourcesOf(app, 'aws_iam_role_policy'))
      .map((p) => p.policy as string)
      .filter((p) => p.includes('secretsmanager:GetSecretValue'));
    for (const policy of executionPolicy) {
      for (const ref of policy.match(/cross-stack-output-[\w.-]+/g) ?? [])
        expect(
          String(data.output?.[ref.replace(/^.*?(cross-stack-output-[\w.-]+)$/, '$1')]?.value),
        ).not.toMatch(/master_user_secret/);
    }
  });
});
