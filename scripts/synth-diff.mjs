#!/usr/bin/env node
/**
 * Compares two synth outputs (`cdktf.out` directories) stack by stack: every resource, data source,
 * output, local, variable and `moved` block by address, ignoring the `//` metadata (construct paths,
 * which a refactoring may change). A refactoring that must not touch the platform should print
 * "0 differences"; anything else is listed with its address (`-v` shows the bodies).
 * Usage: node scripts/synth-diff.mjs <before-dir> <after-dir> [-v]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const [before, after] = process.argv.slice(2).filter((a) => a !== '-v');
const verbose = process.argv.includes('-v');
if (!before || !after) {
  console.error('usage: node scripts/synth-diff.mjs <before-dir> <after-dir> [-v]');
  process.exit(2);
}

const withoutMetadata = (value) =>
  Array.isArray(value)
    ? value.map(withoutMetadata)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => key !== '//')
            .map(([key, v]) => [key, withoutMetadata(v)]),
        )
      : value;

/** Address -> body of everything Terraform acts on in one stack. */
function entries(doc) {
  const out = new Map();
  for (const section of ['resource', 'data']) {
    for (const [type, items] of Object.entries(doc[section] ?? {})) {
      for (const [name, body] of Object.entries(items))
        out.set(`${section}.${type}.${name}`, withoutMetadata(body));
    }
  }
  for (const section of ['output', 'locals', 'variable', 'terraform', 'provider', 'moved', 'import']) {
    if (section in doc) out.set(section, withoutMetadata(doc[section]));
  }
  return out;
}

const stacksOf = (dir) => (existsSync(join(dir, 'stacks')) ? readdirSync(join(dir, 'stacks')) : []);
const stacks = [...new Set([...stacksOf(before), ...stacksOf(after)])].sort();
let differences = 0;
for (const stack of stacks) {
  const file = (dir) => join(dir, 'stacks', stack, 'cdk.tf.json');
  if (!existsSync(file(before)) || !existsSync(file(after))) {
    console.log(`${stack}: only in ${existsSync(file(after)) ? 'after' : 'before'}`);
    differences++;
    continue;
  }
  const a = entries(JSON.parse(readFileSync(file(before), 'utf8')));
  const b = entries(JSON.parse(readFileSync(file(after), 'utf8')));
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!b.has(address)) console.log(`${stack}: - ${address}`);
    else if (!a.has(address)) console.log(`${stack}: + ${address}`);
    else if (!isDeepStrictEqual(a.get(address), b.get(address))) {
      console.log(`${stack}: ~ ${address}`);
      if (verbose) {
        console.log(`   before: ${JSON.stringify(a.get(address))}`);
        console.log(`   after:  ${JSON.stringify(b.get(address))}`);
      }
    } else continue;
    differences++;
  }
}
console.log(`${differences} differences across ${stacks.length} stacks`);
process.exitCode = differences === 0 ? 0 : 1;
