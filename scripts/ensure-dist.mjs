#!/usr/bin/env node
// `npm start` in a clone: builds dist/ first when it is missing or older than a file in src/ (the package builds
// in `prepack`, not on every install), so `npm ci && npm start -- demo` works from a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/cli/main.js');

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const stale = !existsSync(built) || newestIn(path.join(root, 'src')) > statSync(built).mtimeMs;
if (stale) {
  process.stderr.write('speed-run: building dist/ (npm run build:dist) …\n');
  const result = spawnSync('npm', ['run', '--silent', 'build:dist'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
