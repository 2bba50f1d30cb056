import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { markInternetFacingLoadBalancerGroup } from '../../policies/internet-ingress.js';
import { POSTGRES_PORT, VALKEY_PORT } from '../data/ports.js';
import { FlatConstruct } from '../flat-construct.js';
import { ANYWHERE_V4 } from './tiered-vpc.js';

const HTTPS = 443;
const HTTP = 80;

export type Tier = 'alb' | 'frontend' | 'backend' | 'database' | 'cache' | 'lambda' | 'endpoints';

/** The security group of every tier. */
export type TierGroups = { readonly [tier in Tier]: SecurityGroup };

const DESCRIPTIONS: { readonly [tier in Tier]: string } = {
  alb: 'Application load balancer: HTTP/HTTPS from the internet',
  frontend: 'Frontend tasks (Next.js)',
  backend: 'Backend tasks (Spring Boot)',
  database: 'PostgreSQL',
  cache: 'Valkey',
  lambda: 'Lambda functions attached to the VPC',
  endpoints: 'Interface VPC endpoints',
};

/** Where a rule's traffic comes from or goes to: another tier's group, or an IPv4 block. */
type Peer = { readonly tier: Tier } | { readonly cidr: string };

export interface TierSecurityGroupsProps {
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly frontendPort: number;
  readonly backendPort: number;
  readonly mail: Pick<EnvironmentConfig['mail'], 'smtpDestinationCidrs' | 'smtpHost' | 'smtpPort'>;
}

/**
 * The security group of every tier and the rules between them, each one port and one peer (the
 * descriptions say why). They live with the network so consumers never form a stack cycle.
 */
export class TierSecurityGroups extends FlatConstruct {
  readonly groups: TierGroups;
  private readonly props: TierSecurityGroupsProps;

  constructor(scope: Construct, id: string, props: TierSecurityGroupsProps) {
    super(scope, id);
    this.props = props;
    const group = (tier: Tier) =>
      new SecurityGroup(this, `sg-${tier}`, {
        name: props.resourceName(tier),
        description: DESCRIPTIONS[tier],
        vpcId: props.vpcId,
        // Replacing a group referenced by ENIs would hang: drop its rules first.
        revokeRulesOnDelete: true,
        tags: { Name: props.resourceName(tier) },
      });
    this.groups = {
      alb: group('alb'),
      frontend: group('frontend'),
      backend: group('backend'),
      database: group('database'),
      cache: group('cache'),
      lambda: group('lambda'),
      endpoints: group('endpoints'),
    };
    markInternetFacingLoadBalancerGroup(this.groups.alb);
    this.allowWebTraffic();
    this.allowDataTraffic();
    this.allowMailSubmission();
  }

  /** Internet -> ALB (80 redirect and 443 only) -> frontend/backend, and their HTTPS egress. */
  private allowWebTraffic(): void {
    const { frontendPort: fe, backendPort: be } = this.props;
    this.ingress('alb', HTTP, 'HTTP from the internet (redirected to HTTPS)', { cidr: ANYWHERE_V4 });
    this.ingress('alb', HTTPS, 'HTTPS from the internet', { cidr: ANYWHERE_V4 });
    this.egress('alb', fe, 'To frontend tasks', { tier: 'frontend' });
    this.egress('alb', be, 'To backend tasks', { tier: 'backend' });

    this.ingress('frontend', fe, 'From the load balancer', { tier: 'alb' });
    this.egress('frontend', be, 'Server-side calls to the backend', { tier: 'backend' });
    this.egress('frontend', HTTPS, 'HTTPS: endpoints, S3 gateway, external APIs through NAT', {
      cidr: ANYWHERE_V4,
    });

    this.ingress('backend', be, 'From the load balancer (traffic and health checks)', { tier: 'alb' });
    this.ingress('backend', be, 'From frontend tasks (server-side calls)', { tier: 'frontend' });
    this.egress('backend', HTTPS, 'HTTPS: endpoints, AI API, external APIs through NAT', {
      cidr: ANYWHERE_V4,
    });
    this.ingress('endpoints', HTTPS, 'HTTPS from inside the VPC', { cidr: this.props.vpcCidr });
  }

  /** PostgreSQL and Valkey admit the backend and the in-VPC functions (rotation, database user) only. */
  private allowDataTraffic(): void {
    this.egress('backend', POSTGRES_PORT, 'To PostgreSQL', { tier: 'database' });
    this.egress('backend', VALKEY_PORT, 'To Valkey', { tier: 'cache' });
    this.ingress('database', POSTGRES_PORT, 'PostgreSQL from backend tasks', { tier: 'backend' });
    this.ingress('cache', VALKEY_PORT, 'Valkey from backend tasks', { tier: 'backend' });
    // In-VPC functions (the rotation functions) reach Valkey, PostgreSQL and AWS APIs only.
    this.ingress('cache', VALKEY_PORT, 'Valkey from VPC Lambda functions', { tier: 'lambda' });
    this.egress('lambda', VALKEY_PORT, 'To Valkey', { tier: 'cache' });
    this.ingress('database', POSTGRES_PORT, 'PostgreSQL from VPC Lambda functions', { tier: 'lambda' });
    this.egress('lambda', POSTGRES_PORT, 'To PostgreSQL', { tier: 'database' });
    this.egress('lambda', HTTPS, 'HTTPS: AWS APIs through endpoints or NAT', { cidr: ANYWHERE_V4 });
  }

  /**
   * Outgoing mail: SMTP submission (STARTTLS, authenticated) to the configured provider through
   * NAT. Only the submission port: never 25, which is unauthenticated relay.
   */
  private allowMailSubmission(): void {
    const { mail } = this.props;
    for (const cidr of mail.smtpDestinationCidrs) {
      new VpcSecurityGroupEgressRule(this, `backend-egress-smtp-to-${cidr.replace(/[./]/g, '-')}`, {
        securityGroupId: this.groups.backend.id,
        description: `SMTP submission (STARTTLS) to ${mail.smtpHost} through NAT`,
        ipProtocol: 'tcp',
        fromPort: mail.smtpPort,
        toPort: mail.smtpPort,
        cidrIpv4: cidr,
      });
    }
  }

  // Logical ids say what a rule does, so adding one never renumbers (and replaces) the others.
  private ingress(to: Tier, port: number, description: string, from: Peer): void {
    new VpcSecurityGroupIngressRule(this, `${to}-ingress-${port}-from-${peerName(from)}`, {
      securityGroupId: this.groups[to].id,
      description,
      ...this.portAndPeer(port, from),
    });
  }

  private egress(from: Tier, port: number, description: string, to: Peer): void {
    new VpcSecurityGroupEgressRule(this, `${from}-egress-${port}-to-${peerName(to)}`, {
      securityGroupId: this.groups[from].id,
      description,
      ...this.portAndPeer(port, to),
    });
  }

  private portAndPeer(port: number, peer: Peer) {
    return {
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      ...('tier' in peer
        ? { referencedSecurityGroupId: this.groups[peer.tier].id }
        : { cidrIpv4: peer.cidr }),
    };
  }
}

function peerName(peer: Peer): string {
  if ('tier' in peer) return peer.tier;
  return peer.cidr === ANYWHERE_V4 ? 'anywhere' : 'vpc';
}
