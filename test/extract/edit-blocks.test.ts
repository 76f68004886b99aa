import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileStreamExtractor, isEdit } from '../../src/extract/file-stream-extractor.js';
import { assertExtracts, charChunks } from './replay.js';

test('an EDIT block yields its hunks byte-exact, beside FILE blocks, in reply order', () => {
  const reply = [
    'I will change the limiter.\n',
    '<EDIT path="src/limiter.ts">\n',
    '<<<<<<< SEARCH\n',
    '\tconst rate = 1;\r\n',
    '  return rate;  \n',
    '=======\n',
    '\tconst rate = 2;\r\n',
    '>>>>>>> REPLACE\n',
    '\n',
    '<<<<<<< SEARCH\n',
    'old();\n',
    '=======\n',
    '>>>>>>> REPLACE\n',
    '</EDIT>\n',
    '<FILE path="src/new.ts">\nexport {};\n</FILE>\n',
  ].join('');
  assertExtracts(reply, {
    files: [
      {
        path: 'src/limiter.ts',
        hunks: [
          { search: '\tconst rate = 1;\r\n  return rate;  \n', replace: '\tconst rate = 2;\r\n' },
          { search: 'old();\n', replace: '' },
        ],
      },
      { path: 'src/new.ts', content: 'export {};\n' },
    ],
    unclosed: [],
  });
});

test('inside a hunk, </EDIT> and <FILE> text are content; the marker forms models use are accepted', () => {
  const reply = [
    "<edit path='a.md'>\r\n",
    '<<<<<<<SEARCH\r\n',
    'see </EDIT> and <FILE path="x">\r\n',
    '=========\r\n',
    'see the tags\r\n',
    '>>>>>>> replace  \r\n',
    '</edit>',
  ].join('');
  assertExtracts(reply, {
    files: [
      {
        path: 'a.md',
        hunks: [{ search: 'see </EDIT> and <FILE path="x">\r\n', replace: 'see the tags\r\n' }],
      },
    ],
    unclosed: [],
  });
});

test('a long content line and a fenced hunk come through in any chunking', () => {
  const long = `const s = "${'x'.repeat(300)} </EDIT> ";\n`;
  const reply =
    `<EDIT path="long.ts">\n\`\`\`ts\n<<<<<<< SEARCH\n${long}=======\n${long}// more\n` +
    '>>>>>>> REPLACE\n```\n</EDIT>';
  assertExtracts(reply, {
    files: [{ path: 'long.ts', hunks: [{ search: long, replace: `${long}// more\n` }] }],
    unclosed: [],
  });
});

test('malformed blocks are emitted with the reason, never as a partial edit', () => {
  assertExtracts('<EDIT path="a">\n<<<<<<< SEARCH\nx\n</EDIT>\n<FILE path="b">b</FILE>', {
    files: [
      { path: 'a', hunks: [], malformed: 'hunk 1 is not closed by a >>>>>>> REPLACE line' },
      { path: 'b', content: 'b' },
    ],
    unclosed: [],
  });
  assertExtracts('<EDIT path="a">\n<<<<<<< SEARCH\nx\n>>>>>>> REPLACE\n</EDIT>', {
    files: [{ path: 'a', hunks: [], malformed: 'hunk 1 has no ======= line between SEARCH and REPLACE' }],
    unclosed: [],
  });
  assertExtracts('<EDIT path="a">\nno hunks here\n</EDIT>', {
    files: [{ path: 'a', hunks: [], malformed: 'the block holds no <<<<<<< SEARCH hunk' }],
    unclosed: [],
  });
});

test('an EDIT cut off by the end of the stream is unclosed, with the bytes received', () => {
  assertExtracts('<EDIT path="a.ts">\n<<<<<<< SEARCH\nabc\n=======\nde', {
    files: [],
    unclosed: [{ path: 'a.ts', bytes: 6 }],
  });
  assertExtracts('<EDIT path="a.ts">\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n</EDI', {
    files: [],
    unclosed: [{ path: 'a.ts', bytes: 4 }],
  });
});

test('each edit is emitted by the push that delivers the last character of its closing tag', () => {
  const reply = '<EDIT path="e">\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n</EDIT>\ntail';
  const extractor = new FileStreamExtractor();
  const at: number[] = [];
  charChunks(reply).forEach((chunk, index) => {
    for (const block of extractor.push(chunk)) if (isEdit(block)) at.push(index);
  });
  assert.deepEqual(at, [reply.indexOf('</EDIT>') + 6]);
});
