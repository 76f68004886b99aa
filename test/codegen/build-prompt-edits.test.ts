import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPrompt, buildRepairPrompt, EDIT_FORMAT_INSTRUCTIONS } from '../../src/codegen/build-prompt.js';

test('EDIT is taught only when a context file is editable, and such files are marked', () => {
  const plain = buildPrompt('c', [{ path: '../lib/x.ts', content: 'x' }]);
  assert.ok(!plain.includes('<EDIT'));
  assert.match(plain, /for reference only/);
  const editable = buildPrompt('c', [
    { path: 'src/a.ts', content: 'a', editable: true },
    { path: '../lib/x.ts', content: 'x' },
  ]);
  assert.ok(editable.trimEnd().endsWith(EDIT_FORMAT_INSTRUCTIONS));
  assert.match(
    editable,
    /BEGIN CONTEXT FILE: src\/a\.ts \(editable\) =====\na\n===== END CONTEXT FILE: src\/a\.ts =====/,
  );
  assert.match(editable, /BEGIN CONTEXT FILE: \.\.\/lib\/x\.ts =====/);
  assert.match(EDIT_FORMAT_INSTRUCTIONS, /Use EDIT for editable files and FILE for new files/);
  assert.match(EDIT_FORMAT_INSTRUCTIONS, /<<<<<<< SEARCH\n.*\n=======\n.*\n>>>>>>> REPLACE\n<\/EDIT>/);
});

test('a repair prompt carries the current files, the contract and the failing output, and asks for EDITs', () => {
  const prompt = buildRepairPrompt({
    contract: 'Build add().',
    files: [{ path: 'add.js', content: 'export const add = (a, b) => a - b;\n' }],
    context: [{ path: 'spec.md', content: 'adds' }],
    testCommand: 'node --test',
    failingOutput: 'not ok 1 - adds\n# fail 1\n\n',
  });
  const order = ['spec.md', 'add.js (editable)', 'Build add().', 'not ok 1 - adds\n# fail 1\n=====', '<EDIT'];
  const at = order.map((part) => prompt.indexOf(part));
  assert.ok(
    at.every((index, i) => index >= 0 && (i === 0 || index > at[i - 1]!)),
    JSON.stringify(at),
  );
  assert.match(prompt, /`node --test` fails/);
});
