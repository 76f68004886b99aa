import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpeedRunError } from '../../src/errors.js';
import {
  branchName,
  runnerName,
  suggestSlug,
  validateApproachSlug,
  validateApproaches,
  validateFeatureSlug,
  validateRunnerCount,
  legacyWorkspaceRelDir,
  workspaceRelDir,
} from '../../src/race/plan/feature-slug.js';
import { runRecordDir } from '../../src/race/record/run-paths.js';

function rejects(run: () => unknown, field: string, message?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SpeedRunError);
    assert.equal(error.kind, 'invalid_input');
    assert.equal(error.field, field);
    if (message) assert.match(error.message, message);
    return true;
  });
}

test('valid slugs pass through unchanged', () => {
  for (const slug of ['a', '1', 'rate-limiter', 'v2-parser', 'x'.repeat(40)]) {
    assert.equal(validateFeatureSlug(slug), slug);
  }
  assert.equal(validateApproachSlug('trie', 'approaches[0].slug'), 'trie');
});

test('unsafe slugs are refused, naming the field and suggesting a fix', () => {
  const unsafe = [
    '',
    'Rate',
    '-lead',
    'trail-',
    'a--b',
    'a/b',
    'a..b',
    'a.lock',
    'has space',
    'é',
    'x'.repeat(41),
  ];
  for (const slug of unsafe) rejects(() => validateFeatureSlug(slug), 'feature');
  for (const value of [undefined, null, 3, ['a']]) rejects(() => validateFeatureSlug(value), 'feature');
  rejects(() => validateApproachSlug('A B', 'approaches[1].slug'), 'approaches[1].slug', /"A B"/);
  assert.throws(
    () => validateFeatureSlug('Rate Limiter!'),
    (error: unknown) => error instanceof SpeedRunError && error.hint === 'Try "rate-limiter".',
  );
});

test('suggestSlug folds any text into a valid slug', () => {
  assert.equal(suggestSlug('  My Feature: v2 '), 'my-feature-v2');
  assert.equal(suggestSlug('ÉÉ'), '');
  assert.equal(suggestSlug(`${'ab-'.repeat(13)}cd`).length <= 40, true);
  assert.equal(suggestSlug(`${'a'.repeat(39)}-b`), 'a'.repeat(39));
});

test('validateApproaches: 2-5, unique slugs, non-empty descriptions', () => {
  const approaches = [
    { slug: 'trie', description: '  A prefix trie. ' },
    { slug: 'sorted-array', description: 'Binary search over a sorted array.' },
  ];
  assert.deepEqual(validateApproaches(approaches), [
    { slug: 'trie', description: 'A prefix trie.' },
    { slug: 'sorted-array', description: 'Binary search over a sorted array.' },
  ]);
  rejects(() => validateApproaches(approaches.slice(0, 1)), 'approaches', /2 to 5/);
  rejects(
    () => validateApproaches(Array.from({ length: 6 }, (_, i) => ({ slug: `s${i}`, description: 'd' }))),
    'approaches',
  );
  rejects(() => validateApproaches('trie'), 'approaches');
  rejects(() => validateApproaches([approaches[0], approaches[0]]), 'approaches[1].slug', /used twice/);
  rejects(
    () => validateApproaches([approaches[0], { slug: 'x', description: ' ' }]),
    'approaches[1].description',
  );
  rejects(() => validateApproaches([approaches[0], { slug: 'Bad', description: 'd' }]), 'approaches[1].slug');
  rejects(() => validateApproaches([approaches[0], null]), 'approaches[1]');
});

test('validateRunnerCount accepts integers 2-5', () => {
  for (const count of [2, 3, 4, 5]) assert.equal(validateRunnerCount(count), count);
  for (const count of [1, 6, 2.5, '3', Number.NaN]) rejects(() => validateRunnerCount(count), 'runners');
});

test('runner, workspace, branch and record names', () => {
  assert.equal(runnerName('race', 2), 'runner-2');
  assert.equal(runnerName('any-percent', 'trie'), 'variant-trie');
  assert.equal(workspaceRelDir('search', 'runner-2'), '.worktrees/search/runner-2');
  assert.equal(workspaceRelDir('search', 'variant-trie'), '.worktrees/search/variant-trie');
  assert.equal(legacyWorkspaceRelDir('runner-2'), '.worktrees/speed-run-runner-2');
  assert.equal(branchName('search', 'runner-2'), 'search/speed-run/runner-2');
  assert.equal(branchName('search', 'variant-sorted-array'), 'search/speed-run/variant-sorted-array');
  assert.equal(runRecordDir('search', 'race'), 'docs/plans/search/speed-run/race');
  assert.equal(runRecordDir('search', 'any-percent'), 'docs/plans/search/speed-run/any-percent');
});

test('names refuse what they cannot make safely', () => {
  rejects(() => runnerName('race', 0), 'runner');
  rejects(() => runnerName('race', 'trie'), 'runner');
  rejects(() => runnerName('any-percent', 'Trie'), 'approach');
  rejects(() => runnerName('sprint' as 'race', 1), 'mode');
  rejects(() => workspaceRelDir('search', '../runner-1'), 'runner');
  rejects(() => workspaceRelDir('search', 'runner-0'), 'runner');
  rejects(() => workspaceRelDir('../search', 'runner-1'), 'feature');
  rejects(() => branchName('Search', 'runner-1'), 'feature');
  rejects(() => runRecordDir('search', 'sprint' as 'race'), 'mode');
});
