import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StackInput } from './classify-stack.js';
import { parsePlanLog } from './plan-diagnostics.js';
import { parsePlanDocument } from './plan-json.js';

const PLAN_LOG_SUFFIX = '.plan-log.jsonl';

/**
 * Reads the review's inputs: `<stack>.json` plan files (`terraform show -json`) given one by one,
 * or directories holding them and, for failed plans, `<stack>.plan-log.jsonl` (`terraform plan
 * -json`). The stack is the file name. Anything unreadable fails naming the file.
 */
export function readStackInputs(paths: readonly string[]): StackInput[] {
  if (paths.length === 0) throw new Error('no plan given: pass <plan.json ...> or a directory of them');
  const plans = new Map<string, string>();
  const logs = new Map<string, string>();
  const add = (file: string) => {
    const base = path.basename(file);
    if (base.endsWith(PLAN_LOG_SUFFIX)) logs.set(base.slice(0, -PLAN_LOG_SUFFIX.length), file);
    else if (base.endsWith('.json')) plans.set(base.slice(0, -'.json'.length), file);
    else throw new Error(`${file}: expected <stack>.json or <stack>${PLAN_LOG_SUFFIX}`);
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new Error(`${p}: no such file or directory`);
    if (statSync(p).isDirectory()) {
      const entries = readdirSync(p)
        .filter((f) => f.endsWith('.json') || f.endsWith(PLAN_LOG_SUFFIX))
        .filter((f) => !/^review\.json$/.test(f));
      if (entries.length === 0)
        throw new Error(`${p}: no <stack>.json or <stack>${PLAN_LOG_SUFFIX} in this directory`);
      for (const f of entries.sort()) add(path.join(p, f));
    } else add(p);
  }
  const stacks = [...new Set([...plans.keys(), ...logs.keys()])].sort();
  return stacks.map((stack) => {
    const planFile = plans.get(stack);
    const logFile = logs.get(stack);
    return {
      stack,
      ...(planFile ? { plan: parsePlanDocument(readFileSync(planFile, 'utf8'), planFile) } : {}),
      ...(logFile ? { diagnostics: parsePlanLog(readFileSync(logFile, 'utf8'), logFile) } : {}),
    };
  });
}

/** `bandup-prod-data` -> `prod`; the bootstrap and foreign names have none. */
export function environmentOfStack(stack: string): string | undefined {
  const match = /^bandup-([a-z0-9]+)-[a-z0-9]+$/.exec(stack);
  return match && match[1] !== 'bootstrap' ? match[1] : undefined;
}

/** The environment of a set of stacks, for the review's heading (`dev,prod` when mixed). */
export function environmentOfStacks(stacks: readonly string[]): string {
  const envs = [...new Set(stacks.map(environmentOfStack).filter((e): e is string => Boolean(e)))].sort();
  return envs.length > 0 ? envs.join(',') : 'unknown';
}
