import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_OPEN_TAG_LENGTH, matchOpenTag, readPathAttribute } from '../../src/extract/open-tag.js';

test('readPathAttribute finds path among other attributes, quoted either way or unquoted', () => {
  assert.equal(readPathAttribute(' path="a.ts"'), 'a.ts');
  assert.equal(readPathAttribute(" lang='ts' PATH='b c.ts' "), 'b c.ts');
  assert.equal(readPathAttribute(' path=c.ts lang=ts'), 'c.ts');
  assert.equal(readPathAttribute(' path="it\'s.ts"'), "it's.ts");
  assert.equal(readPathAttribute(' path="first" path="second"'), 'first');
  assert.equal(readPathAttribute(' path=""'), '');
});

test('readPathAttribute rejects attribute text that is not attributes', () => {
  assert.equal(readPathAttribute(' lang="ts"'), null);
  assert.equal(readPathAttribute(' data-path="x"'), null);
  assert.equal(readPathAttribute(' path="a.ts" /'), null);
  assert.equal(readPathAttribute(' path="unterminated'), null);
  assert.equal(readPathAttribute(' path'), null);
});

test('matchOpenTag says partial only while more input could still complete a tag', () => {
  assert.deepEqual(matchOpenTag('x<FILE path="a">y', 1), { kind: 'tag', path: 'a', end: 16 });
  for (const text of ['<', '<F', '<fil', '<FILE', '<FILE ', '<FILE path="a"']) {
    assert.deepEqual(matchOpenTag(text, 0), { kind: 'partial' }, text);
  }
  for (const text of ['<p>', '<FILE>', '<FILEpath="a">', '<FILE path="a"\n>', '<FILE path="<a>">']) {
    assert.deepEqual(matchOpenTag(text, 0), { kind: 'none' }, text);
  }
  const long = `<FILE path="${'a'.repeat(MAX_OPEN_TAG_LENGTH)}`;
  assert.deepEqual(matchOpenTag(long, 0), { kind: 'none' });
});
