import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildPrompt,
  DEFAULT_SYSTEM_PROMPT,
  OUTPUT_FORMAT_INSTRUCTIONS,
  systemPromptFor,
} from '../../src/codegen/build-prompt.js';

test('the contract comes first and the output format last', () => {
  const prompt = buildPrompt('## DATA CONTRACT\nBuild a queue.');
  assert.ok(prompt.startsWith('## DATA CONTRACT\nBuild a queue.'));
  assert.ok(prompt.trimEnd().endsWith(OUTPUT_FORMAT_INSTRUCTIONS.trimEnd()));
});

test('the output format names the FILE tag, the closing line, and forbids fences and elisions', () => {
  assert.match(OUTPUT_FORMAT_INSTRUCTIONS, /<FILE path="relative\/path\/to\/file\.ext">/);
  assert.match(OUTPUT_FORMAT_INSTRUCTIONS, /closing <\/FILE> tag on its own line/);
  assert.match(OUTPUT_FORMAT_INSTRUCTIONS, /markdown code fences/);
  assert.match(OUTPUT_FORMAT_INSTRUCTIONS, /in full/);
});

test('context files are embedded before the contract, delimited by their paths', () => {
  const prompt = buildPrompt('Contract here.', [
    { path: 'src/types.ts', content: 'export type Id = string;' },
    { path: 'README.md', content: '<FILE path="x">\n```\n</FILE>\n' },
  ]);
  const begin = prompt.indexOf('===== BEGIN CONTEXT FILE: src/types.ts =====\nexport type Id = string;\n');
  const end = prompt.indexOf('===== END CONTEXT FILE: src/types.ts =====');
  assert.ok(begin >= 0 && end > begin);
  assert.ok(
    prompt.includes('===== BEGIN CONTEXT FILE: README.md =====\n<FILE path="x">\n```\n</FILE>\n===== END'),
  );
  assert.ok(prompt.indexOf('Contract here.') > prompt.indexOf('END CONTEXT FILE: README.md'));
  assert.match(prompt, /for reference only/);
});

test('without context files there is no context section', () => {
  assert.ok(!buildPrompt('x').includes('Context files'));
});

test('the default system prompt is used unless the caller gives a non-blank one', () => {
  assert.equal(systemPromptFor(undefined), DEFAULT_SYSTEM_PROMPT);
  assert.equal(systemPromptFor('  '), DEFAULT_SYSTEM_PROMPT);
  assert.equal(systemPromptFor('Be terse.'), 'Be terse.');
});
