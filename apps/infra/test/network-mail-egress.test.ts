import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { App } from 'cdktf';
import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../src/config/index.js';
import { applyPolicies } from '../src/policies/index.js';
import { NetworkStack } from '../src/stacks/network/network-stack.js';
import {
  configWith,
  devConfig,
  type Json,
  prodConfig,
  refName,
  resourcesOf,
  synthNetwork,
} from './network-fixture.js';

/** The backend's outgoing mail: SMTP submission (587) through NAT, and nothing else new. */
const egressOf = (stack: Json) => Object.values(resourcesOf(stack, 'aws_vpc_security_group_egress_rule'));
const groupIdOf = (stack: Json, tier: string) =>
  Object.entries(resourcesOf(stack, 'aws_security_group')).find(([, g]) => g.name.endsWith(`-${tier}`))?.[0];

/** A network stack with the security Aspects applied, as `buildApp` does; synth throws on a violation. */
function synthWithPolicies(config: EnvironmentConfig, extra?: (stack: NetworkStack) => void): void {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'bandup-net-mail-test-')) });
  const stack = new NetworkStack(app, { config, mode: { kind: 'deploy' } });
  extra?.(stack);
  applyPolicies(app);
  app.synth();
}

describe('backend SMTP submission egress', () => {
  it.each([
    ['dev', devConfig()],
    ['prod', prodConfig()],
  ])('%s: the backend group alone may open TCP 587 to the internet, never 25', (_env, config) => {
    const stack = synthNetwork(config);
    const backend = groupIdOf(stack, 'backend');
    const smtp = egressOf(stack).filter((r) => r.from_port === 587 || r.to_port === 587);
    expect(smtp).toHaveLength(1);
    expect(smtp[0]).toMatchObject({
      ip_protocol: 'tcp',
      from_port: 587,
      to_port: 587,
      cidr_ipv4: '0.0.0.0/0',
    });
    expect(refName(smtp[0]?.security_group_id)).toBe(backend);
    expect(smtp[0]?.description).toMatch(/SMTP submission \(STARTTLS\) to smtp\.gmail\.com/);
    expect(egressOf(stack).filter((r) => r.from_port <= 25 && r.to_port >= 25)).toEqual([]);
  });

  it('narrows to the configured provider ranges, one rule per range', () => {
    const config = configWith((c) => ({
      ...c,
      mail: {
        smtpHost: 'email-smtp.ap-southeast-1.amazonaws.com',
        smtpDestinationCidrs: ['52.74.0.0/16', '13.228.0.0/15'],
      },
    }));
    const smtp = egressOf(synthNetwork(config)).filter((r) => r.from_port === 587);
    expect(smtp.map((r) => r.cidr_ipv4).sort()).toEqual(['13.228.0.0/15', '52.74.0.0/16']);
  });

  it('passes the security Aspect (which does fail the same stack given an internet-open ingress on 587)', () => {
    expect(() => synthWithPolicies(devConfig())).not.toThrow();
    expect(() =>
      synthWithPolicies(devConfig(), (stack) => {
        new VpcSecurityGroupIngressRule(stack, 'bad-smtp-ingress', {
          securityGroupId: stack.securityGroups.backend.id,
          ipProtocol: 'tcp',
          fromPort: 587,
          toPort: 587,
          cidrIpv4: '0.0.0.0/0',
        });
      }),
    ).toThrow(/sg-public-ingress/);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['port 25', { smtpPort: 25 }, /mail\.smtpPort/],
    [
      'a destination that is not a CIDR block',
      { smtpDestinationCidrs: ['smtp.gmail.com'] },
      /mail\.smtpDestinationCidrs\[0\]: "smtp\.gmail\.com" is not an IPv4 CIDR/,
    ],
    ['no destination at all', { smtpDestinationCidrs: [] }, /mail\.smtpDestinationCidrs/],
    ['a host that is not a DNS name', { smtpHost: 'SMTP Gmail' }, /mail\.smtpHost/],
  ])('config refuses %s, naming the field', (_name, mail, field) => {
    expect(() => configWith((c) => ({ ...c, mail: mail as never }))).toThrow(field);
  });
});
