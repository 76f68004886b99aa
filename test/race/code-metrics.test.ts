import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpeedRunError } from '../../src/errors.js';
import { measureCode } from '../../src/race/judge/code-metrics.js';

const lines = (...text: string[]): string => text.join('\n');

test('lines of code skip blanks, comments and JSDoc, by language', async () => {
  const metrics = await measureCode([
    {
      path: 'src/glob.ts',
      content: lines(
        '/**',
        ' * Files matching a glob.',
        ' */',
        '// a comment',
        'export const pattern = "src/**/*.ts"; // not a comment start',
        '',
        'const banner = `line one',
        '',
        'line three`;',
        '/* block',
        '   still block */ export default pattern;',
      ),
    },
    {
      path: 'tool.py',
      content: lines('#!/usr/bin/env python3', '# comment', '', 'def main():', '    return 1', ''),
    },
    {
      path: 'main.go',
      content: lines('/*', ' Package main.', '*/', 'package main', '', '// x', 'func main() {}'),
    },
    { path: 'README.md', content: lines('# Title', '', 'Text.') },
    { path: 'data.bin', content: 'xyz' },
  ]);
  assert.equal(metrics.files, 5);
  assert.equal(metrics.testFiles, 0);
  assert.equal(metrics.linesOfCode, 5 + 2 + 2 + 2 + 1);
  assert.deepEqual(metrics.languages, [
    { language: 'TypeScript', files: 1, linesOfCode: 5 },
    { language: 'Go', files: 1, linesOfCode: 2 },
    { language: 'Markdown', files: 1, linesOfCode: 2 },
    { language: 'Python', files: 1, linesOfCode: 2 },
    { language: 'Other', files: 1, linesOfCode: 1 },
  ]);
  assert.deepEqual(metrics.notMeasured, [
    'long functions, nesting, single-letter names, magic numbers (TypeScript/JavaScript only): tool.py, main.go, README.md, data.bin',
  ]);
});

test('functions over 50 lines are reported with their names', async () => {
  const body = Array.from({ length: 49 }, (_, index) => `  total += ${index % 2};`);
  const content = lines(
    'export function fits(total: number) {', // 1 + 48 + 1 = 50 lines: not reported
    ...body.slice(1),
    '}',
    'export class Store {',
    '  load(total: number) {', // 51 lines
    ...body,
    '  }',
    '}',
    'export const handler = (total: number) => {', // 51 lines
    ...body,
    '};',
  );
  const metrics = await measureCode([{ path: 'src/store.js', content }]);
  assert.deepEqual(
    metrics.longFunctions.map(({ name, line, lines: count }) => [name, line, count]),
    [
      ['Store.load', 52, 51],
      ['handler', 104, 51],
    ],
  );
});

test('nesting deeper than 3: control blocks and nested functions count, else-if does not', async () => {
  const content = lines(
    'export function walk(items: number[][]) {',
    '  for (const row of items) {', // 1
    '    if (row.length) {', // 2
    '      row.forEach((cell) => {', // 3 (nested function)
    '        try {', // 4: reported here
    '          if (cell) {', // 5
    '            return;',
    '          }',
    '        } catch {}',
    '      });',
    '    } else if (items) {', // still 2
    '      while (row.pop()) {', // 3
    '        switch (row.length) {', // 4: reported
    '          default:',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    'if (globalThis) { for (;;) { const f = () => { while (true) { break; } }; } }', // 1, 2, +0 (outermost fn), 3
  );
  const metrics = await measureCode([{ path: 'walk.ts', content }]);
  assert.deepEqual(metrics.deepNesting, [
    {
      path: 'walk.ts',
      line: 5,
      depth: 5,
      function: 'row.forEach callback',
    },
    { path: 'walk.ts', line: 13, depth: 4, function: 'walk' },
  ]);
});

test('single-letter names: declarations, not loop headers, catch variables, callbacks or _', async () => {
  const content = lines(
    'function f(a: number, total: number) {', // f, a
    '  const x = a * 2;', // x
    '  const { y, z: zed } = { y: 1, z: 2 };', // y
    '  for (let i = 0; i < 2; i++) {}',
    '  for (const [k, v] of Object.entries({})) {}',
    '  try { x(); } catch (e) {}',
    '  const _ = [1].map((n) => n).sort((p, q) => p - q);',
    '  const g = function h(b: number) { return b; };', // g, h, b
    '  class C {}', // C
    '  return x + y + zed + total + g(0) + String(C) + _.length;',
    '}',
    'type T<U> = U;',
  );
  const metrics = await measureCode([{ path: 'names.ts', content }]);
  assert.deepEqual(
    metrics.singleLetterNames.map(({ name, line }) => `${name}@${line}`),
    ['f@1', 'a@1', 'x@2', 'y@3', 'g@8', 'h@8', 'b@8', 'C@9'],
  );
});

test('magic numbers: not plain numbers, module consts, enums, indexes or types', async () => {
  const content = lines(
    'export const TIMEOUT_MS = 30 * 1000;',
    'export const LIMITS = { retries: 3, backoff: [250, 500] };',
    'enum Port { Http = 80 }',
    'type Answer = 42 | -7;',
    'export function pick(list: number[], ms = 1500) {',
    '  const local = 60;', // magic: not module scope
    '  if (list.length > 7) return list[3];', // 7 magic, index 3 not
    '  return [-1, 0, 1, 2, 10, 100, 1000, -2, 0.5, ms, local, Port.Http];', // -2 and 0.5 magic
    '}',
    'export const later = () => 86400;', // inside a function: magic
  );
  const metrics = await measureCode([{ path: 'magic.ts', content }]);
  assert.deepEqual(
    metrics.magicNumbers.map(({ value, line }) => `${value}@${line}`),
    ['1500@5', '60@6', '7@7', '-2@8', '0.5@8', '86400@10'],
  );
});

test('test files are counted, and skip long functions and magic numbers', async () => {
  const long = Array.from({ length: 60 }, () => '  assert.equal(add(20, 22), 42);');
  const content = lines("describe('add', () => {", ...long, '});');
  const metrics = await measureCode([
    { path: 'test/add.test.ts', content },
    { path: 'src/__tests__/b.js', content: 'x(7);' },
    { path: 'src/add.ts', content: 'export const add = (a: number, b: number) => a + b;' },
  ]);
  assert.equal(metrics.testFiles, 2);
  assert.deepEqual(metrics.longFunctions, []);
  assert.deepEqual(metrics.magicNumbers, []);
  assert.deepEqual(
    metrics.singleLetterNames.map((item) => item.name),
    ['a', 'b'],
  );
  assert.deepEqual(metrics.notMeasured, [
    'long functions, magic numbers (test files): test/add.test.ts, src/__tests__/b.js',
  ]);
});

test('JSX and TSX parse with their own script kinds', async () => {
  const content = lines(
    'export function List({ items }: { items: string[] }) {',
    '  return (',
    '    <ul>',
    '',
    '      {items.map((item) => <li key={item}>{item}</li>)}',
    '    </ul>',
    '  );',
    '}',
  );
  const metrics = await measureCode([{ path: 'List.tsx', content }]);
  assert.equal(metrics.linesOfCode, 7);
  assert.deepEqual(metrics.languages, [{ language: 'TypeScript', files: 1, linesOfCode: 7 }]);
});

test('empty input and invalid input', async () => {
  const metrics = await measureCode([]);
  assert.equal(metrics.files, 0);
  assert.equal(metrics.linesOfCode, 0);
  assert.deepEqual(metrics.notMeasured, []);
  await assert.rejects(
    measureCode([{ path: 'a.ts' }] as never),
    (error: unknown) => error instanceof SpeedRunError && error.field === 'files',
  );
});
