import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderResultTable, type ResultRow } from '../../src/race/judge/result-table.js';

const row = (overrides: Partial<ResultRow>): ResultRow => ({
  runner: 'runner-1',
  tests: { passed: 8, failed: 0, skipped: 0, total: 8, runner: 'node:test' },
  linesOfCode: 1240,
  llmCalls: 2,
  tokens: 12345,
  generationMs: 4250,
  fixCycles: 1,
  outcome: { kind: 'not-chosen' },
  ...overrides,
});

test('renders the header and one row per runner', () => {
  const markdown = renderResultTable({
    feature: 'slugify',
    mode: 'race',
    date: '2025-11-24T08:00Z',
    winner: 'runner-2',
    rows: [
      row({ approach: 'simplest-correct, t=0.2' }),
      row({
        runner: 'runner-2',
        outcome: { kind: 'winner' },
        tests: { passed: 7, failed: 0, skipped: 1, total: 8, runner: 'jest' },
      }),
      row({
        runner: 'runner-3',
        tests: null,
        linesOfCode: null,
        outcome: { kind: 'gated', reason: 'generation failed: idle | timeout\nafter 30 s' },
      }),
    ],
  });
  assert.equal(
    markdown,
    [
      '# speed-run race: slugify',
      '',
      '- Date: 2025-11-24T08:00Z',
      '- Mode: race',
      '- Winner: runner-2',
      '',
      '| Runner | Approach | Tests | Lines | LLM calls | Tokens | Generation | Fix cycles | Result |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      '| runner-1 | simplest-correct, t=0.2 | 8/8 | 1,240 | 2 | 12,345 | 4.3 s | 1 | not chosen |',
      '| runner-2 | — | 7/8 (1 skipped) | 1,240 | 2 | 12,345 | 4.3 s | 1 | **winner** |',
      '| runner-3 | — | not run | — | 2 | 12,345 | 4.3 s | 1 | gated: generation failed: idle \\| timeout after 30 s |',
      '',
    ].join('\n'),
  );
});

test('any-percent names the column Variant; no winner reads none', () => {
  const markdown = renderResultTable({
    feature: 'search',
    mode: 'any-percent',
    date: '2025-11-24',
    winner: null,
    rows: [
      row({
        runner: 'variant-trie',
        approach: 'trie: a prefix trie',
        outcome: { kind: 'gated', reason: 'tests not run' },
      }),
    ],
  });
  assert.match(markdown, /^# speed-run any-percent: search$/m);
  assert.match(markdown, /^- Winner: none$/m);
  assert.match(markdown, /^\| Variant \| Approach \|/m);
  assert.match(markdown, /^\| variant-trie \| trie: a prefix trie \| 8\/8 \|/m);
});

test('a runner whose provider reported no usage shows unknown tokens, not 0', () => {
  const markdown = renderResultTable({
    feature: 'slugify',
    mode: 'race',
    date: '2025-11-24T08:00Z',
    winner: null,
    rows: [row({ tokens: null })],
  });
  assert.match(markdown, /\| 2 \| unknown \| 4\.3 s \|/);
});
