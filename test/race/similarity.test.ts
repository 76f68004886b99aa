import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpeedRunError } from '../../src/errors.js';
import { flagNearDuplicates, pairwiseSimilarity } from '../../src/race/judge/similarity.js';

const add = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const sum =
  'export function sum(values: number[]): number {\n  let total = 0;\n  for (const value of values) total += value;\n  return total;\n}\n';

test('formatting and file paths do not change similarity', () => {
  const reformatted = 'export function add(a:number,b:number):number{return a+b;}';
  const [pair] = pairwiseSimilarity([
    { runner: 'runner-1', files: [{ path: 'src/add.ts', content: add }] },
    { runner: 'runner-2', files: [{ path: 'lib/math.ts', content: reformatted }] },
  ]);
  assert.deepEqual(pair, { a: 'runner-1', b: 'runner-2', similarity: 1 });
});

test('every pair once, in input order, scored 0..1', () => {
  const pairs = pairwiseSimilarity([
    { runner: 'runner-1', files: [{ path: 'a.ts', content: add }] },
    {
      runner: 'runner-2',
      files: [
        { path: 'a.ts', content: add },
        { path: 'b.ts', content: sum },
      ],
    },
    { runner: 'runner-3', files: [{ path: 'b.ts', content: sum }] },
  ]);
  assert.deepEqual(
    pairs.map((pair) => [pair.a, pair.b]),
    [
      ['runner-1', 'runner-2'],
      ['runner-1', 'runner-3'],
      ['runner-2', 'runner-3'],
    ],
  );
  const [oneTwo, oneThree, twoThree] = pairs.map((pair) => pair.similarity);
  assert.ok(oneThree !== undefined && oneThree < 0.2, `unrelated code scores low, got ${oneThree}`);
  assert.ok(oneTwo !== undefined && oneTwo > 0.2 && oneTwo < 0.8);
  assert.ok(twoThree !== undefined && twoThree > (oneTwo ?? 1), 'sum is the larger share of runner-2');
});

test('empty implementations: identical to each other, unlike anything else', () => {
  const pairs = pairwiseSimilarity([
    { runner: 'runner-1', files: [] },
    { runner: 'runner-2', files: [{ path: 'empty.ts', content: '  \n' }] },
    { runner: 'runner-3', files: [{ path: 'a.ts', content: 'x' }] },
  ]);
  assert.deepEqual(
    pairs.map((pair) => pair.similarity),
    [1, 0, 0],
  );
});

test('flagNearDuplicates keeps pairs at or above the threshold', () => {
  const pairs = [
    { a: 'runner-1', b: 'runner-2', similarity: 0.95 },
    { a: 'runner-1', b: 'runner-3', similarity: 0.949 },
    { a: 'runner-2', b: 'runner-3', similarity: 0.5 },
  ];
  assert.deepEqual(flagNearDuplicates(pairs), [pairs[0]]);
  assert.deepEqual(flagNearDuplicates(pairs, 0.5), [pairs[0], pairs[1], pairs[2]]);
  for (const threshold of [0, 1.5, Number.NaN]) {
    assert.throws(
      () => flagNearDuplicates(pairs, threshold),
      (error: unknown) => error instanceof SpeedRunError && error.field === 'threshold',
    );
  }
});
