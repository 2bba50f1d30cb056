import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution/index.js';
import { CloudfrontKeyGroup } from '@cdktf/provider-aws/lib/cloudfront-key-group/index.js';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control/index.js';
import { CloudfrontPublicKey } from '@cdktf/provider-aws/lib/cloudfront-public-key/index.js';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery/index.js';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination/index.js';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { PolicyStatement } from '../security/iam/policy-document.js';

/** AWS managed CloudFront policies (fixed ids, the same in every account). */
const MANAGED_POLICIES = {
  /** CachingOptimized: no cookies or query strings in the key, long TTLs (signed URLs still verified). */
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  /** CORS-S3Origin: forwards Origin and the preflight headers, so the bucket's CORS rules answer. */
  corsS3Origin: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
  /** SecurityHeadersPolicy: HSTS, nosniff, frame options, referrer policy, XSS protection. */
  securityHeaders: '67f7725c-6f97-4210-82d7-5512b31e9d03',
} as const;

/** Route 53 hosted zone id of every CloudFront distribution (alias targets). */
const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

export interface MediaDistributionProps {
  /** `bandup-<env>-media`: names the key group, the OAC and the log delivery. */
  readonly name: string;
  readonly accountId: string;
  readonly bucket: { readonly arn: string; readonly regionalDomainName: string };
  /** PEM of the public key whose private half the backend signs URLs with (config `cdn.signingPublicKeyPem`). */
  readonly signingPublicKeyPem: string;
  /** Optional alias, e.g. `media.bandup.example.com`, with the zone its records go in. */
  readonly customDomain?: { readonly domainName: string; readonly hostedZoneId: string };
  /** A provider in us-east-1: CloudFront's certificates and log delivery sources live there. */
  readonly usEast1: AwsProvider;
  /** Bucket (ARN) that receives the access logs, through CloudWatch Logs delivery. */
  readonly logBucketArn: string;
}

/**
 * CloudFront in front of the private media bucket: origin access control (SigV4, always) so only
 * this distribution reads the bucket, every path restricted to signed URLs from a trusted key group
 * whose public key comes from config, HTTPS only, managed security headers, access logs to the S3
 * access-log bucket, and an optional custom domain with an ACM certificate in us-east-1.
 *
 * No WAF: every request must carry a valid signature, which CloudFront checks at the edge before
 * the origin sees it; the WAF rules that fit a public site (bad inputs, rate limits) would only
 * add cost here.
 */
export class MediaDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly keyGroup: CloudfrontKeyGroup;
  readonly publicKey: CloudfrontPublicKey;
  readonly originAccessControl: CloudfrontOriginAccessControl;
  private readonly customDomainName?: string;

  constructor(scope: Construct, id: string, props: MediaDistributionProps) {
    super(scope, id);
    this.customDomainName = props.customDomain?.domainName;
    if (
      !/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n?$/.test(
        props.signingPublicKeyPem,
      )
    ) {
      throw new Error(
        `${props.name}: the signing public key must be a PEM "PUBLIC KEY" block (openssl rsa -pubout)`,
      );
    }
    this.publicKey = new CloudfrontPublicKey(this, 'public-key', {
      namePrefix: `${props.name}-`,
      comment: `Verifies the backend's signed URLs for ${props.name}`,
      encodedKey: props.signingPublicKeyPem.endsWith('\n')
        ? props.signingPublicKeyPem
        : `${props.signingPublicKeyPem}\n`,
      // A new key is added to the group before the old one leaves it: rotate without a gap.
      lifecycle: { createBeforeDestroy: true },
    });
    this.keyGroup = new CloudfrontKeyGroup(this, 'key-group', {
      name: props.name,
      comment: 'Public keys trusted for signed media URLs',
      items: [this.publicKey.id],
    });
    this.originAccessControl = new CloudfrontOriginAccessControl(this, 'oac', {
      name: props.name,
      description: `Signed requests from CloudFront to the ${props.name} bucket`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    let certificateArn: string | undefined;
    if (props.customDomain) {
      const certificate = new AcmCertificate(this, 'certificate', {
        provider: props.usEast1,
        domainName: props.customDomain.domainName,
        validationMethod: 'DNS',
        lifecycle: { createBeforeDestroy: true },
      });
      const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, 'domain_name');
      const validation = new Route53Record(this, 'certificate-validation-record', {
        forEach: options,
        zoneId: props.customDomain.hostedZoneId,
        name: options.getString('resource_record_name'),
        type: options.getString('resource_record_type'),
        records: [options.getString('resource_record_value')],
        ttl: 300,
        allowOverwrite: true,
      });
      const validated = new AcmCertificateValidation(this, 'certificate-validation', {
        provider: props.usEast1,
        certificateArn: certificate.arn,
        validationRecordFqdns: Token.asList(`\${[for r in ${validation.fqn} : r.fqdn]}`),
      });
      certificateArn = validated.certificateArn;
    }

    const originId = 'media-bucket';
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${props.name}: signed URLs only`,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      // North America, Europe, Asia (incl. Vietnam), Middle East, Africa: the learners' regions.
      priceClass: 'PriceClass_200',
      aliases: props.customDomain ? [props.customDomain.domainName] : undefined,
      origin: [
        {
          originId,
          domainName: props.bucket.regionalDomainName,
          originAccessControlId: this.originAccessControl.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
        compress: true,
        trustedKeyGroups: [this.keyGroup.id],
        cachePolicyId: MANAGED_POLICIES.cachingOptimized,
        originRequestPolicyId: MANAGED_POLICIES.corsS3Origin,
        responseHeadersPolicyId: MANAGED_POLICIES.securityHeaders,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: certificateArn
        ? {
            acmCertificateArn: certificateArn,
            sslSupportMethod: 'sni-only',
            minimumProtocolVersion: 'TLSv1.2_2021',
          }
        : { cloudfrontDefaultCertificate: true },
    });

    if (props.customDomain) {
      for (const type of ['A', 'AAAA']) {
        new Route53Record(this, `alias-${type.toLowerCase()}`, {
          zoneId: props.customDomain.hostedZoneId,
          name: props.customDomain.domainName,
          type,
          alias: {
            name: this.distribution.domainName,
            zoneId: CLOUDFRONT_HOSTED_ZONE_ID,
            evaluateTargetHealth: false,
          },
        });
      }
    }

    // Access logs (standard logging v2): a delivery source in us-east-1, delivered to the log bucket.
    const source = new CloudwatchLogDeliverySource(this, 'log-source', {
      provider: props.usEast1,
      name: `${props.name}-access`,
      logType: 'ACCESS_LOGS',
      resourceArn: this.distribution.arn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'log-destination', {
      provider: props.usEast1,
      name: `${props.name}-access-s3`,
      outputFormat: 'parquet',
      deliveryDestinationConfiguration: [{ destinationResourceArn: props.logBucketArn }],
    });
    new CloudwatchLogDelivery(this, 'log-delivery', {
      provider: props.usEast1,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
    });
  }

  /** The custom domain, or `dxxxx.cloudfront.net`: what the backend puts in signed URLs. */
  get domainName(): string {
    return this.customDomainName ?? this.distribution.domainName;
  }

  /** The bucket policy statement that lets this distribution (and only it) read objects. */
  bucketReadStatement(bucketArn: string): PolicyStatement {
    return {
      sid: 'CloudFrontReadsThroughOriginAccessControl',
      principals: { Service: 'cloudfront.amazonaws.com' },
      actions: ['s3:GetObject'],
      resources: [`${bucketArn}/*`],
      conditions: { StringEquals: { 'AWS:SourceArn': this.distribution.arn } },
    };
  }
}

/** Lets CloudWatch Logs delivery write CloudFront access logs of this account into the log bucket. */
export function cloudFrontLogDeliveryStatement(props: {
  readonly accountId: string;
  readonly logBucketArn: string;
}): PolicyStatement {
  return {
    sid: 'CloudFrontAccessLogDelivery',
    principals: { Service: 'delivery.logs.amazonaws.com' },
    actions: ['s3:PutObject'],
    resources: [`${props.logBucketArn}/AWSLogs/${props.accountId}/CloudFront/*`],
    conditions: {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: { 'aws:SourceArn': `arn:aws:logs:us-east-1:${props.accountId}:delivery-source:*` },
    },
  };
}
