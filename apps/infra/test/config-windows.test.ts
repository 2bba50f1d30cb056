import { describe, expect, it } from 'vitest';
import { contains, overlaps, parseCidr } from '../src/config/cidr.js';
import { dev } from '../src/config/dev.js';
import { ConfigError, type EnvironmentInput, loadEnvironment } from '../src/config/index.js';
import { prod } from '../src/config/prod.js';
import { windowsOverlap } from '../src/config/schema.js';

/*
 * Config rules that AWS would otherwise reject at apply time (or, worse, accept): maintenance and
 * backup windows, task counts, subnet sizes, prod hardening. Each rule names the field it reports.
 */

function issues(input: EnvironmentInput): string[] {
  try {
    loadEnvironment(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
/** A copy of `base` changed by `edit`. */
const edited = (base: EnvironmentInput, edit: (c: Mutable<EnvironmentInput>) => void): EnvironmentInput => {
  const copy = structuredClone(base) as Mutable<EnvironmentInput>;
  edit(copy);
  return copy;
};

describe('windowsOverlap: a daily backup window against a weekly maintenance window', () => {
  it('windows on different hours do not overlap', () => {
    expect(windowsOverlap('03:00-04:00', 'sun:05:00-sun:06:00')).toBe(false);
    expect(windowsOverlap('18:00-18:30', 'sun:19:00-sun:19:30')).toBe(false);
  });

  it('the daily window overlaps the weekly one on its day, whatever the day', () => {
    expect(windowsOverlap('03:00-04:00', 'mon:03:30-mon:04:30')).toBe(true);
    expect(windowsOverlap('03:00-04:00', 'thu:02:30-thu:03:01')).toBe(true);
    expect(windowsOverlap('03:00-04:00', 'sun:03:59-sun:05:00')).toBe(true);
  });

  it('a weekly window inside the daily one, and a daily window inside the weekly one, overlap', () => {
    expect(windowsOverlap('03:00-04:00', 'wed:03:10-wed:03:20')).toBe(true);
    expect(windowsOverlap('03:10-03:20', 'wed:03:00-wed:04:00')).toBe(true);
  });

  it('windows that only touch (one ends when the other starts) do not overlap', () => {
    expect(windowsOverlap('03:00-04:00', 'tue:04:00-tue:05:00')).toBe(false);
    expect(windowsOverlap('03:00-04:00', 'tue:02:00-tue:03:00')).toBe(false);
  });

  it('a daily window across midnight overlaps a weekly window just after midnight', () => {
    expect(windowsOverlap('23:30-00:30', 'wed:00:00-wed:00:15')).toBe(true);
    expect(windowsOverlap('23:30-00:30', 'wed:22:00-wed:23:00')).toBe(false);
  });

  it('a weekly window across the end of the week (Sunday to Monday) is seen on both sides', () => {
    expect(windowsOverlap('00:00-00:20', 'sun:23:50-mon:00:10')).toBe(true);
    expect(windowsOverlap('23:55-23:58', 'sun:23:50-mon:00:10')).toBe(true);
    expect(windowsOverlap('01:00-02:00', 'sun:23:50-mon:00:10')).toBe(false);
  });

  it('a weekly window on Sunday late evening meets a daily window at the same time', () => {
    expect(windowsOverlap('22:00-23:00', 'sun:22:30-sun:23:30')).toBe(true);
    expect(windowsOverlap('22:00-23:00', 'sat:23:30-sun:00:30')).toBe(false);
  });

  it('a weekly window spanning several days overlaps any daily window', () => {
    expect(windowsOverlap('12:00-12:30', 'mon:00:00-wed:00:00')).toBe(true);
  });
});

describe('database windows in the config', () => {
  it('a backup window overlapping the maintenance window is reported on database.backupWindow', () => {
    const clash = edited(dev, (c) => {
      c.database.backupWindow = '19:15-19:45';
    });
    expect(issues(clash)).toEqual(['database.backupWindow: must not overlap database.maintenanceWindow']);
  });

  it('the storage autoscaling ceiling may equal the allocated storage but not be below it', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.database.maxAllocatedStorageGib = c.database.allocatedStorageGib;
        }),
      ),
    ).toEqual([]);
    expect(
      issues(
        edited(dev, (c) => {
          c.database.maxAllocatedStorageGib = c.database.allocatedStorageGib - 1;
        }),
      ),
    ).toEqual([
      'database.maxAllocatedStorageGib: must be at least allocatedStorageGib (it is the storage autoscaling ceiling)',
    ]);
  });
});

describe('ECS task counts', () => {
  it('desired count above maxCount is rejected, naming the app', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.ecs.backend.desiredCount = 3;
        }),
      ),
    ).toEqual(['ecs.backend.desiredCount: must lie between minCount and maxCount']);
  });

  it('desired count below minCount is rejected', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.ecs.frontend.minCount = 2;
          c.ecs.frontend.maxCount = 4;
          c.ecs.frontend.desiredCount = 1;
        }),
      ),
    ).toEqual(['ecs.frontend.desiredCount: must lie between minCount and maxCount']);
  });

  it('desired count equal to minCount or maxCount is fine', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.ecs.backend.desiredCount = c.ecs.backend.maxCount;
        }),
      ),
    ).toEqual([]);
    expect(
      issues(
        edited(dev, (c) => {
          c.ecs.backend.desiredCount = c.ecs.backend.minCount;
        }),
      ),
    ).toEqual([]);
  });

  it('minCount above maxCount is rejected; equal is fine', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.ecs.frontend.minCount = 3;
          c.ecs.frontend.desiredCount = 3;
        }),
      ),
    ).toContainEqual('ecs.frontend.minCount: must not exceed maxCount');
    expect(
      issues(
        edited(dev, (c) => {
          c.ecs.frontend.minCount = 2;
          c.ecs.frontend.desiredCount = 2;
        }),
      ),
    ).toEqual([]);
  });
});

describe('subnets', () => {
  const withSubnets = (tier: 'publicSubnetCidrs' | 'appSubnetCidrs' | 'dataSubnetCidrs', cidrs: string[]) =>
    edited(dev, (c) => {
      c.network[tier] = cidrs;
    });

  it('a subnet smaller than /28 is rejected with its position; /28 itself is the AWS minimum and fine', () => {
    expect(issues(withSubnets('dataSubnetCidrs', ['10.0.4.0/28', '10.0.5.0/29']))).toEqual([
      'network.dataSubnetCidrs[1]: 10.0.5.0/29 is smaller than /28, the AWS minimum',
    ]);
    expect(issues(withSubnets('dataSubnetCidrs', ['10.0.4.0/28', '10.0.5.0/28']))).toEqual([]);
  });

  it('one subnet per availability zone per tier, counted', () => {
    expect(issues(withSubnets('appSubnetCidrs', ['10.0.2.0/24']))).toEqual([
      'network.appSubnetCidrs: needs exactly one subnet per availability zone (2), got 1',
    ]);
  });

  it('an overlap names both subnets; adjacent subnets do not overlap', () => {
    expect(issues(withSubnets('appSubnetCidrs', ['10.0.1.128/25', '10.0.3.0/24']))).toEqual([
      'network.appSubnetCidrs[0]: 10.0.1.128/25 overlaps 10.0.1.0/24 (network.publicSubnetCidrs.1)',
    ]);
    expect(issues(withSubnets('appSubnetCidrs', ['10.0.2.0/25', '10.0.2.128/25']))).toEqual([]);
  });

  it('an unparseable VPC block is reported once, on the VPC, not again for every subnet', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.network.vpcCidr = '10.0.0.0';
        }),
      ),
    ).toEqual(['network.vpcCidr: "10.0.0.0" is not an IPv4 CIDR block (a.b.c.d/n)']);
  });

  it('an unparseable subnet is reported once, on the subnet', () => {
    expect(issues(withSubnets('appSubnetCidrs', ['10.0.2.0/24', '10.0.3.999/24']))).toEqual([
      'network.appSubnetCidrs[1]: "10.0.3.999/24" has an octet above 255',
    ]);
  });
});

describe('CIDR arithmetic', () => {
  it('parses a block into its first and last address', () => {
    expect(parseCidr('10.0.1.0/24')).toEqual({
      cidr: '10.0.1.0/24',
      start: 167772416,
      end: 167772671,
      prefix: 24,
    });
    expect(parseCidr('0.0.0.0/0')).toEqual({ cidr: '0.0.0.0/0', start: 0, end: 2 ** 32 - 1, prefix: 0 });
    expect(parseCidr('255.255.255.255/32')).toMatchObject({ start: 2 ** 32 - 1, end: 2 ** 32 - 1 });
  });

  it('rejects, with a reason: not a CIDR, an octet above 255, a prefix above 32, host bits set', () => {
    expect(parseCidr('10.0.0.0/24 ')).toBe('"10.0.0.0/24 " is not an IPv4 CIDR block (a.b.c.d/n)');
    expect(parseCidr(' 10.0.0.0/24')).toBe('" 10.0.0.0/24" is not an IPv4 CIDR block (a.b.c.d/n)');
    expect(parseCidr('10.0.256.0/24')).toBe('"10.0.256.0/24" has an octet above 255');
    expect(parseCidr('10.0.255.0/24')).toMatchObject({ prefix: 24 });
    expect(parseCidr('10.0.0.0/33')).toBe('"10.0.0.0/33" has a prefix length above 32');
    expect(parseCidr('10.0.0.1/31')).toBe(
      '"10.0.0.1/31" has host bits set (the network address is not aligned to /31)',
    );
  });

  it('containment and overlap are inclusive of the first and last address', () => {
    const block = (c: string) => parseCidr(c) as Exclude<ReturnType<typeof parseCidr>, string>;
    expect(contains(block('10.0.0.0/16'), block('10.0.255.0/24'))).toBe(true);
    expect(contains(block('10.0.0.0/16'), block('10.0.0.0/16'))).toBe(true);
    expect(contains(block('10.0.0.0/16'), block('10.1.0.0/24'))).toBe(false);
    expect(contains(block('10.0.1.0/24'), block('10.0.0.0/16'))).toBe(false);
    expect(overlaps(block('10.0.0.0/24'), block('10.0.0.255/32'))).toBe(true);
    expect(overlaps(block('10.0.0.255/32'), block('10.0.0.0/24'))).toBe(true);
    expect(overlaps(block('10.0.0.0/24'), block('10.0.1.0/24'))).toBe(false);
    expect(overlaps(block('10.0.1.0/24'), block('10.0.0.0/24'))).toBe(false);
  });
});

describe('availability zones and Multi-AZ features', () => {
  it('duplicated availability zones are rejected', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.availabilityZones = ['ap-southeast-1a', 'ap-southeast-1a'];
        }),
      ),
    ).toContainEqual('availabilityZones: availability zones must be distinct');
  });

  it('an availability zone of another region is rejected with its position', () => {
    expect(
      issues(
        edited(dev, (c) => {
          c.availabilityZones = ['ap-southeast-1a', 'ap-southeast-2b'];
        }),
      ),
    ).toContainEqual(
      'availabilityZones[1]: "ap-southeast-2b" is not an availability zone of region ap-southeast-1',
    );
  });

  it('every environment, cache replicas and active-passive need two availability zones', () => {
    const oneAz = edited(dev, (c) => {
      c.availabilityZones = ['ap-southeast-1a'];
      c.network.publicSubnetCidrs = ['10.0.0.0/24'];
      c.network.appSubnetCidrs = ['10.0.2.0/24'];
      c.network.dataSubnetCidrs = ['10.0.4.0/24'];
    });
    // Any environment needs two: the database and cache subnet groups and the ALB span two AZs.
    const twoAzs =
      'availabilityZones: needs at least two availability zones (the database and cache subnet groups and the load balancer span two)';
    expect(issues(oneAz)).toEqual([twoAzs]);
    expect(
      issues(
        edited(oneAz, (c) => {
          c.cache.replicas = 1;
        }),
      ),
    ).toEqual([twoAzs, 'cache.replicas: replicas (Multi-AZ) need at least two availability zones']);
    expect(
      issues(
        edited(oneAz, (c) => {
          c.ecs.mode = 'active-passive';
        }),
      ),
    ).toEqual([twoAzs, 'ecs.mode: active-passive needs at least two availability zones']);
  });
});

describe('prod hardening', () => {
  it('prod needs Multi-AZ database, a cache replica and protected stateful resources', () => {
    const soft = edited(prod, (c) => {
      c.database.multiAz = false;
      c.cache.replicas = 0;
      c.protectStatefulResources = false;
    });
    expect(issues(soft)).toEqual([
      'database.multiAz: must be true in prod',
      'cache.replicas: prod needs at least one replica',
      'protectStatefulResources: must be true in prod',
    ]);
  });

  it('the same settings are allowed outside prod', () => {
    const soft = edited(dev, (c) => {
      c.database.multiAz = false;
      c.cache.replicas = 0;
      c.protectStatefulResources = false;
    });
    expect(issues(soft)).toEqual([]);
  });
});

describe('ConfigError', () => {
  it('names the environment and lists every field with its rule', () => {
    const bad = edited(dev, (c) => {
      c.ecs.backend.desiredCount = 3;
      c.network.dataSubnetCidrs = ['10.0.4.0/24', '10.0.5.0/29'];
    });
    expect(() => loadEnvironment(bad)).toThrow(
      'Invalid configuration for environment "dev":\n' +
        '  - network.dataSubnetCidrs[1]: 10.0.5.0/29 is smaller than /28, the AWS minimum\n' +
        '  - ecs.backend.desiredCount: must lie between minCount and maxCount',
    );
    try {
      loadEnvironment(bad);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).name).toBe('ConfigError');
      expect((error as ConfigError).environment).toBe('dev');
    }
  });

  it('an input without a name is labelled (unnamed); a problem with the whole input is at (root)', () => {
    try {
      loadEnvironment(undefined as unknown as EnvironmentInput);
      expect.unreachable('undefined is not a config');
    } catch (error) {
      expect((error as ConfigError).environment).toBe('(unnamed)');
      expect((error as ConfigError).issues[0]?.path).toBe('(root)');
    }
  });
});

describe('windowsOverlap reads every weekday name', () => {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  it.each(days.map((day, i) => [day, days[(i + 1) % 7]]))(
    'an hour across midnight from %s to %s misses a daily window at 03:00 and meets one at 00:00',
    (from, to) => {
      expect(windowsOverlap('03:00-04:00', `${from}:23:30-${to}:00:30`)).toBe(false);
      expect(windowsOverlap('00:00-00:15', `${from}:23:30-${to}:00:30`)).toBe(true);
    },
  );
});
