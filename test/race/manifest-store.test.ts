import assert from 'node:assert/strict';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { generationRecordSchema, type RunManifest } from '../../src/race/record/manifest-schema.js';
import { ManifestStore, loadManifest, writeManifestFile } from '../../src/race/record/manifest-store.js';
import { manifestPath } from '../../src/race/record/run-paths.js';
import { removeDir, tempDir } from './git-fixture.js';

const dirs: string[] = [];
after(async () => Promise.all(dirs.map(removeDir)));

function manifest(root: string): RunManifest {
  return {
    schemaVersion: 1,
    feature: 'auth',
    mode: 'race',
    status: 'running',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    repo: {
      root,
      git: false,
      baseBranch: null,
      baseCommit: null,
      uncommittedAtStart: [],
      gitignoreUpdated: false,
    },
    contract: { source: 'inline', file: null, chars: 10, sha256: 'x' },
    options: {
      variation: 'briefs',
      outputSubdir: null,
      setupCommand: null,
      testCommand: null,
      timeoutS: 300,
      models: [],
    },
    runners: [],
    events: [],
    finish: null,
  };
}

test('a manifest round-trips through an atomic write and is validated on load', async () => {
  const root = await tempDir();
  dirs.push(root);
  assert.equal(await loadManifest(root, 'auth', 'race'), null);
  const file = manifestPath(root, 'auth', 'race');
  assert.equal(path.relative(root, file), 'docs/plans/auth/speed-run/race/manifest.json');
  await writeManifestFile(file, manifest(root));
  assert.deepEqual(await loadManifest(root, 'auth', 'race'), manifest(root));
  assert.deepEqual(await readdir(path.dirname(file)), ['manifest.json'], 'no temporary file left behind');
});

test('a damaged manifest is an error naming the file and the field', async () => {
  const root = await tempDir();
  dirs.push(root);
  const file = manifestPath(root, 'auth', 'race');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '{ not json');
  await assert.rejects(
    loadManifest(root, 'auth', 'race'),
    /manifest\.json cannot be used: it is not valid JSON/,
  );
  await writeFile(file, JSON.stringify({ ...manifest(root), mode: 'sprint' }));
  await assert.rejects(loadManifest(root, 'auth', 'race'), /does not match the run record's shape \(mode:/);
});

test('concurrent updates are applied in order and each write leaves a whole record', async () => {
  const root = await tempDir();
  dirs.push(root);
  const file = manifestPath(root, 'auth', 'race');
  await writeManifestFile(file, manifest(root));
  let tick = 0;
  const store = new ManifestStore(file, manifest(root), () => Date.UTC(2025, 0, 1, 0, 0, tick++));
  await Promise.all(Array.from({ length: 20 }, (_, i) => store.event('note', null, `event ${i}`)));
  const saved = JSON.parse(await readFile(file, 'utf8')) as RunManifest;
  assert.deepEqual(
    saved.events.map((e) => e.message),
    Array.from({ length: 20 }, (_, i) => `event ${i}`),
  );
  assert.equal(saved.updatedAt, '2025-01-01T00:00:19.000Z');
  await assert.rejects(ManifestStore.open(root, 'other', 'race'), /no race run for feature "other"/);
});

test('generation tokens: a record may say null (unknown usage), and older records with numbers still load', () => {
  const generation = {
    model: 'gpt-oss-120b',
    files: [],
    rejected: [],
    unclosed: [],
    truncated: false,
    finishReason: 'stop',
    lines: 0,
    bytes: 0,
    durationMs: 1,
    timeToFirstFileMs: null,
    llmCalls: 1,
    limitReached: null,
  };
  assert.equal(generationRecordSchema.parse({ ...generation, tokens: null }).tokens, null);
  const older = { ...generation, tokens: { prompt: 0, completion: 0, total: 0 } };
  assert.deepEqual(generationRecordSchema.parse(older).tokens, older.tokens);
  assert.equal(generationRecordSchema.safeParse({ ...generation, tokens: { total: 'many' } }).success, false);
});
