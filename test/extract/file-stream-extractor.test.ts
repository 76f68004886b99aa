import { test } from 'node:test';
import { assertExtracts } from './replay.js';

const none = { unclosed: [] };

test('a realistic reply: several files with prose between, each ending with its last newline', () => {
  const reply = [
    "I'll create the module and its test.\n",
    '\n',
    '<FILE path="src/math/add.ts">\n',
    'export function add<T extends number>(a: T, b: T): number {\n',
    '  return a < b ? b + a : a + b;\n',
    '}\n',
    '</FILE>\n',
    '\n',
    'Now the test, which uses `<` and `</` in strings:\n',
    '<FILE path="test/math/add.test.ts">\n',
    "import { add } from '../../src/math/add.js';\n",
    "const html = '<div></div>' + '</FIL' + '<file';\n",
    '</FILE>\n',
    'Done. </FILE> stray closing tags in prose are ignored.\n',
  ].join('');
  assertExtracts(reply, {
    files: [
      {
        path: 'src/math/add.ts',
        content:
          'export function add<T extends number>(a: T, b: T): number {\n  return a < b ? b + a : a + b;\n}\n',
      },
      {
        path: 'test/math/add.test.ts',
        content:
          "import { add } from '../../src/math/add.js';\nconst html = '<div></div>' + '</FIL' + '<file';\n",
      },
    ],
    ...none,
  });
});

test('single-quoted paths, lower-case tags, extra attributes in any order, unquoted values', () => {
  const reply =
    "<file path='a.txt'>\nA\n</file>\n" +
    '<FILE lang="ts" path="b.ts" mode=\'new\'>\nB\n</FILE>\n' +
    '<File\tpath=c.js data-x="1">\nC\n</fIlE>\n';
  assertExtracts(reply, {
    files: [
      { path: 'a.txt', content: 'A\n' },
      { path: 'b.ts', content: 'B\n' },
      { path: 'c.js', content: 'C\n' },
    ],
    ...none,
  });
});

test('tags that are not file tags stay prose', () => {
  const reply =
    '<FILE lang="ts">\nno path\n</FILE>\n' +
    '<FILEpath="x">\n</FILE>\n' +
    '<FILE path="split\nacross lines">\n</FILE>\n' +
    '<FILE data-path="y">\n</FILE>\n';
  assertExtracts(reply, { files: [], unclosed: [] });
});

test('leading blank lines, indentation, tabs and trailing spaces survive exactly', () => {
  const content = '\n\n    indented\n\tall:\n\t\t$(CC) -o $@ $^\ntrailing   \n\n';
  assertExtracts(`<FILE path="Makefile">\n${content}</FILE>`, {
    files: [{ path: 'Makefile', content }],
    ...none,
  });
});

test('CRLF: the opening line ending is dropped, every content line ending is kept', () => {
  const reply = 'Intro\r\n<FILE path="win.bat">\r\n@echo off\r\n\r\necho hi\r\n</FILE>\r\nBye\r\n';
  assertExtracts(reply, { files: [{ path: 'win.bat', content: '@echo off\r\n\r\necho hi\r\n' }], ...none });
});

test('empty files, with and without a line between the tags', () => {
  const reply =
    '<FILE path="empty1"></FILE>\n<FILE path="empty2">\n</FILE>\n<FILE path="one-newline">\n\n</FILE>';
  assertExtracts(reply, {
    files: [
      { path: 'empty1', content: '' },
      { path: 'empty2', content: '' },
      { path: 'one-newline', content: '\n' },
    ],
    ...none,
  });
});

test('an inline close leaves no final newline; text after the opening tag on its line is content', () => {
  const reply =
    '<FILE path="a">x</FILE>\n<FILE path="b">  first line\nsecond</FILE>\n<FILE path="c">  \t\nc\n</FILE>';
  assertExtracts(reply, {
    files: [
      { path: 'a', content: 'x' },
      { path: 'b', content: '  first line\nsecond' },
      { path: 'c', content: 'c\n' },
    ],
    ...none,
  });
});

test('TRIPLE_BACKTICK placeholders become fences, in both formats', () => {
  const reply =
    '<FILE path="README.md">\n# Use\nTRIPLE_BACKTICKsh\nnpm i\nTRIPLE_BACKTICK\n</FILE>\n' +
    '### FILE: docs/a.md\n```md\nTRIPLE_BACKTICKts\nx\nTRIPLE_BACKTICK\n```\n';
  assertExtracts(reply, {
    files: [
      { path: 'README.md', content: '# Use\n```sh\nnpm i\n```\n' },
      { path: 'docs/a.md', content: '```ts\nx\n```\n' },
    ],
    ...none,
  });
});

test('the legacy format: a ### FILE: heading, blank lines, then a fenced block', () => {
  const reply = [
    'Here are the files.\n',
    '### FILE: src/a.ts\n',
    '```ts\n',
    'export const a = 1;\n',
    '```\n',
    'Some prose.\n',
    '## file: `src/b.py`\r\n',
    '\r\n',
    '~~~python\r\n',
    'print("hi")\r\n',
    '~~~\r\n',
    '### FILE: doc.md\n',
    '\n',
    '````markdown\n',
    '```js\n',
    'nested fence, shorter than the opening one\n',
    '```\n',
    '``` not a close: has text after it\n',
    '````   \n',
    '### FILE: last.txt\n',
    '```\n',
    'closed by the end of the reply\n',
    '```',
  ].join('');
  assertExtracts(reply, {
    files: [
      { path: 'src/a.ts', content: 'export const a = 1;\n' },
      { path: 'src/b.py', content: 'print("hi")\r\n' },
      {
        path: 'doc.md',
        content:
          '```js\nnested fence, shorter than the opening one\n```\n``` not a close: has text after it\n',
      },
      { path: 'last.txt', content: 'closed by the end of the reply\n' },
    ],
    ...none,
  });
});

test('legacy fences follow CommonMark: indented openings strip that much indentation, closings need ≥ the run', () => {
  const reply =
    '### FILE: a.txt\n  ```\n  two\n    four\n one\n  ``\n    ```\n   ```\nafter\n' +
    '### FILE: b.txt\n```\n\n  \n```\n';
  assertExtracts(reply, {
    files: [
      { path: 'a.txt', content: 'two\n  four\none\n``\n  ```\n' },
      { path: 'b.txt', content: '\n  \n' },
    ],
    ...none,
  });
});

test('a heading not followed by a fence is prose, and the line after it is read again', () => {
  const reply =
    '### FILE: orphan.ts\nsome words\n### FILE: also-orphan\n<FILE path="real.ts">\nok\n</FILE>\n### FILE:\n```\nx\n```\n';
  assertExtracts(reply, { files: [{ path: 'real.ts', content: 'ok\n' }], ...none });
});

test('an unclosed file at the end is reported with its byte count, never emitted', () => {
  const reply = '<FILE path="done.ts">\nok\n</FILE>\n<FILE path="cut.ts">\nconst é = "truncat';
  assertExtracts(reply, {
    files: [{ path: 'done.ts', content: 'ok\n' }],
    unclosed: [{ path: 'cut.ts', bytes: Buffer.byteLength('const é = "truncat') }],
  });
});

test('truncated in the middle of the closing tag: the partial tag counts as content received', () => {
  assertExtracts('<FILE path="a">\nabc\n</FI', { files: [], unclosed: [{ path: 'a', bytes: 8 }] });
  assertExtracts('<FILE path="a">   ', { files: [], unclosed: [{ path: 'a', bytes: 0 }] });
  assertExtracts('### FILE: b\n```\nabc\n``', { files: [], unclosed: [{ path: 'b', bytes: 6 }] });
});

test('a truncated opening tag or heading is not a file', () => {
  assertExtracts('prose <FILE path="a.ts"', { files: [], unclosed: [] });
  assertExtracts('### FILE: a.ts', { files: [], unclosed: [] });
});

test('paths are returned exactly as written: traversal, absolute, spaces and empty are the writer’s business', () => {
  const paths = ['../../etc/passwd', '/abs/file', 'C:\\win\\x.txt', ' spaced name .ts', '', 'a/./b/../c'];
  const reply = paths.map((path) => `<FILE path="${path}">\nx\n</FILE>\n`).join('');
  assertExtracts(reply, { files: paths.map((path) => ({ path, content: 'x\n' })), ...none });
});

test('an opening tag inside an open file nests: it is content and needs its own closing tag', () => {
  const inner = '<FILE path="example.ts">\nexample\n</FILE>\n';
  const reply = `<FILE path="docs/format.md">\nWrite files like this:\n\n${inner}\nThat is all.\n</FILE>\nAfter.\n`;
  assertExtracts(reply, {
    files: [{ path: 'docs/format.md', content: `Write files like this:\n\n${inner}\nThat is all.\n` }],
    ...none,
  });
});

test('an opening tag without its close swallows what follows: the outer file is reported unclosed', () => {
  const reply = '<FILE path="a.ts">\na\n<FILE path="b.ts">\nb\n</FILE>\n';
  assertExtracts(reply, {
    files: [],
    unclosed: [{ path: 'a.ts', bytes: Buffer.byteLength('a\n<FILE path="b.ts">\nb\n</FILE>\n') }],
  });
});

test('inside a file body, headings and think tags are plain content', () => {
  const content = '### FILE: not-a-file\n```\nx\n```\n<think>kept</think>\n';
  assertExtracts(`<FILE path="notes.md">\n${content}</FILE>`, {
    files: [{ path: 'notes.md', content }],
    ...none,
  });
});
