#!/usr/bin/env node
// Runs every *.test.ts under the given folders (default: test/ without test/live/) with node's test runner and tsx.
// Node 20's --test takes no globs, so the files are listed here. The live suite talks to the real provider and
// spends tokens: it runs only when named (`npm run test:live`), never in `npm test`, key or not.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LIVE = join('test', 'live');

function collect(dir, out, skip) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (full === skip) continue;
    if (statSync(full).isDirectory()) collect(full, out, skip);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const roots = process.argv.slice(2);
const files =
  roots.length > 0
    ? roots.flatMap((root) => (statSync(root).isDirectory() ? collect(root, []) : [root]))
    : collect('test', [], LIVE);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=4', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
