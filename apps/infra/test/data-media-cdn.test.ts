import { beforeAll, describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import { selectEnvironments } from '../src/config/index.js';
import { environmentSchema } from '../src/config/schema.js';
import { type Json, resourcesOf, type SynthesizedApp, synthWholeApp } from './data-fixture.js';

let synth: SynthesizedApp;
const stack = (env: string, name: string): Json => synth.stacks[`bandup-${env}-${name}`] as Json;
const one = (s: Json, type: string): [string, Json] => {
  const entries = Object.entries(resourcesOf(s, type));
  expect(entries, type).toHaveLength(1);
  return entries[0] as [string, Json];
};
const bucketPolicyOf = (s: Json, bucketNamePart: string): Json => {
  const [bucketId] = Object.entries(resourcesOf(s, 'aws_s3_bucket')).find(([, b]) =>
    String(b.bucket).includes(bucketNamePart),
  ) as [string, Json];
  const policy = Object.values(resourcesOf(s, 'aws_s3_bucket_policy')).find(
    (p) => p.bucket === `\${aws_s3_bucket.${bucketId}.id}`,
  ) as Json;
  return JSON.parse(policy.policy) as Json;
};
const corsOf = (s: Json, id: string) =>
  (resourcesOf(s, 'aws_s3_bucket_cors_configuration')[id] as Json).cors_rule[0] as Json;

beforeAll(() => {
  synth = synthWholeApp();
});

describe.each(['dev', 'prod'])('%s media CloudFront distribution', (env) => {
  it('reads the bucket through origin access control and serves only signed URLs from the trusted key group', () => {
    const data = stack(env, 'data');
    const [distId, dist] = one(data, 'aws_cloudfront_distribution');
    const [oacId, oac] = one(data, 'aws_cloudfront_origin_access_control');
    const [groupId, group] = one(data, 'aws_cloudfront_key_group');
    const [keyId, key] = one(data, 'aws_cloudfront_public_key');
    expect(oac).toMatchObject({
      origin_access_control_origin_type: 's3',
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
    });
    expect(dist.origin[0].origin_access_control_id).toBe(
      `\${aws_cloudfront_origin_access_control.${oacId}.id}`,
    );
    expect(dist.origin[0].domain_name).toMatch(/aws_s3_bucket\.media.*bucket_regional_domain_name/);
    expect(dist.origin[0]).not.toHaveProperty('s3_origin_config');
    expect(dist.default_cache_behavior.trusted_key_groups).toEqual([
      `\${aws_cloudfront_key_group.${groupId}.id}`,
    ]);
    expect(dist.default_cache_behavior.viewer_protocol_policy).toBe('redirect-to-https');
    expect(dist.default_cache_behavior.allowed_methods).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(dist.ordered_cache_behavior).toBeUndefined();
    expect(group.items).toEqual([`\${aws_cloudfront_public_key.${keyId}.id}`]);
    const config = selectEnvironments(env)[0];
    expect(key.encoded_key.trim()).toBe(config?.cdn.signingPublicKeyPem.trim());

    // Only this distribution may read, and the data key lets CloudFront decrypt for this account only.
    const read = (bucketPolicyOf(data, 'media').Statement as Json[]).find(
      (s) => s.Principal?.Service === 'cloudfront.amazonaws.com',
    ) as Json;
    expect(read.Action).toBe('s3:GetObject');
    expect(read.Condition.StringEquals['AWS:SourceArn']).toBe(
      `\${aws_cloudfront_distribution.${distId}.arn}`,
    );
    const dataKey = Object.values(resourcesOf(data, 'aws_kms_key')).find((k) =>
      String(k.description).includes('data at rest'),
    ) as Json;
    const kmsCf = (JSON.parse(dataKey.policy).Statement as Json[]).find(
      (s) => s.Principal?.Service === 'cloudfront.amazonaws.com',
    ) as Json;
    expect([kmsCf.Action].flat()).toEqual(['kms:Decrypt']);
    expect(kmsCf.Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:cloudfront::111111111111:distribution/*');
  });

  it('logs every request to the access-log bucket through CloudWatch Logs delivery in us-east-1', () => {
    const data = stack(env, 'data');
    const [distId] = one(data, 'aws_cloudfront_distribution');
    const providers = data.provider.aws as Json[];
    expect(providers.find((p) => p.alias === 'us-east-1')).toMatchObject({ region: 'us-east-1' });
    const [sourceId, source] = one(data, 'aws_cloudwatch_log_delivery_source');
    expect(source).toMatchObject({ log_type: 'ACCESS_LOGS', provider: 'aws.us-east-1' });
    expect(source.resource_arn).toBe(`\${aws_cloudfront_distribution.${distId}.arn}`);
    const [, destination] = one(data, 'aws_cloudwatch_log_delivery_destination');
    expect(destination.delivery_destination_configuration[0].destination_resource_arn).toMatch(
      /aws_s3_bucket\.access-logs/,
    );
    const [, delivery] = one(data, 'aws_cloudwatch_log_delivery');
    expect(delivery.delivery_source_name).toBe(`\${aws_cloudwatch_log_delivery_source.${sourceId}.name}`);
    const logPolicy = bucketPolicyOf(data, 's3-access-logs').Statement as Json[];
    expect(logPolicy.find((s) => s.Sid === 'CloudFrontAccessLogDelivery')?.Principal).toEqual({
      Service: 'delivery.logs.amazonaws.com',
    });
  });

  it('the backend gets CLOUDFRONT_DOMAIN', () => {
    const app = stack(env, 'app');
    const backend = Object.values(resourcesOf(app, 'aws_ecs_task_definition')).find(
      (t) => t.family === `bandup-${env}-backend`,
    ) as Json;
    const [container] = JSON.parse(backend.container_definitions) as Json[];
    const environment = (container?.environment ?? []) as Json[];
    const domain = environment.find((e) => e.name === 'CLOUDFRONT_DOMAIN')?.value;
    if (env === 'prod') expect(domain).toBe('media.bandup.example.com');
    else expect(domain).toMatch(/terraform_remote_state\.cross-stack-reference-input-bandup-dev-data/);
  });
});

describe('custom domain and CORS', () => {
  it('prod: media domain with an ACM certificate in us-east-1, TLS 1.2, alias records; dev: the default certificate', () => {
    const prod = stack('prod', 'data');
    const [, dist] = one(prod, 'aws_cloudfront_distribution');
    expect(dist.aliases).toEqual(['media.bandup.example.com']);
    expect(dist.viewer_certificate).toMatchObject({
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
    const [, cert] = one(prod, 'aws_acm_certificate');
    expect(cert).toMatchObject({
      domain_name: 'media.bandup.example.com',
      validation_method: 'DNS',
      provider: 'aws.us-east-1',
    });
    const aliases = Object.values(resourcesOf(prod, 'aws_route53_record')).filter((r) => r.alias);
    expect(aliases.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    expect(aliases[0]?.alias.zone_id).toBe('Z2FDTNDATAQYW2');
    const [, devDist] = one(stack('dev', 'data'), 'aws_cloudfront_distribution');
    expect(devDist.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(devDist.aliases).toBeUndefined();
  });

  it('uploads and media CORS admit the site, plus localhost in dev only', () => {
    expect(corsOf(stack('dev', 'data'), 'uploads-cors').allowed_origins).toEqual([
      'https://dev.bandup.example.com',
      'http://localhost:3000',
    ]);
    expect(corsOf(stack('prod', 'data'), 'uploads-cors').allowed_origins).toEqual([
      'https://bandup.example.com',
    ]);
    const media = corsOf(stack('prod', 'data'), 'media-cors');
    expect(media.allowed_methods).toEqual(['GET', 'HEAD']);
    expect(media.allowed_origins).toEqual(['https://bandup.example.com']);
  });

  it('config: a bad public key or a plain-http origin in prod fails with the field name', () => {
    const bad = environmentSchema.safeParse({ ...dev, cdn: { signingPublicKeyPem: 'ssh-rsa AAAA' } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues.map((i) => i.path))).toContain('signingPublicKeyPem');
    const prodHttp = environmentSchema.safeParse({
      ...selectEnvironments('prod')[0],
      extraCorsOrigins: ['http://localhost:3000'],
    });
    expect(prodHttp.success).toBe(false);
    expect(prodHttp.error?.issues[0]?.path).toEqual(['extraCorsOrigins', 0]);
  });
});
