import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseTestOutput } from '../../src/race/test-phase/test-output-parser.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/test-output/${name}`, import.meta.url), 'utf8');

const ESC = '\u001b';

test('node:test spec reporter summary, todo counted as skipped', () => {
  assert.deepEqual(parseTestOutput(fixture('node-spec.txt')), {
    passed: 1,
    failed: 1,
    skipped: 2,
    total: 4,
    runner: 'node:test',
  });
});

test('node:test tap reporter summary', () => {
  assert.deepEqual(parseTestOutput(fixture('node-tap.txt')), {
    passed: 1,
    failed: 1,
    skipped: 2,
    total: 4,
    runner: 'node:test',
  });
});

test('node:test counts cancelled tests as failed', () => {
  const output =
    '# tests 3\n# suites 1\n# pass 2\n# fail 0\n# cancelled 1\n# skipped 0\n# todo 0\n# duration_ms 9\n';
  assert.deepEqual(parseTestOutput(output), {
    passed: 2,
    failed: 1,
    skipped: 0,
    total: 3,
    runner: 'node:test',
  });
});

test('vitest summary with colours', () => {
  const output = [
    ' ✓ src/sum.test.ts (3 tests) 2ms',
    ' ❯ src/math.test.ts (5 tests | 3 failed) 6ms',
    '',
    `${ESC}[2m Test Files ${ESC}[22m ${ESC}[1m${ESC}[31m1 failed${ESC}[39m${ESC}[22m${ESC}[2m | ${ESC}[22m${ESC}[1m${ESC}[32m1 passed${ESC}[39m${ESC}[22m${ESC}[90m (2)${ESC}[39m`,
    `${ESC}[2m      Tests ${ESC}[22m ${ESC}[1m${ESC}[31m3 failed${ESC}[39m${ESC}[22m${ESC}[2m | ${ESC}[22m${ESC}[1m${ESC}[32m5 passed${ESC}[39m${ESC}[22m${ESC}[90m (8)${ESC}[39m`,
    `${ESC}[2m   Start at ${ESC}[22m 10:21:04`,
    `${ESC}[2m   Duration ${ESC}[22m 312ms (transform 41ms, setup 0ms, collect 35ms, tests 8ms)`,
  ].join('\n');
  assert.deepEqual(parseTestOutput(output), { passed: 5, failed: 3, skipped: 0, total: 8, runner: 'vitest' });
});

test('vitest summary with skipped and todo', () => {
  const output =
    ' Test Files  2 passed (2)\n      Tests  6 passed | 1 skipped | 1 todo (8)\n   Duration  201ms\n';
  assert.deepEqual(parseTestOutput(output), { passed: 6, failed: 0, skipped: 2, total: 8, runner: 'vitest' });
});

test('jest summary', () => {
  const output = [
    'PASS src/sum.test.js',
    'FAIL src/math.test.js',
    '  ● divide › by zero',
    '',
    '    expect(received).toBe(expected) // Object.is equality',
    '',
    'Test Suites: 1 failed, 1 passed, 2 total',
    'Tests:       1 failed, 2 skipped, 5 passed, 8 total',
    'Snapshots:   0 total',
    'Time:        0.512 s, estimated 1 s',
    'Ran all test suites.',
  ].join('\n');
  assert.deepEqual(parseTestOutput(output), { passed: 5, failed: 1, skipped: 2, total: 8, runner: 'jest' });
});

test('pytest summary, coloured and quiet', () => {
  const expected = { passed: 2, failed: 1, skipped: 1, total: 4, runner: 'pytest' };
  assert.deepEqual(parseTestOutput(fixture('pytest-color.txt')), expected);
  assert.deepEqual(parseTestOutput(fixture('pytest-quiet.txt')), expected);
});

test('pytest counts errors as failed and xfail as skipped', () => {
  const output = '==== 1 failed, 3 passed, 2 warnings, 1 error, 1 xfailed in 0.31s ====';
  assert.deepEqual(parseTestOutput(output), { passed: 3, failed: 2, skipped: 1, total: 6, runner: 'pytest' });
  assert.deepEqual(parseTestOutput('============ no tests ran in 0.01s ============'), {
    passed: 0,
    failed: 0,
    skipped: 0,
    total: 0,
    runner: 'pytest',
  });
});

test('go test -v counts every test and subtest line', () => {
  const output = [
    '=== RUN   TestAdd',
    '--- PASS: TestAdd (0.00s)',
    '=== RUN   TestDivide',
    '=== RUN   TestDivide/by_zero',
    '    divide_test.go:14: expected error, got nil',
    '=== RUN   TestDivide/normal',
    '--- FAIL: TestDivide (0.00s)',
    '    --- FAIL: TestDivide/by_zero (0.00s)',
    '    --- PASS: TestDivide/normal (0.00s)',
    '=== RUN   TestSkip',
    '    skip_test.go:5: not on CI',
    '--- SKIP: TestSkip (0.00s)',
    'FAIL',
    'FAIL\texample.com/calc\t0.004s',
    'FAIL',
  ].join('\n');
  assert.deepEqual(parseTestOutput(output), {
    passed: 2,
    failed: 2,
    skipped: 1,
    total: 5,
    runner: 'go test',
  });
});

test('go test without -v falls back to package lines', () => {
  const output = [
    'ok  \texample.com/calc\t0.003s',
    'ok  \texample.com/calc/internal/parse\t(cached)',
    '?   \texample.com/calc/cmd\t[no test files]',
    'FAIL\texample.com/calc/broken [build failed]',
  ].join('\n');
  assert.deepEqual(parseTestOutput(output), {
    passed: 2,
    failed: 1,
    skipped: 0,
    total: 3,
    runner: 'go test',
  });
});

test('plain summary line, with and without a label and skipped count', () => {
  assert.deepEqual(parseTestOutput('running...\nResults: 5 passed, 2 failed, 1 skipped\n'), {
    passed: 5,
    failed: 2,
    skipped: 1,
    total: 8,
    runner: 'plain',
  });
  assert.deepEqual(parseTestOutput('3 passed, 0 failed'), {
    passed: 3,
    failed: 0,
    skipped: 0,
    total: 3,
    runner: 'plain',
  });
});

test('the last summary wins when several appear', () => {
  const first = 'Tests:       2 failed, 6 passed, 8 total\n';
  const second = '      Tests  8 passed (8)\n';
  assert.equal(parseTestOutput(first + second).runner, 'vitest');
  assert.equal(parseTestOutput(second + first).runner, 'jest');
  const rerun = `${fixture('node-spec.txt')}\n${fixture('node-spec.txt').replace('ℹ fail 1', 'ℹ fail 0')}`;
  assert.equal(parseTestOutput(rerun).failed, 0);
});

test('carriage-return redraws keep the last drawing', () => {
  assert.equal(parseTestOutput('Tests  1 passed (9)\r      Tests  9 passed (9)\n').passed, 9);
});

test('unknown output gives zeros and no runner', () => {
  const zero = { passed: 0, failed: 0, skipped: 0, total: 0, runner: null };
  assert.deepEqual(parseTestOutput(''), zero);
  assert.deepEqual(parseTestOutput('Compiled 12 files in 0.4s\nDone.\n'), zero);
  assert.deepEqual(parseTestOutput('5 passing\n'), zero);
});
