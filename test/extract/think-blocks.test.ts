import { test } from 'node:test';
import { assertExtracts } from './replay.js';

test('a FILE tag inside a think block is not a file', () => {
  const reply =
    '<think>\nMaybe:\n<FILE path="draft.ts">\nconst draft = 1;\n</FILE>\nNo, better:\n</think>\n\n' +
    '<FILE path="final.ts">\nconst final = 2;\n</FILE>\n';
  assertExtracts(reply, { files: [{ path: 'final.ts', content: 'const final = 2;\n' }], unclosed: [] });
});

test('think tags are matched case-insensitively and may appear between files', () => {
  const reply =
    '<FILE path="a">\na\n</FILE>\n<THINK>### FILE: fake\n```\nx\n```\n</Think>\n<FILE path="b">\nb\n</FILE>\n';
  assertExtracts(reply, {
    files: [
      { path: 'a', content: 'a\n' },
      { path: 'b', content: 'b\n' },
    ],
    unclosed: [],
  });
});

test('an unclosed think block swallows everything after it, even complete files', () => {
  const reply = '<FILE path="before">\nok\n</FILE>\n<think>\nplanning...\n<FILE path="after">\nx\n</FILE>\n';
  assertExtracts(reply, { files: [{ path: 'before', content: 'ok\n' }], unclosed: [] });
});

test('a think block is invisible: a heading right after it still counts as starting a line', () => {
  const reply = '<think>plan</think>### FILE: a.txt\n```\na\n```\n';
  assertExtracts(reply, { files: [{ path: 'a.txt', content: 'a\n' }], unclosed: [] });
});

test('a file whose text contains think tags keeps them', () => {
  const content = 'const open = "<think>";\nconst close = "</think>";\n<think>\n';
  assertExtracts(`<FILE path="tags.ts">\n${content}</FILE>\n`, {
    files: [{ path: 'tags.ts', content }],
    unclosed: [],
  });
});
