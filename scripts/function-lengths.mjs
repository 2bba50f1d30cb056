#!/usr/bin/env node
/**
 * Lists the longest functions and constructors in the workspace's source (not tests), so a
 * review can see whether a change grows wiring that should be a named construct or helper.
 * Usage: node scripts/function-lengths.mjs [--over 60] [--top 15]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const over = option('--over', 60);
const top = option('--top', 15);
const roots = ['apps/infra/src', 'apps/ai-workers/src', 'packages/shared/src'];

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

const functions = [];
for (const root of roots) {
  for (const file of sourceFiles(root)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.end).line;
        const owner = ts.isConstructorDeclaration(node)
          ? `${node.parent.name?.text ?? '?'}.constructor`
          : undefined;
        const declared = ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : undefined;
        const name = owner ?? node.name?.getText(source) ?? declared;
        functions.push({
          where: `${relative('.', file)}:${start + 1}`,
          name: name ?? '(anonymous)',
          lines: end - start + 1,
          constructor: Boolean(owner),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
}

functions.sort((a, b) => b.lines - a.lines);
const stackConstructors = functions.filter((f) => f.constructor && /Stack\.constructor$/.test(f.name));
console.log(
  `functions over ${over} lines: ${functions.filter((f) => f.lines > over).length} of ${functions.length}`,
);
console.log(`\nlongest ${top} functions:`);
for (const f of functions.slice(0, top))
  console.log(`  ${String(f.lines).padStart(4)}  ${f.name}  ${f.where}`);
console.log('\nstack constructors:');
for (const f of stackConstructors) console.log(`  ${String(f.lines).padStart(4)}  ${f.name}  ${f.where}`);
