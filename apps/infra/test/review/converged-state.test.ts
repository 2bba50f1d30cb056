import { describe, expect, it } from 'vitest';
import { stateFromPlan } from '../../src/review/converged-state.js';
import type { ResourceSchemas } from '../../src/review/provider-schema.js';
import { change, plan } from './plan-builders.js';

/** A slice of the AWS provider schema, in the compact form provider-schema.ts keeps. */
const schemas: ResourceSchemas = {
  aws_vpc: {
    version: 1,
    block: {
      attributes: {
        id: { type: 'string' },
        arn: { type: 'string' },
        cidr_block: { type: 'string' },
        tags: { type: ['map', 'string'] },
      },
    },
  },
  aws_subnet: {
    version: 1,
    block: {
      attributes: {
        id: { type: 'string' },
        vpc_id: { type: 'string' },
        cidr_block: { type: 'string' },
        ipv6_cidr_block_association_id: { type: 'string' },
      },
    },
  },
  aws_db_instance: {
    version: 2,
    block: {
      attributes: {
        id: { type: 'string' },
        identifier: { type: 'string' },
        port: { type: 'number' },
        multi_az: { type: 'bool' },
        vpc_security_group_ids: { type: ['set', 'string'] },
        master_user_secret: {
          type: ['list', ['object', { kms_key_id: 'string', secret_arn: 'string', secret_status: 'string' }]],
        },
      },
      block_types: {
        timeouts: { nesting_mode: 'single', block: { attributes: { create: { type: 'string' } } } },
      },
    },
  },
};

const config = {
  resource: {
    aws_vpc: { vpc: { cidr_block: '10.0.0.0/16' } },
    aws_subnet: { a: { vpc_id: '${aws_vpc.vpc.id}', cidr_block: '10.0.0.0/24' } },
    aws_db_instance: { db: { identifier: 'bandup-prod-postgres' } },
  },
  output: {
    vpc_id: { value: '${aws_vpc.vpc.id}' },
    subnet_ids: { value: ['${aws_subnet.a.id}'] },
    secret: { value: '${aws_db_instance.db.master_user_secret[0].secret_arn}', sensitive: true },
  },
};
const ctx = { schemas, accountId: '111111111111', region: 'ap-southeast-1', config };

const greenfield = plan([
  change(
    'aws_vpc.vpc',
    ['create'],
    null,
    { cidr_block: '10.0.0.0/16', tags: null },
    { after_unknown: { id: true, arn: true } },
  ),
  change(
    'aws_subnet.a',
    ['create'],
    null,
    { cidr_block: '10.0.0.0/24' },
    { after_unknown: { id: true, vpc_id: true, ipv6_cidr_block_association_id: true } },
  ),
  change(
    'aws_db_instance.db',
    ['create'],
    null,
    {
      identifier: 'bandup-prod-postgres',
      port: 5432,
      multi_az: true,
      vpc_security_group_ids: ['sg-1'],
      timeouts: null,
    },
    { after_unknown: { id: true, master_user_secret: true } },
  ),
]);

describe('stateFromPlan', () => {
  const state = stateFromPlan(greenfield, ctx);
  const attributes = (type: string) => state.resources.find((r) => r.type === type)?.instances[0]?.attributes;

  it('writes a version 4 state with each resource at its schema version and every schema attribute', () => {
    expect(state).toMatchObject({ version: 4, serial: 1 });
    expect(state.resources.map((r) => [r.type, r.name, r.provider, r.instances[0]?.schema_version])).toEqual([
      ['aws_db_instance', 'db', 'provider["registry.terraform.io/hashicorp/aws"]', 2],
      ['aws_subnet', 'a', 'provider["registry.terraform.io/hashicorp/aws"]', 1],
      ['aws_vpc', 'vpc', 'provider["registry.terraform.io/hashicorp/aws"]', 1],
    ]);
    expect(Object.keys(attributes('aws_db_instance')).sort()).toEqual(
      [
        'id',
        'identifier',
        'master_user_secret',
        'multi_az',
        'port',
        'timeouts',
        'vpc_security_group_ids',
      ].sort(),
    );
  });

  it('keeps known values and synthesizes unknown ones by type: EC2-style ids, ARNs, one-element lists', () => {
    expect(attributes('aws_vpc').id).toMatch(/^vpc-0[0-9a-f]{16}$/);
    expect(attributes('aws_vpc').arn).toMatch(/^arn:aws:ec2:ap-southeast-1:111111111111:vpc\//);
    expect(attributes('aws_db_instance')).toMatchObject({
      identifier: 'bandup-prod-postgres',
      port: 5432,
      multi_az: true,
      timeouts: null,
    });
    const [secret, ...more] = attributes('aws_db_instance').master_user_secret;
    expect(more).toEqual([]);
    expect(Object.keys(secret).sort()).toEqual(['kms_key_id', 'secret_arn', 'secret_status']);
    expect(secret.secret_arn).toMatch(/^arn:aws:[a-z]+:ap-southeast-1:111111111111:/);
    // Not an identifier: stays null (providers validate some computed strings against others).
    expect(secret.secret_status).toBeNull();
  });

  it('computes an unknown attribute configured as a reference from the referenced value', () => {
    expect(attributes('aws_subnet').vpc_id).toBe(attributes('aws_vpc').id);
  });

  it('writes outputs from the resources, keeping lists and sensitivity', () => {
    expect(state.outputs.vpc_id).toEqual({ value: attributes('aws_vpc').id, type: 'string' });
    expect(state.outputs.subnet_ids).toEqual({
      value: [attributes('aws_subnet').id],
      type: ['tuple', ['string']],
    });
    expect(state.outputs.secret).toEqual({
      value: attributes('aws_db_instance').master_user_secret[0].secret_arn,
      type: 'string',
      sensitive: true,
    });
  });

  it('merging a re-plan keeps prior values for what is still unknown and takes the plan for the rest', () => {
    const replan = plan([
      change(
        'aws_db_instance.db',
        ['update'],
        null,
        {
          identifier: 'bandup-prod-postgres',
          port: 5433,
          multi_az: true,
          vpc_security_group_ids: ['sg-1'],
          timeouts: null,
        },
        { after_unknown: { id: true } },
      ),
      change('aws_subnet.a', ['delete'], { id: 'x' }, null),
    ]);
    const next = stateFromPlan(replan, ctx, state);
    expect(next.serial).toBe(2);
    expect(next.lineage).toBe(state.lineage);
    const db = next.resources.find((r) => r.type === 'aws_db_instance')?.instances[0]?.attributes;
    expect(db.port).toBe(5433);
    expect(db.id).toBe(attributes('aws_db_instance').id);
    expect(next.resources.map((r) => r.type)).toEqual(['aws_db_instance', 'aws_vpc']);
  });

  it('gives every computed string the configuration refers to a value in its AWS shape (arn_suffix)', () => {
    const lbSchemas: ResourceSchemas = {
      aws_lb: {
        version: 0,
        block: {
          attributes: {
            name: { type: 'string' },
            arn: { type: 'string' },
            arn_suffix: { type: 'string' },
            zone_id: { type: 'string' },
            ip_address_type: { type: 'string' },
          },
        },
      },
    };
    const lbConfig = {
      resource: { aws_lb: { alb: { name: 'bandup-prod-alb' } } },
      // A consumer stack builds CloudWatch dimensions from it (a null would fail its plan).
      output: { alb_suffix: { value: '${aws_lb.alb.arn_suffix}' } },
    };
    const lbState = stateFromPlan(
      plan([
        change(
          'aws_lb.alb',
          ['create'],
          null,
          { name: 'bandup-prod-alb' },
          { after_unknown: { arn: true, arn_suffix: true, ip_address_type: true } },
        ),
      ]),
      { ...ctx, schemas: lbSchemas, config: lbConfig },
    );
    const lb = lbState.resources[0]?.instances[0]?.attributes;
    expect(lb.arn).toMatch(
      /^arn:aws:elasticloadbalancing:ap-southeast-1:111111111111:loadbalancer\/app\/bandup-prod-alb\/[0-9a-f]{16}$/,
    );
    expect(lb.arn_suffix).toBe(lb.arn.split(':loadbalancer/')[1]);
    expect(lbState.outputs.alb_suffix?.value).toBe(lb.arn_suffix);
    // Neither identifying nor referred to: stays null.
    expect(lb.ip_address_type).toBeNull();
  });

  it('fails naming the resource when the provider schema has no such type', () => {
    expect(() => stateFromPlan(plan([change('aws_unknown_thing.x', ['create'], null, {})]), ctx)).toThrow(
      'aws_unknown_thing.x: no schema for aws_unknown_thing in the provider schema',
    );
  });
});

describe('sensitive marks', () => {
  it("writes the plan's sensitive paths into the state, so a re-plan sees the same marks", () => {
    const p = plan([
      change(
        'aws_db_instance.db',
        ['create'],
        null,
        { identifier: 'x', master_user_secret: [{ secret_arn: 'a' }] },
        { after_unknown: { id: true } },
      ),
    ]);
    const withMarks = {
      ...p,
      resource_changes: p.resource_changes?.map((rc) => ({
        ...rc,
        change: {
          ...rc.change,
          after_sensitive: {
            identifier: false,
            master_user_secret: [{ secret_arn: true }],
            vpc_security_group_ids: true,
          },
        },
      })),
    };
    const state = stateFromPlan(withMarks, ctx);
    expect(state.resources[0]?.instances[0]?.sensitive_attributes).toEqual([
      [
        { type: 'get_attr', value: 'master_user_secret' },
        { type: 'index', value: { value: 0, type: 'number' } },
        { type: 'get_attr', value: 'secret_arn' },
      ],
      [{ type: 'get_attr', value: 'vpc_security_group_ids' }],
    ]);
  });
});
