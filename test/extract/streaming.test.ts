import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFiles, FileStreamExtractor } from '../../src/extract/file-stream-extractor.js';
import { assertExtracts, charChunks, extractChunks, randomChunks } from './replay.js';

test('each file is emitted by the push that delivers the last character of its closing tag', () => {
  const reply =
    'x <FILE path="a">\na\n</FILE> y <file path="b">b</file>\n### FILE: c\n```\nc\n```\n<FILE path="d">\n';
  const extractor = new FileStreamExtractor();
  const emitted: { at: number; path: string }[] = [];
  charChunks(reply).forEach((chunk, at) => {
    for (const file of extractor.push(chunk)) emitted.push({ at, path: file.path });
  });
  const afterFence = reply.lastIndexOf('```\n') + 3;
  assert.deepEqual(emitted, [
    { at: reply.indexOf('</FILE>') + 6, path: 'a' },
    { at: reply.indexOf('</file>') + 6, path: 'b' },
    { at: afterFence, path: 'c' },
  ]);
  assert.deepEqual(extractor.end(), { files: [], unclosed: [{ path: 'd', bytes: 0 }] });
});

test('push returns the files completed by that chunk, in order; end returns only what the flush completes', () => {
  const extractor = new FileStreamExtractor();
  assert.deepEqual(extractor.push(''), []);
  assert.deepEqual(extractor.push('<FILE path="1">one</FILE><FILE path="2">two</FI'), [
    { path: '1', content: 'one' },
  ]);
  assert.deepEqual(extractor.push('LE>\n### FILE: 3\n```\nthree\n```'), [{ path: '2', content: 'two' }]);
  assert.deepEqual(extractor.end(), { files: [{ path: '3', content: 'three\n' }], unclosed: [] });
  assert.throws(() => extractor.push('more'), /after end/);
});

test('a 1 MB file comes through byte-exact in any chunking', () => {
  const line = 'export const value_0123456789 = "<div>" + `</span>` + \'\\t\' + "é€😀";\n';
  const content = line.repeat(Math.ceil(1_000_000 / line.length));
  const reply = `Big one:\n<FILE path="big.ts">\n${content}</FILE>\nDone.\n`;
  const expected = { files: [{ path: 'big.ts', content }], unclosed: [] };
  assertExtracts(reply, expected, { everySplit: false });
  assert.deepEqual(extractChunks(randomChunks(reply, 99, 4096)), expected);
});

test('every split point of a long mixed reply agrees with the one-shot form', () => {
  const reply = [
    '<think>Let me plan. <FILE path="no">x</FILE></think>\n',
    'Plan done.\r\n',
    '<FILE lang="ts" path=\'src/a.ts\'>\r\n',
    'import type { B } from "./b.js";\r\n',
    'const a: Array<B> = [];\r\n',
    '</FILE>\r\n',
    '### FILE: src/b.ts\n\n```ts\nexport type B = { x: TRIPLE_BACKTICK };\n```\n',
    '<file path="Makefile">\n\tbuild:\n\t\ttsc\n</file>',
    '<FILE path="tail">\n\n  cut here',
  ].join('');
  assertExtracts(reply, {
    files: [
      { path: 'src/a.ts', content: 'import type { B } from "./b.js";\r\nconst a: Array<B> = [];\r\n' },
      { path: 'src/b.ts', content: 'export type B = { x: ``` };\n' },
      { path: 'Makefile', content: '\tbuild:\n\t\ttsc\n' },
    ],
    unclosed: [{ path: 'tail', bytes: 11 }],
  });
});

function assertFast(name: string, text: string, budgetMs: number): void {
  const started = performance.now();
  const oneShot = extractFiles(text);
  const chunked = extractChunks(randomChunks(text, 7, 64));
  const single = extractChunks(charChunks(text));
  const elapsed = performance.now() - started;
  assert.deepEqual(chunked, oneShot, name);
  assert.deepEqual(single, oneShot, name);
  assert.ok(elapsed < budgetMs, `${name}: took ${elapsed.toFixed(0)} ms, budget ${budgetMs} ms`);
}

test('pathological inputs finish fast in prose and inside a file body', () => {
  const cases: [string, string][] = [
    ['100k <', '<'.repeat(100_000)],
    ['100k <FILE without >', '<FILE'.repeat(100_000)],
    ['100k <FILE path= without >', '<FILE path="a" '.repeat(100_000)],
    ['one <FILE with a 100k attribute', '<FILE path="' + 'a'.repeat(100_000)],
    ['100k </FIL', '</FIL'.repeat(100_000)],
    ['100k <think without >', '<thin'.repeat(100_000)],
    ['100k # lines', '###\n'.repeat(100_000)],
    ['100k ### FILE headings', '### FILE: a\n'.repeat(100_000)],
    ['a 100k-space line', ' '.repeat(100_000)],
    ['100k backticks', '```'.repeat(100_000)],
    ['15k marker-like lines', '=======\n>>>>>>> REPLACE\n<<<<<<< SEARCH\n'.repeat(5_000)],
    ['100k <EDIT without >', '<EDIT'.repeat(100_000)],
    ['100k </EDI', '</EDI'.repeat(100_000)],
  ];
  // A guard against quadratic blow-ups (minutes at this size), not a speed figure (npm run bench measures that):
  // linear work takes about 1-3 s here on a loaded 2-core machine, so the budget leaves room for the load.
  const budgetMs = 15_000;
  for (const [name, body] of cases) {
    assertFast(`${name} in prose`, body, budgetMs);
    assertFast(`${name} in a file`, `<FILE path="x">\n${body}`, budgetMs);
    assertFast(`${name} in a fence`, `### FILE: x\n\`\`\`\n${body}`, budgetMs);
    assertFast(`${name} in an edit`, `<EDIT path="x">\n${body}`, budgetMs);
    assertFast(`${name} in a hunk`, `<EDIT path="x">\n<<<<<<< SEARCH\n${body}`, 3000);
  }
});

test('a 100k-deep nest of opening tags is content and is reported unclosed', () => {
  const body = '<FILE path="n">'.repeat(100_000) + '</FILE>'.repeat(99_999);
  const result = extractFiles(`<FILE path="outer">${body}`);
  assert.deepEqual(result.files, []);
  assert.deepEqual(result.unclosed, [{ path: 'outer', bytes: body.length }]);
  assert.deepEqual(extractFiles(`<FILE path="outer">${body}</FILE></FILE>`).files, [
    { path: 'outer', content: `${body}</FILE>` },
  ]);
});
