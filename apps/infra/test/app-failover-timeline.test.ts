import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentConfig, selectEnvironments } from '../src/config/index.js';
import { failoverAlarmSettings } from '../src/constructs/containers/failover-headroom.js';
import { TARGET_HEALTH_CHECK } from '../src/constructs/containers/https-load-balancer.js';
import { type Json, refId, resourcesOf, synthAppWithUpstreamDouble } from './app-fixture.js';

/**
 * The active-passive failover, simulated second by second over a timeline, with the alarm and step
 * policy settings read from the synthesized prod app stack:
 * - ALB: a target counts in `HealthyHostCount` of its AZ while healthy; a lost AZ reports no data.
 * - CloudWatch: one datapoint per 60 s period, the Minimum over the period; the alarm is in ALARM
 *   when at least `datapoints_to_alarm` of the last `evaluation_periods` datapoints breach (missing
 *   data per `treat_missing_data`).
 * - Application Auto Scaling: while an alarm is in ALARM its step policy runs each period
 *   (`ExactCapacity`, clamped to the scalable target's range).
 * - ECS: a replaced task is out of the healthy count from the failure until the ALB marks it
 *   unhealthy (45 s), then through the new task's grace period and healthy detection (30 s);
 *   a new standby task serves after its grace period and healthy detection.
 */

interface Settings {
  failover: { threshold: number; periods: number; datapoints: number; missing: string; capacity: number };
  recovery: { threshold: number; periods: number; datapoints: number; missing: string; capacity: number };
  standby: { min: number; max: number };
  primary: { min: number; desired: number; max: number };
  graceSeconds: number;
}

const UNHEALTHY_S = TARGET_HEALTH_CHECK.intervalSeconds * TARGET_HEALTH_CHECK.unhealthyThreshold;
const HEALTHY_S = TARGET_HEALTH_CHECK.intervalSeconds * TARGET_HEALTH_CHECK.healthyThreshold;
const MIN = 60;

type Event =
  | { at: number; kind: 'replace-primary-task' }
  | { at: number; kind: 'primary-scales-to'; count: number }
  | { at: number; kind: 'az-lost' }
  | { at: number; kind: 'az-back' };

interface Sample {
  t: number;
  primaryHealthy: number;
  standbyHealthy: number;
  standbyDesired: number;
  failover: string;
  recovery: string;
  primaryDesired: number;
}

function simulate(s: Settings, events: Event[], endSeconds: number) {
  // Each task is a healthy interval [from, until) in its AZ.
  const primary: { from: number; until: number }[] = [];
  const standby: { from: number; until: number }[] = [];
  let primaryDesired = s.primary.desired;
  let standbyDesired = s.standby.min;
  let azUp = true;
  const serveAfter = s.graceSeconds + HEALTHY_S;
  for (let i = 0; i < primaryDesired; i++) primary.push({ from: 0, until: Infinity });
  for (let i = 0; i < standbyDesired; i++) standby.push({ from: 0, until: Infinity });

  const healthy = (tasks: { from: number; until: number }[], t: number) =>
    tasks.filter((x) => x.from <= t && t < x.until).length;
  const live = (tasks: { from: number; until: number }[], t: number) => tasks.filter((x) => t < x.until);
  const datapoints: (number | undefined)[] = [];
  const states = { failover: 'OK', recovery: 'OK' };
  const samples: Sample[] = [];
  const transitions: string[] = [];
  let minuteMin = Infinity;

  const evaluate = (alarm: Settings['failover'], breaches: (v: number) => boolean) => {
    const window = datapoints.slice(-alarm.periods);
    if (window.length < alarm.periods) return 'OK';
    const bad = window.filter((v) => (v === undefined ? alarm.missing === 'breaching' : breaches(v))).length;
    return bad >= alarm.datapoints ? 'ALARM' : 'OK';
  };
  const setStandby = (capacity: number, t: number) => {
    const target = Math.min(s.standby.max, Math.max(s.standby.min, capacity));
    const running = live(standby, t);
    for (let i = running.length; i < target; i++) standby.push({ from: t + serveAfter, until: Infinity });
    // Scale-in stops the newest tasks first (after draining; not counted as capacity once chosen).
    for (let i = running.length; i > target; i--) (running[i - 1] as { until: number }).until = t;
    standbyDesired = target;
  };

  const queue = [...events].sort((a, b) => a.at - b.at);
  for (let t = 0; t <= endSeconds; t++) {
    while (queue[0] && queue[0].at === t) {
      const e = queue.shift() as Event;
      if (e.kind === 'replace-primary-task') {
        const victim = live(primary, t).find((x) => x.from <= t) as { until: number };
        victim.until = t;
        // ECS sees the ALB's verdict after 45 s and starts a replacement, healthy after grace + 30 s.
        primary.push({ from: t + UNHEALTHY_S + serveAfter, until: Infinity });
      } else if (e.kind === 'primary-scales-to') {
        const running = live(primary, t);
        for (let i = running.length; i < e.count; i++)
          primary.push({ from: t + serveAfter, until: Infinity });
        primaryDesired = e.count;
      } else if (e.kind === 'az-lost') {
        azUp = false;
        for (const x of live(primary, t)) x.until = t;
      } else {
        azUp = true;
        // ECS has kept the primary's desired count and places its tasks again.
        for (let i = 0; i < primaryDesired; i++) primary.push({ from: t + serveAfter, until: Infinity });
      }
    }
    minuteMin = Math.min(minuteMin, healthy(primary, t));
    if ((t + 1) % MIN === 0) {
      // A lost AZ has no registered healthy or unhealthy target there: no datapoint at all.
      datapoints.push(azUp ? minuteMin : undefined);
      minuteMin = Infinity;
      const failover = evaluate(s.failover, (v) => v < s.failover.threshold);
      const recovery = evaluate(s.recovery, (v) => v >= s.recovery.threshold);
      for (const [name, state] of [
        ['failover', failover],
        ['recovery', recovery],
      ] as const) {
        if (states[name] !== state) transitions.push(`${Math.round(t / 60)}m ${name} ${state}`);
        states[name] = state;
      }
      if (failover === 'ALARM') setStandby(s.failover.capacity, t);
      if (recovery === 'ALARM') setStandby(s.recovery.capacity, t);
    }
    samples.push({
      t,
      primaryHealthy: healthy(primary, t),
      standbyHealthy: healthy(standby, t),
      standbyDesired,
      failover: states.failover,
      recovery: states.recovery,
      primaryDesired,
    });
  }
  return { samples, transitions };
}

let prod: Json;
let config: EnvironmentConfig;

beforeAll(() => {
  const envs = selectEnvironments(undefined);
  config = envs.find((e) => e.name === 'prod') as EnvironmentConfig;
  prod = synthAppWithUpstreamDouble([config])['bandup-prod-app'] as Json;
});

/** The synthesized alarm, policy and scalable target settings of one app. */
function settingsOf(app: 'frontend' | 'backend'): Settings {
  const alarms = Object.values(resourcesOf(prod, 'aws_cloudwatch_metric_alarm'));
  const alarm = (suffix: string) =>
    alarms.find((a) => a.alarm_name === `bandup-prod-${app}-${suffix}`) as Json;
  const policies = resourcesOf(prod, 'aws_appautoscaling_policy');
  const capacityOf = (a: Json) => {
    const id = (a.alarm_actions as string[])
      .map((x) => refId(x, 'aws_appautoscaling_policy'))
      .find(Boolean) as string;
    return (policies[id] as Json).step_scaling_policy_configuration.step_adjustment[0]
      .scaling_adjustment as number;
  };
  const alarmSettings = (a: Json) => ({
    threshold: a.threshold,
    periods: a.evaluation_periods,
    datapoints: a.datapoints_to_alarm,
    missing: a.treat_missing_data,
    capacity: capacityOf(a),
  });
  const failover = alarm('primary-az-unhealthy');
  const standbyService = Object.entries(resourcesOf(prod, 'aws_ecs_service')).find(
    ([, s]) => s.name === `${app}-standby`,
  );
  const target = Object.values(resourcesOf(prod, 'aws_appautoscaling_target')).find((t) =>
    String(t.resource_id).includes(`aws_ecs_service.${standbyService?.[0]}.name`),
  ) as Json;
  const svc = config.ecs[app];
  expect(failover.period).toBe(60);
  expect(failover.statistic).toBe('Minimum');
  return {
    failover: alarmSettings(failover),
    recovery: alarmSettings(alarm('primary-az-recovered')),
    standby: { min: target.min_capacity, max: target.max_capacity },
    primary: { min: svc.minCount, desired: svc.desiredCount, max: svc.maxCount },
    graceSeconds: svc.healthCheckGracePeriodSeconds,
  };
}

/** The settings before this derivation: threshold = minimum, standby up to the desired count. */
function naive(s: Settings): Settings {
  return {
    ...s,
    failover: { ...s.failover, threshold: s.primary.min, capacity: s.primary.desired },
    standby: { ...s.standby, max: s.primary.desired },
  };
}

describe.each(['backend', 'frontend'] as const)('%s failover timeline (prod settings)', (app) => {
  it('one task replaced: no failover, the standby stays warm', () => {
    const s = settingsOf(app);
    const { samples, transitions } = simulate(
      s,
      [{ at: 10 * MIN + 17, kind: 'replace-primary-task' }],
      40 * MIN,
    );
    // The replacement really dipped below the minimum, for longer than the failover window.
    const dip = samples.filter((x) => x.t > 10 * MIN && x.primaryHealthy < s.primary.min).length;
    expect(dip).toBeGreaterThan(s.failover.periods * 60);
    expect(transitions.filter((x) => x.includes('failover ALARM'))).toEqual([]);
    expect(Math.max(...samples.map((x) => x.standbyDesired))).toBe(s.standby.min);
  });

  it('AZ lost while the primary runs above its minimum, then back: capacity restored, then returned', () => {
    const s = settingsOf(app);
    const scaled = Math.min(s.primary.max, s.primary.min + 2);
    const lostAt = 20 * MIN + 5;
    const backAt = 60 * MIN + 30;
    const { samples, transitions } = simulate(
      s,
      [
        { at: 5 * MIN, kind: 'primary-scales-to', count: scaled },
        { at: lostAt, kind: 'az-lost' },
        { at: backAt, kind: 'az-back' },
      ],
      100 * MIN,
    );
    const at = (t: number) => samples[t] as Sample;
    expect(at(lostAt - 1).primaryHealthy).toBe(scaled);
    // Detected within the window (+1 period for the partial minute) ...
    const alarmAt = samples.find((x) => x.t > lostAt && x.failover === 'ALARM')?.t as number;
    expect(alarmAt - lostAt).toBeLessThanOrEqual((s.failover.periods + 1) * MIN);
    // ... and the standby serves at least what the primary had, once its tasks are healthy.
    const restoredBy = alarmAt + s.graceSeconds + HEALTHY_S + 1;
    for (let t = restoredBy; t < backAt; t++)
      expect(at(t).standbyHealthy, `t=${t}`).toBeGreaterThanOrEqual(scaled);
    // AZ back: the primary heals, the failover alarm clears, the recovery alarm returns the standby to warm.
    const warmAgain = samples.find((x) => x.t > backAt && x.standbyDesired === s.standby.min)?.t as number;
    expect(warmAgain).toBeGreaterThan(backAt + s.recovery.periods * MIN);
    expect(at(warmAgain).primaryHealthy).toBeGreaterThanOrEqual(scaled);
    // At no moment after the first failover did total serving capacity fall below the minimum for long.
    expect(transitions.filter((x) => x.includes('failover ALARM'))).toHaveLength(1);
    expect(at(100 * MIN).failover).toBe('OK');
    expect(at(100 * MIN).standbyDesired).toBe(s.standby.min);
  });

  it('the simulation catches the naive settings (threshold = minimum, standby up to the desired count)', () => {
    const s = naive(settingsOf(app));
    const replaced = simulate(s, [{ at: 10 * MIN + 17, kind: 'replace-primary-task' }], 40 * MIN);
    expect(replaced.transitions.some((x) => x.includes('failover ALARM'))).toBe(true);
    const scaled = Math.min(s.primary.max, s.primary.min + 2);
    const lost = simulate(
      s,
      [
        { at: 5 * MIN, kind: 'primary-scales-to', count: scaled },
        { at: 20 * MIN, kind: 'az-lost' },
      ],
      40 * MIN,
    );
    expect(Math.max(...lost.samples.map((x) => x.standbyHealthy))).toBeLessThan(scaled);
  });
});

describe('a one-task primary tolerates a replacement by waiting it out', () => {
  it('derives a window longer than the dip and the simulation confirms no failover, yet an AZ loss fails over', () => {
    const graceSeconds = 120;
    const derived = failoverAlarmSettings(1, {
      unhealthySeconds: UNHEALTHY_S,
      graceSeconds,
      healthySeconds: HEALTHY_S,
    });
    expect(derived.threshold).toBe(1);
    const s: Settings = {
      failover: {
        threshold: 1,
        periods: derived.evaluationPeriods,
        datapoints: derived.evaluationPeriods,
        missing: 'breaching',
        capacity: 3,
      },
      recovery: { threshold: 1, periods: 10, datapoints: 10, missing: 'notBreaching', capacity: 0 },
      standby: { min: 0, max: 3 },
      primary: { min: 1, desired: 1, max: 3 },
      graceSeconds,
    };
    for (const offset of [0, 17, 59]) {
      const { transitions } = simulate(
        s,
        [{ at: 10 * MIN + offset, kind: 'replace-primary-task' }],
        30 * MIN,
      );
      expect(
        transitions.filter((x) => x.includes('failover')),
        `offset ${offset}`,
      ).toEqual([]);
    }
    const lost = simulate(s, [{ at: 10 * MIN, kind: 'az-lost' }], 30 * MIN);
    expect(lost.transitions).toContain(`${10 + derived.evaluationPeriods}m failover ALARM`);
    // One period shorter would fail over on a replacement.
    const shorter = {
      ...s,
      failover: {
        ...s.failover,
        periods: derived.evaluationPeriods - 1,
        datapoints: derived.evaluationPeriods - 1,
      },
    };
    const flapped = [0, 17, 59].some((offset) =>
      simulate(shorter, [{ at: 10 * MIN + offset, kind: 'replace-primary-task' }], 30 * MIN).transitions.some(
        (x) => x.includes('failover ALARM'),
      ),
    );
    expect(flapped).toBe(true);
  });
});
