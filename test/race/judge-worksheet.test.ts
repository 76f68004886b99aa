import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeMetrics } from '../../src/race/judge/code-metrics.js';
import {
  CRITERIA,
  buildJudgeWorksheet,
  compareEfficiency,
  measurableGate,
  type RunnerEvidence,
} from '../../src/race/judge/judge-worksheet.js';

const metrics = (linesOfCode: number, extra: Partial<CodeMetrics> = {}): CodeMetrics => ({
  files: 2,
  testFiles: 1,
  linesOfCode,
  languages: [{ language: 'TypeScript', files: 2, linesOfCode }],
  longFunctions: [],
  deepNesting: [],
  singleLetterNames: [],
  magicNumbers: [],
  notMeasured: [],
  ...extra,
});

const generation = { ok: true, durationMs: 4250, tokens: 3100, llmCalls: 1, fixCycles: 0 };
const passing = {
  summary: { passed: 8, failed: 0, skipped: 0, total: 8, runner: 'node:test' as const },
  exitCode: 0,
};

function runner(name: string, overrides: Partial<RunnerEvidence> = {}): RunnerEvidence {
  return { runner: name, generation, tests: passing, metrics: metrics(100), ...overrides };
}

test('the measurable gate: generation, tests run, recognised, all passing, clean exit', () => {
  const summary = passing.summary;
  const cases: [Partial<RunnerEvidence>, string | null][] = [
    [{}, null],
    [{ generation: { ...generation, ok: false, error: 'idle timeout' } }, 'generation failed: idle timeout'],
    [{ generation: { ...generation, ok: false } }, 'generation failed'],
    [{ tests: null }, 'tests not run'],
    [{ tests: { ...passing, timedOut: true, exitCode: null } }, 'tests timed out'],
    [{ tests: { summary: { ...summary, passed: 6, failed: 2 }, exitCode: 1 } }, '2 of 8 tests failed'],
    [
      { tests: { summary: { passed: 0, failed: 0, skipped: 0, total: 0, runner: null }, exitCode: 0 } },
      'test output not recognised (exit code 0)',
    ],
    [
      { tests: { summary: { ...summary, passed: 0, skipped: 3, total: 3 }, exitCode: 0 } },
      'no test passed (3 skipped)',
    ],
    [{ tests: { summary: { ...summary, passed: 0, total: 0 }, exitCode: 0 } }, 'no tests ran'],
    [{ tests: { ...passing, exitCode: 2 } }, 'test command exited with 2'],
  ];
  for (const [overrides, reason] of cases)
    assert.equal(measurableGate(runner('runner-1', overrides)), reason);
});

test('worksheet: contenders get blank criteria with evidence, gated runners only their reason', () => {
  const worksheet = buildJudgeWorksheet({
    feature: 'slugify',
    mode: 'race',
    runners: [
      runner('runner-1', {
        variation: 'simplest-correct, t=0.2',
        metrics: metrics(80, {
          singleLetterNames: [{ path: 'src/a.ts', line: 3, name: 'x' }],
          magicNumbers: [1, 2, 3, 4].map((line) => ({ path: 'src/a.ts', line, value: '42' })),
        }),
      }),
      runner('runner-2', {
        metrics: metrics(200, {
          longFunctions: [{ path: 'src/b.ts', name: 'slugify', line: 1, lines: 72 }],
          deepNesting: [{ path: 'src/b.ts', line: 9, depth: 5, function: 'slugify' }],
          notMeasured: ['long functions, magic numbers (test files): test/b.test.ts'],
        }),
      }),
      runner('runner-3', { tests: { ...passing, summary: { ...passing.summary, passed: 7, failed: 1 } } }),
    ],
    nearDuplicates: [{ a: 'runner-1', b: 'runner-3', similarity: 0.97 }],
  });
  assert.deepEqual(worksheet.contenders, ['runner-1', 'runner-2']);
  const [first, second, third] = worksheet.runners;
  assert.ok(first && second && third);
  assert.equal(third.gated, '1 of 8 tests failed');
  assert.equal(third.criteria, null);
  assert.deepEqual(third.measured.nearDuplicateOf, ['runner-1 (0.97)']);
  assert.deepEqual(first.measured, {
    tests: '8/8 passed (node:test)',
    files: 2,
    linesOfCode: 80,
    generationSeconds: 4.3,
    tokens: 3100,
    llmCalls: 1,
    fixCycles: 0,
    nearDuplicateOf: ['runner-3 (0.97)'],
  });
  assert.equal(first.variation, 'simplest-correct, t=0.2');
  assert.deepEqual(Object.keys(first.criteria ?? {}), CRITERIA);
  for (const criterion of CRITERIA) assert.equal(first.criteria?.[criterion].score, null);
  assert.deepEqual(first.criteria?.justifiedComplexity.evidence, [
    '80 lines of code in 2 files (smallest contender)',
    'nested deeper than 3: none',
  ]);
  assert.deepEqual(first.criteria?.readability.evidence, [
    'functions over 50 lines: none',
    'single-letter names: 1 (x src/a.ts:3)',
    'magic numbers: 4 (42 src/a.ts:1, 42 src/a.ts:2, 42 src/a.ts:3, …)',
  ]);
  assert.deepEqual(second.criteria?.justifiedComplexity.evidence, [
    '200 lines of code in 2 files (2.5× runner-1)',
    'nested deeper than 3: 1 (src/b.ts:9 depth 5)',
  ]);
  assert.deepEqual(second.criteria?.readability.evidence[0], 'functions over 50 lines: 1 (slugify 72)');
  assert.deepEqual(second.measured.notMeasured, [
    'long functions, magic numbers (test files): test/b.test.ts',
  ]);
  assert.deepEqual(second.criteria?.maintainability.evidence, [
    'test files: 1 of 2',
    'languages: TypeScript 200',
  ]);
  assert.equal(worksheet.subjectiveGates.length, 2);
  assert.match(worksheet.efficiencyTieBreaker, /fix cycles.*tokens.*generation time/);
});

test('no contender: the worksheet says there is no winner', () => {
  const worksheet = buildJudgeWorksheet({
    feature: 'slugify',
    mode: 'any-percent',
    runners: [runner('variant-a', { tests: null })],
  });
  assert.deepEqual(worksheet.contenders, []);
  assert.match(worksheet.instructions, /no winner/);
});

test('compareEfficiency: an unknown token count is not fewer tokens; generation time decides', () => {
  const base = { fixCycles: 0, durationMs: 5000 };
  // Read as 0, the unknown would win on tokens; it is slower, so it comes second.
  const unknown = { ...base, tokens: null, durationMs: 7000 };
  const known = { ...base, tokens: 10 };
  assert.deepEqual([unknown, known].sort(compareEfficiency), [known, unknown]);
  assert.deepEqual([known, unknown].sort(compareEfficiency), [known, unknown]);
});

test('compareEfficiency: fix cycles, then tokens, then generation time', () => {
  const base = { fixCycles: 1, tokens: 1000, durationMs: 5000 };
  const sorted = [
    { ...base, durationMs: 4000 },
    { ...base, fixCycles: 0, tokens: 9999 },
    { ...base, tokens: 900 },
    base,
  ].sort(compareEfficiency);
  assert.deepEqual(sorted, [
    { ...base, fixCycles: 0, tokens: 9999 },
    { ...base, tokens: 900 },
    { ...base, durationMs: 4000 },
    base,
  ]);
});
