import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { LedgerEntry } from '../../src/ledger/ledger-entry.js';
import { ledgerPath, openLedger } from '../../src/ledger/ledger-file.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'speed-run-ledger-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

function entry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    ts: '2026-11-30T08:00:00.000Z',
    route: 'turbo',
    provider: 'cerebras',
    model: 'gpt-oss-120b',
    ok: true,
    files: 3,
    generated_tokens: 1309,
    prompt_tokens: 1016,
    agent_tokens_avoided: 478,
    ms: 1700,
    ...overrides,
  };
}

test('the path: SPEED_RUN_LEDGER, then XDG_STATE_HOME, then ~/.local/state; off turns it off', () => {
  assert.equal(ledgerPath({ HOME: '/home/u' }), '/home/u/.local/state/speed-run/ledger.jsonl');
  assert.equal(ledgerPath({ HOME: '/home/u', XDG_STATE_HOME: '/s' }), '/s/speed-run/ledger.jsonl');
  assert.equal(
    ledgerPath({ HOME: '/home/u', XDG_STATE_HOME: 'relative' }),
    '/home/u/.local/state/speed-run/ledger.jsonl',
    'a relative XDG_STATE_HOME is ignored, as the XDG spec says',
  );
  assert.equal(ledgerPath({ HOME: '/home/u', SPEED_RUN_LEDGER: '/tmp/l.jsonl' }), '/tmp/l.jsonl');
  assert.equal(ledgerPath({ HOME: '/home/u', SPEED_RUN_LEDGER: 'off' }), null);
  assert.equal(ledgerPath({}), null);
});

test('entries are appended as JSON lines, created private, and read back in order', async () => {
  const file = path.join(dir, 'nested', 'ledger.jsonl');
  const ledger = openLedger(file);
  await Promise.all([ledger.append(entry({ files: 1 })), ledger.append(entry({ files: 2 }))]);
  await ledger.append(entry({ files: 3, ok: false, error_kind: 'rate_limited' }));
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(
    (await ledger.read()).map((e) => [e.files, e.ok, e.error_kind]),
    [
      [1, true, undefined],
      [2, true, undefined],
      [3, false, 'rate_limited'],
    ],
  );
  assert.equal((await stat(file)).mode & 0o777, 0o600);
});

test('bounded: past maxBytes the file rotates to .1, so the ledger never exceeds twice the bound', async () => {
  const file = path.join(dir, 'bounded.jsonl');
  const ledger = openLedger(file, { maxBytes: 1000 });
  for (let i = 0; i < 40; i += 1) await ledger.append(entry({ files: i }));
  const current = (await stat(file)).size;
  const rotated = (await stat(`${file}.1`)).size;
  assert.ok(current <= 1000 && rotated <= 1000, `${current} + ${rotated} bytes`);
  const kept = await ledger.read();
  assert.ok(kept.length > 5 && kept.length < 40);
  assert.equal(kept.at(-1)?.files, 39, 'the newest entry is kept');
  assert.deepEqual(
    kept.map((e) => e.files),
    [...kept.map((e) => e.files)].sort((a, b) => a - b),
    'oldest first',
  );
});

test('lines that are not entries (torn writes, hand edits) are skipped; unknown fields are dropped', async () => {
  const file = path.join(dir, 'messy.jsonl');
  await writeFile(
    file,
    [
      JSON.stringify({ ...entry(), prompt: 'SECRET PROMPT' }),
      '{"ts":"2026-11-30T0',
      'not json',
      JSON.stringify({ ...entry(), route: 'unknown' }),
      '',
    ].join('\n'),
  );
  const entries = await openLedger(file).read();
  assert.equal(entries.length, 1);
  assert.equal(JSON.stringify(entries).includes('SECRET PROMPT'), false);
});
