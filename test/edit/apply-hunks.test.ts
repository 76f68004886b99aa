import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyHunks, lineEndingStyle } from '../../src/edit/apply-hunks.js';
import { lineChanges } from '../../src/edit/line-changes.js';

test('exact hunks apply in order, each against the text the previous one left', () => {
  const original = 'a\nb\nc\n';
  const result = applyHunks(original, [
    { search: 'b\n', replace: 'B\nB2\n' },
    { search: 'B2\nc\n', replace: 'C\n' },
  ]);
  // Counts add up per hunk: +2 -1, then +1 -2.
  assert.deepEqual(result, { ok: true, content: 'a\nB\nC\n', hunks: 2, added: 3, removed: 3, tolerant: 0 });
});

test('a CRLF file stays CRLF byte for byte: LF hunks match tolerantly and the replacement takes CRLF', () => {
  const original = 'export const a = 1;\r\n\tif (x) {\r\n\t\treturn 1;\r\n\t}\r\n// end';
  const result = applyHunks(original, [
    { search: '\tif (x) {\n\t\treturn 1;\n', replace: '\tif (x) {\n\t\treturn 2;\n' },
  ]);
  assert.equal(result.ok, true);
  assert.equal(
    result.ok && result.content,
    'export const a = 1;\r\n\tif (x) {\r\n\t\treturn 2;\r\n\t}\r\n// end',
  );
  assert.equal(result.ok && result.tolerant, 1);
});

test('trailing blanks are ignored on the second try; the final line without newline stays without', () => {
  const result = applyHunks('x = 1   \ny = 2', [{ search: 'x = 1\ny = 2\n', replace: 'x = 3\ny = 4\n' }]);
  assert.deepEqual(result.ok && result.content, 'x = 3\ny = 4');
  // Leading blanks are not ignored: nothing fuzzier than the documented second try.
  const indented = applyHunks('  x = 1\n', [{ search: 'x = 1\n', replace: 'x = 2\n' }]);
  assert.equal(indented.ok && indented.content, '  x = 2\n');
  const wrongIndent = applyHunks('    x = 1;\n', [{ search: '  x = 1;\n  y;\n', replace: '' }]);
  assert.equal(wrongIndent.ok, false);
});

test('a SEARCH that matches nowhere names the first differing line; nothing is applied', () => {
  const original = 'function f() {\n  return 1;\n}\n';
  const result = applyHunks(original, [
    { search: 'function f() {\n', replace: 'function g() {\n' },
    { search: 'function f() {\n  return 2;\n', replace: '' },
  ]);
  assert.deepEqual(result, {
    ok: false,
    hunk: 2,
    reason: 'no match: its first SEARCH line "function f() {" is not in the file',
  });
  const partial = applyHunks(original, [{ search: 'function f() {\n  return 2;\n', replace: '' }]);
  assert.deepEqual(partial, {
    ok: false,
    hunk: 1,
    reason: 'no match: SEARCH line 2 "return 2;" differs from file line 2 "return 1;"',
  });
});

test('a SEARCH that matches twice is refused with the count, exact or tolerant', () => {
  assert.deepEqual(applyHunks('x\nx\n', [{ search: 'x\n', replace: 'y\n' }]), {
    ok: false,
    hunk: 1,
    reason: 'its SEARCH matches 2 places; it must match one',
  });
  assert.deepEqual(applyHunks('x \r\ny\nx\n', [{ search: 'x  \n', replace: 'y\n' }]), {
    ok: false,
    hunk: 1,
    reason: 'its SEARCH matches 2 places (ignoring trailing blanks); it must match one',
  });
  assert.equal(applyHunks('abc', [{ search: '', replace: 'x' }]).ok, false);
});

test('line-ending style and line changes', () => {
  assert.equal(lineEndingStyle('a\r\nb\r\n'), '\r\n');
  assert.equal(lineEndingStyle('a\nb'), '\n');
  assert.equal(lineEndingStyle('a\r\nb\n'), null);
  assert.equal(lineEndingStyle('a'), null);
  assert.deepEqual(lineChanges('a\nb\nc\n', 'a\nB\nc\n'), { added: 1, removed: 1 });
  assert.deepEqual(lineChanges('', 'a\nb\n'), { added: 2, removed: 0 });
  assert.deepEqual(lineChanges('a\nb', 'a\nb\n'), { added: 1, removed: 1 });
});
