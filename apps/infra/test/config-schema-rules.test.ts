import { describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import { prod } from '../src/config/prod.js';
import { type EnvironmentInput, environmentSchema, windowsOverlap } from '../src/config/schema.js';

/*
 * The environment schema's own rules, each pinned by the field it reports, its message and the zod
 * issue code: tools that read the schema directly (not through loadEnvironment) tell a broken rule
 * ("custom") from a wrong type by that code.
 */

/** Every issue as `<code> <path>: <message>` (the path as loadEnvironment prints it). */
function issues(input: EnvironmentInput): string[] {
  const result = environmentSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[');
    return `${issue.code} ${path}: ${issue.message}`;
  });
}

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
/** A copy of `base` changed by `edit`. */
const edited = (base: EnvironmentInput, edit: (c: Mutable<EnvironmentInput>) => void): EnvironmentInput => {
  const copy = structuredClone(base) as Mutable<EnvironmentInput>;
  edit(copy);
  return copy;
};

const RELEASE_TAG_MESSAGE =
  'must be a release tag (v<major>.<minor>.<patch>, written by `pnpm release`): only release images are kept by the ECR lifecycle';

describe('image tags: only release tags are deployed', () => {
  const withTag = (tag: string) =>
    issues(
      edited(dev, (c) => {
        c.ecs.frontend.imageTag = tag;
      }),
    );

  it('v<major>.<minor>.<patch>, with multi-digit parts and an optional pre-release suffix, is accepted', () => {
    for (const tag of ['v1.2.3', 'v10.20.30', 'v1.2.3-rc.1', 'v1.2.3-rc1', 'v2.0.0-beta-2']) {
      expect(withTag(tag), tag).toEqual([]);
    }
  });

  it('anything around or instead of a release version is rejected with the release-tag rule', () => {
    for (const tag of ['xv1.2.3', 'v1.2.3_build7', '1.2.3', 'v1.2', 'a1b2c3d', 'v1.2.3-', 'release-v1.2.3']) {
      expect(withTag(tag), tag).toEqual([`custom ecs.frontend.imageTag: ${RELEASE_TAG_MESSAGE}`]);
    }
  });

  it('"latest" is named as such (ECR tags are immutable), not only as a non-release tag', () => {
    expect(withTag('latest')).toContain(
      'custom ecs.frontend.imageTag: must not be "latest": ECR tags are immutable, deploy a release tag',
    );
  });
});

describe('Performance Insights retention: 7 days, 731, or a multiple of 31 in between', () => {
  const withRetention = (days: number) =>
    issues(
      edited(dev, (c) => {
        c.database.performanceInsightsRetentionDays = days;
      }),
    );

  it('the values RDS accepts pass', () => {
    for (const days of [7, 31, 62, 713, 731]) expect(withRetention(days), String(days)).toEqual([]);
  });

  it('other values are rejected on the field', () => {
    for (const days of [0, 8, 30, 32, 730, 744]) {
      expect(withRetention(days), String(days)).toEqual([
        'custom database.performanceInsightsRetentionDays: must be 7, 731 or a multiple of 31',
      ]);
    }
  });
});

describe('CloudWatch Logs retention: only the values CloudWatch accepts', () => {
  const withRetention = (days: number) =>
    issues(
      edited(dev, (c) => {
        c.observability.logRetentionDays = days;
      }),
    );

  it('accepted values pass, from one day to ten years', () => {
    for (const days of [1, 14, 90, 365, 731, 3653]) expect(withRetention(days), String(days)).toEqual([]);
  });

  it('values CloudWatch refuses are rejected on the field', () => {
    for (const days of [0, 2, 31, 366, 3650]) {
      const found = withRetention(days);
      expect(found.length, String(days)).toBeGreaterThan(0);
      for (const line of found) expect(line).toMatch(/^invalid_\w+ observability\.logRetentionDays: /);
    }
  });
});

describe('prod CORS origins: https only', () => {
  it('an http origin in prod is reported at its position; https origins pass', () => {
    const mixed = edited(prod, (c) => {
      c.extraCorsOrigins = ['https://admin.bandup.example.com', 'http://admin.bandup.example.com'];
    });
    expect(issues(mixed)).toEqual(['custom extraCorsOrigins[1]: must be https in prod']);
  });

  it('dev may admit a local http frontend', () => {
    expect(issues(dev)).toEqual([]);
  });
});

describe('cross-field rules report a custom issue on the field to fix', () => {
  const oneAz = (c: Mutable<EnvironmentInput>) => {
    c.availabilityZones = ['ap-southeast-1a'];
    c.network.publicSubnetCidrs = ['10.0.0.0/24'];
    c.network.appSubnetCidrs = ['10.0.2.0/24'];
    c.network.dataSubnetCidrs = ['10.0.4.0/24'];
  };

  it('prod in one AZ: the AZ count, active-passive and the cache replica each need a second AZ', () => {
    expect(issues(edited(prod, oneAz))).toEqual([
      'custom availabilityZones: prod needs at least two availability zones',
      'custom ecs.mode: active-passive needs at least two availability zones',
      'custom cache.replicas: replicas (Multi-AZ) need at least two availability zones',
    ]);
  });

  it('availability zones: distinct, and in the region', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.availabilityZones = ['ap-southeast-1a', 'ap-southeast-1a'];
        }),
      ),
    ).toEqual(['custom availabilityZones: availability zones must be distinct']);
    expect(
      issues(
        edited(dev, (c) => {
          c.availabilityZones = ['ap-southeast-1a', 'eu-west-1b'];
        }),
      ),
    ).toEqual([
      'custom availabilityZones[1]: "eu-west-1b" is not an availability zone of region ap-southeast-1',
    ]);
  });

  it('an unparseable CIDR is a custom issue with the parser message', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.network.publicSubnetCidrs = ['10.0.0.0/24', '10.0.1.0/33'];
        }),
      ),
    ).toEqual(['custom network.publicSubnetCidrs[1]: "10.0.1.0/33" has a prefix length above 32']);
  });

  it('subnets: one per AZ per tier, inside the VPC (also when only its end is), /28 or larger, disjoint', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.network.publicSubnetCidrs = ['10.0.0.0/24'];
        }),
      ),
    ).toEqual([
      'custom network.publicSubnetCidrs: needs exactly one subnet per availability zone (2), got 1',
    ]);
    // Below the VPC block: its end lies below the VPC end, its start below the VPC start.
    expect(
      issues(
        edited(dev, (c) => {
          c.network.appSubnetCidrs = ['10.0.2.0/24', '9.255.255.0/24'];
        }),
      ),
    ).toEqual(['custom network.appSubnetCidrs[1]: 9.255.255.0/24 is outside the VPC block 10.0.0.0/16']);
    expect(
      issues(
        edited(dev, (c) => {
          c.network.dataSubnetCidrs = ['10.0.4.0/24', '10.0.5.0/29'];
        }),
      ),
    ).toEqual(['custom network.dataSubnetCidrs[1]: 10.0.5.0/29 is smaller than /28, the AWS minimum']);
    expect(
      issues(
        edited(dev, (c) => {
          c.network.appSubnetCidrs = ['10.0.0.128/25', '10.0.3.0/24'];
        }),
      ),
    ).toEqual([
      'custom network.appSubnetCidrs[0]: 10.0.0.128/25 overlaps 10.0.0.0/24 (network.publicSubnetCidrs.0)',
    ]);
  });

  it('task counts: minCount <= desiredCount <= maxCount, per app', () => {
    expect(
      issues(
        edited(prod, (c) => {
          c.ecs.backend.minCount = 7;
        }),
      ),
    ).toEqual([
      'custom ecs.backend.minCount: must not exceed maxCount',
      'custom ecs.backend.desiredCount: must lie between minCount and maxCount',
    ]);
  });

  it('storage ceiling, and backup window against maintenance window', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.database.maxAllocatedStorageGib = 1;
          c.database.backupWindow = '19:15-19:45';
        }),
      ),
    ).toEqual([
      'custom database.maxAllocatedStorageGib: must be at least allocatedStorageGib (it is the storage autoscaling ceiling)',
      'custom database.backupWindow: must not overlap database.maintenanceWindow',
    ]);
  });

  it('prod hardening: Multi-AZ database, a cache replica, protected stateful resources', () => {
    expect(
      issues(
        edited(prod, (c) => {
          c.database.multiAz = false;
          c.cache.replicas = 0;
          c.protectStatefulResources = false;
        }),
      ),
    ).toEqual([
      'custom database.multiAz: must be true in prod',
      'custom cache.replicas: prod needs at least one replica',
      'custom protectStatefulResources: must be true in prod',
    ]);
  });
});

describe('windowsOverlap: an empty window is a point in time', () => {
  it('an empty weekly window does not cover the rest of the week', () => {
    expect(windowsOverlap('05:00-06:00', 'mon:03:00-mon:03:00')).toBe(false);
  });

  it('an empty daily window does not cover the rest of the day', () => {
    expect(windowsOverlap('03:00-03:00', 'mon:05:00-mon:06:00')).toBe(false);
  });
});
