import { beforeAll, describe, expect, it } from 'vitest';
import { selectEnvironments } from '../src/config/index.js';
import {
  concurrencyNeeds,
  concurrencyProblems,
  DEFAULT_ACCOUNT_QUOTA,
  UNRESERVED_MINIMUM,
} from '../src/preflight/lambda-concurrency.js';
import { type SynthesizedApp, synthWholeApp } from './data-fixture.js';

let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthWholeApp();
});
const placement = (id: string) => {
  const env = selectEnvironments(undefined).find((e) => id.startsWith(`bandup-${e.name}-`));
  return env ? { account: env.accountId, region: env.region } : undefined;
};

describe('Lambda concurrency pre-flight', () => {
  it('every function of every environment has a concurrency limit; both environments share one pool', () => {
    const needs = concurrencyNeeds(synth.stacks, placement);
    // dev and prod deploy to the same account and Region by default: one pool.
    expect(needs).toHaveLength(1);
    const [need] = needs;
    expect(need?.unlimited).toEqual([]);
    const names = need?.functions.map((f) => f.name) ?? [];
    for (const env of ['dev', 'prod'])
      for (const fn of ['postgres-app-user', 'cache-password-rotation', 'backend-restart'])
        expect(names).toContain(`bandup-${env}-${fn}`);
    expect(need?.reserved).toBe(need?.functions.reduce((s, f) => s + f.reserved, 0));
    expect(need?.requiredQuota).toBe((need?.reserved ?? 0) + UNRESERVED_MINIMUM);
    // Fits the default quota, not the low quota new accounts often start with.
    expect(concurrencyProblems(need as NonNullable<typeof need>, DEFAULT_ACCOUNT_QUOTA)).toEqual([]);
    const low = concurrencyProblems(need as NonNullable<typeof need>, (need?.requiredQuota ?? 0) - 1);
    expect(low).toHaveLength(1);
    expect(low[0]).toMatch(/quota \d+ is below the \d+ needed/);
  });

  it('names functions without a limit and stacks without a placement', () => {
    const stacks = {
      'bandup-dev-x': { resource: { aws_lambda_function: { f: { function_name: 'free' } } } },
    };
    const [need] = concurrencyNeeds(stacks, () => ({ account: '1', region: 'r' }));
    expect(concurrencyProblems(need as NonNullable<typeof need>, 1000)).toEqual([
      'Functions without reserved concurrency: bandup-dev-x:free',
    ]);
    expect(() => concurrencyNeeds(stacks, () => undefined)).toThrow(
      'no account/Region known for stack bandup-dev-x',
    );
  });
});
