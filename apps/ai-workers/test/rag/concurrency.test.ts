import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../src/rag/concurrency.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it('keeps order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await mapWithConcurrency([5, 1, 4, 2, 3, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 60, 70]);
    expect(peak).toBe(3);
  });

  it('stops starting work after a failure and rethrows it once running calls settle', async () => {
    const started: number[] = [];
    let running = 0;
    const error = await mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      running++;
      await tick();
      running--;
      if (n === 1) throw new Error('boom at 1');
      return n;
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom at 1');
    expect(running).toBe(0);
    expect(started).toEqual([0, 1, 2]);
  });

  it('rejects a limit below one', async () => {
    await expect(mapWithConcurrency([1], 0, async (n) => n)).rejects.toThrow('positive integer');
  });
});
