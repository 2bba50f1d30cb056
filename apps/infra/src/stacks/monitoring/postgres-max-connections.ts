/** Memory (GiB) per instance size of the burstable/general (`t`, `m`) and memory-optimised (`r`) families. */
const GENERAL_GIB: Readonly<Record<string, number>> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  '2xlarge': 32,
  '4xlarge': 64,
  '8xlarge': 128,
  '12xlarge': 192,
  '16xlarge': 256,
};

/** Share of the nominal instance memory counted as `DBInstanceClassMemory`. */
const USABLE_MEMORY_FRACTION = 0.75;

/**
 * RDS PostgreSQL's default `max_connections`: `LEAST(DBInstanceClassMemory / 9531392, 5000)`. The
 * instance memory comes from the class name (no lookup at synth time); an unknown class fails synth
 * naming the field, rather than alarming on a made-up limit. `DBInstanceClassMemory` is what is
 * left after RDS's own reservation (db.t4g.micro reports 81 connections, not the nominal 112), so
 * the estimate counts 75% of the nominal memory: the connections alarm errs early, never late.
 */
export function postgresMaxConnections(instanceClass: string): number {
  const match = /^db\.([tmr])\d+[a-z]*\.([0-9a-z]+)$/.exec(instanceClass);
  const family = match?.[1];
  const perSize = match?.[2] ? GENERAL_GIB[match[2]] : undefined;
  if (!family || perSize === undefined) {
    throw new Error(
      `database.instanceClass "${instanceClass}": unknown memory size, cannot derive max_connections for the connections alarm`,
    );
  }
  const gib = family === 'r' ? perSize * 2 : perSize;
  return Math.min(Math.floor((gib * 1024 ** 3 * USABLE_MEMORY_FRACTION) / 9_531_392), 5000);
}
