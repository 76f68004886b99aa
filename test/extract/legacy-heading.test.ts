import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFenceOpening, parseHeadingLine, probeHeading } from '../../src/extract/legacy-heading.js';

test('parseHeadingLine reads the path from ### FILE: headings', () => {
  assert.equal(parseHeadingLine('### FILE: src/a.ts'), 'src/a.ts');
  assert.equal(parseHeadingLine('## file:src/a.ts  \r'), 'src/a.ts');
  assert.equal(parseHeadingLine('   #### File: `my file.ts`'), 'my file.ts');
  assert.equal(parseHeadingLine('### FILE: ../x'), '../x');
  assert.equal(parseHeadingLine('### FILE:   '), null);
  assert.equal(parseHeadingLine('    ### FILE: indented-code'), null);
  assert.equal(parseHeadingLine('### Files: a'), null);
  assert.equal(parseHeadingLine('####### FILE: a'), null);
});

test('probeHeading only asks for more input while the line could still become a heading', () => {
  assert.equal(probeHeading('### FILE: a', 0), 'heading');
  assert.equal(probeHeading('### FI', 0), 'maybe');
  assert.equal(probeHeading('  #', 0), 'maybe');
  assert.equal(probeHeading('### Notes', 0), 'no');
  assert.equal(probeHeading('#\n', 0), 'no');
  assert.equal(probeHeading('text', 0), 'no');
});

test('parseFenceOpening follows CommonMark', () => {
  assert.deepEqual(parseFenceOpening('```ts'), { char: '`', length: 3, indent: 0 });
  assert.deepEqual(parseFenceOpening('  ~~~~ python {x}\r'), { char: '~', length: 4, indent: 2 });
  assert.deepEqual(parseFenceOpening('~~~ a`b'), { char: '~', length: 3, indent: 0 });
  assert.equal(parseFenceOpening('``` a`b'), null);
  assert.equal(parseFenceOpening('``'), null);
  assert.equal(parseFenceOpening('    ```'), null);
});
