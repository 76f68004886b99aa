// What an npm user gets: the tarball as `npm pack` lists it, and the package.json fields registries show.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  repository?: { url: string };
  homepage?: string;
  bugs?: { url: string };
};

test('package.json: built in prepack, not on every install; repository, homepage and bugs are set', () => {
  assert.equal(pkg.scripts.prepare, undefined, 'prepare runs (and warns) on every install');
  assert.match(pkg.scripts.prepack ?? '', /build:dist/);
  assert.match(pkg.scripts.test ?? '', /build:dist/, 'the tests build dist/ themselves');
  assert.match(pkg.repository?.url ?? '', /^git\+https:\/\//);
  assert.match(pkg.homepage ?? '', /^https:\/\//);
  assert.match(pkg.bugs?.url ?? '', /^https:\/\//);
});

test('the tarball: no source maps, the docs every "see docs/…" hint names, the demo example', () => {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }),
  ) as { files: { path: string }[] }[];
  const files = new Set(packed?.files.map((file) => file.path));
  assert.deepEqual(
    [...files].filter((file) => file.endsWith('.map')),
    [],
    'maps pointing at ../../src without the sources',
  );
  for (const file of ['dist/cli/main.js', 'examples/rate-limiter/recorded-reply.txt', 'README.md', 'LICENSE'])
    assert.ok(files.has(file), file);

  const named = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else for (const match of readFileSync(full, 'utf8').matchAll(/docs\/[a-z-]+\.md/g)) named.add(match[0]);
    }
  };
  walk(path.join(ROOT, 'src'));
  assert.ok(named.size > 0);
  for (const doc of named) {
    assert.ok(existsSync(path.join(ROOT, doc)), `${doc} is named in src/ but does not exist`);
    assert.ok(files.has(doc), `${doc} is named in a hint but not shipped`);
  }
});
