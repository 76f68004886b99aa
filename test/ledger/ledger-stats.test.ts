import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LedgerEntry } from '../../src/ledger/ledger-entry.js';
import { formatStats } from '../../src/cli/commands/stats.js';
import { ledgerStats, parsePrice, parseSince } from '../../src/ledger/ledger-stats.js';

function entry(ts: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    ts,
    route: 'turbo',
    provider: 'cerebras',
    model: 'gpt-oss-120b',
    ok: true,
    files: 3,
    generated_tokens: 1000,
    prompt_tokens: 500,
    agent_tokens_avoided: 400,
    ms: 1700,
    ...overrides,
  };
}

const ENTRIES = [
  entry('2026-11-28T10:00:00Z'),
  entry('2026-11-29T10:00:00Z'),
  entry('2026-11-29T11:00:00Z', {
    ok: false,
    files: 0,
    generated_tokens: null,
    prompt_tokens: null,
    agent_tokens_avoided: 0,
    error_kind: 'rate_limited',
  }),
  entry('2026-11-29T12:00:00Z', { route: 'race', model: 'llama' }),
];

test('totals per day, model and route: calls, failures, files, tokens, estimate; newest day first', () => {
  const stats = ledgerStats(ENTRIES);
  assert.deepEqual(
    stats.rows.map((row) => [
      row.day,
      row.model,
      row.route,
      row.calls,
      row.failures,
      row.files,
      row.generated_tokens,
      row.agent_tokens_avoided,
    ]),
    [
      ['2026-11-29', 'gpt-oss-120b', 'turbo', 2, 1, 3, 1000, 400],
      ['2026-11-29', 'llama', 'race', 1, 0, 3, 1000, 400],
      ['2026-11-28', 'gpt-oss-120b', 'turbo', 1, 0, 3, 1000, 400],
    ],
  );
  assert.deepEqual(stats.totals, {
    calls: 4,
    failures: 1,
    files: 9,
    generated_tokens: 3000,
    agent_tokens_avoided: 1200,
    unreported_usage: 0,
  });
  assert.equal(stats.rows[0]?.cost_usd, undefined, 'no cost without a price');
});

test('a call that wrote files without reported usage is counted as unknown, not as 0 tokens', () => {
  const stats = ledgerStats([
    entry('2026-11-29T10:00:00Z'),
    entry('2026-11-29T11:00:00Z', { model: 'qwen2.5-coder', generated_tokens: null, prompt_tokens: null }),
  ]);
  assert.equal(stats.totals.generated_tokens, 1000);
  assert.equal(stats.totals.unreported_usage, 1);
  assert.deepEqual(
    stats.rows.map((row) => [row.model, row.unreported_usage]),
    [
      ['gpt-oss-120b', 0],
      ['qwen2.5-coder', 1],
    ],
  );
  const text = formatStats(stats, '/state/ledger.jsonl');
  assert.match(text, /^1 call wrote files without the provider reporting usage: their tokens are unknown/m);
  assert.doesNotMatch(formatStats(ledgerStats(ENTRIES), '/state/ledger.jsonl'), /without the provider/);
});

test('--since leaves older calls out; a price adds the hosted-model cost', () => {
  const stats = ledgerStats(ENTRIES, {
    since: parseSince('1d', new Date('2026-11-30T09:00:00Z')),
    price: { input: 0.5, output: 2 },
  });
  assert.equal(stats.totals.calls, 3, 'the 28th is left out');
  assert.ok(Math.abs((stats.totals.cost_usd ?? 0) - (2 * (500 * 0.5 + 1000 * 2)) / 1e6) < 1e-12);
});

test('durations, dates and prices parse; anything else names the flag', () => {
  const now = new Date('2026-11-30T00:00:00Z');
  assert.equal(parseSince('7d', now).toISOString(), '2026-11-23T00:00:00.000Z');
  assert.equal(parseSince('24h', now).toISOString(), '2026-11-29T00:00:00.000Z');
  assert.equal(parseSince('2026-11-01', now).toISOString(), '2026-11-01T00:00:00.000Z');
  assert.throws(() => parseSince('last week', now), /--since "last week"/);
  assert.deepEqual(parsePrice('0.35/0.75', '--price'), { input: 0.35, output: 0.75 });
  assert.deepEqual(parsePrice('0.6', '--price'), { input: 0.6, output: 0.6 });
  assert.throws(() => parsePrice('cheap', 'SPEED_RUN_PRICE_PER_MTOK'), /SPEED_RUN_PRICE_PER_MTOK "cheap"/);
});
