import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elisionReason, isPlaceholder } from '../../src/edit/elision-guard.js';

const original = Array.from({ length: 30 }, (_, i) => `export const value${i} = ${i};`).join('\n') + '\n';

test('placeholder lines models write when they elide code', () => {
  for (const line of [
    '// ... existing code ...',
    '  // ...existing code...',
    '# rest unchanged',
    '/* … */',
    '/* ... */',
    '...',
    '…',
    '<!-- ... -->',
    '// ... rest of the file',
    '# ... remaining methods unchanged',
    '{/* ... */}',
  ]) {
    assert.equal(isPlaceholder(line), true, line);
  }
  for (const line of ['const rest = [...items];', 'foo(...args)', '// compute the sum', 'x = "..."', '"""']) {
    assert.equal(isPlaceholder(line), false, line);
  }
});

test('a much shorter overwrite with a placeholder is refused, naming the line', () => {
  const elided = 'export const value0 = 0;\n// ... existing code ...\nexport const value29 = 30;\n';
  const reason = elisionReason(original, elided);
  assert.match(
    reason ?? '',
    /^it looks elided: 3 lines replacing 30, with the placeholder line "\/\/ \.\.\. existing code \.\.\."/,
  );
});

test('a short rewrite without placeholders, or a placeholder in a file of similar size, passes', () => {
  assert.equal(elisionReason(original, 'export const value0 = 0;\n'), null);
  const similar = original.replace('export const value3 = 3;', '// ... existing code ...');
  assert.equal(elisionReason(original, similar), null);
  assert.equal(elisionReason('', '...\n'), null);
});
