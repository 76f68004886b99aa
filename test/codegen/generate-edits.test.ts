import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generateFiles } from '../../src/codegen/generate-files.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let root: string;

before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 20_000 });
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-edits-')));
});
after(async () => {
  await simulator.close();
  await rm(root, { recursive: true, force: true });
});

function config() {
  return resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: simulator.baseUrl,
      SPEED_RUN_API_KEY: simulator.apiKey,
      SPEED_RUN_MODEL: 'gpt-oss-120b',
    },
    cwd: root,
  });
}

/** A project directory with one file in it. */
async function project(name: string, file: string, content: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), content);
  return dir;
}

function edit(file: string, ...hunks: [string, string][]): string {
  const body = hunks.map(
    ([search, replace]) => `<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`,
  );
  return `<EDIT path="${file}">\n${body.join('\n')}</EDIT>\n`;
}

test('an EDIT lands byte-exact in a CRLF file with tabs and no final newline', async () => {
  const original =
    'export function rate(): number {\r\n\treturn 1;\r\n}\r\n\r\n// keep\tthis\r\nexport const tail = 0;';
  const dir = await project('crlf', 'src/limiter.ts', original);
  simulator.enqueue({
    content: `Here is the change.\n${edit('src/limiter.ts', ['\treturn 1;\n', '\tconst r = 2;\n\treturn r;\n'])}`,
  });
  const result = await generateFiles(config(), {
    prompt: 'Make the rate 2.',
    outputDir: 'crlf',
    contextFiles: ['crlf/src/limiter.ts'],
  });
  const after = await readFile(path.join(dir, 'src/limiter.ts'), 'utf8');
  assert.equal(after, original.replace('\treturn 1;\r\n', '\tconst r = 2;\r\n\treturn r;\r\n'));
  assert.deepEqual(result.rejected, []);
  assert.deepEqual(
    result.files.map(({ path, status, hunks, added, removed }) => ({ path, status, hunks, added, removed })),
    [{ path: 'src/limiter.ts', status: 'edited', hunks: 1, added: 2, removed: 1 }],
  );
  // The prompt named the context file relative to the output directory, marked editable, and taught EDIT.
  const prompt = String(simulator.requests.at(-1)?.body.messages.at(-1).content);
  assert.match(prompt, /BEGIN CONTEXT FILE: src\/limiter\.ts \(editable\)/);
  assert.match(prompt, /<<<<<<< SEARCH/);
});

test('a hunk that does not match leaves the file untouched and says why; the other blocks still land', async () => {
  const original = 'const a = 1;\nconst b = 2;\n';
  const dir = await project('nomatch', 'a.ts', original);
  simulator.enqueue({
    content:
      edit('a.ts', ['const a = 1;\n', 'const a = 10;\n'], ['const b = 3;\n', 'const b = 30;\n']) +
      '<FILE path="new.ts">\nexport {};\n</FILE>\n',
  });
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'nomatch' });
  assert.equal(await readFile(path.join(dir, 'a.ts'), 'utf8'), original);
  assert.deepEqual(result.rejected, [
    {
      path: 'a.ts',
      reason:
        'EDIT hunk 2 of 2 refused: no match: its first SEARCH line "const b = 3;" is not in the file; file unchanged',
    },
  ]);
  assert.deepEqual(
    result.files.map((file) => file.path),
    ['new.ts'],
  );
});

test('a SEARCH that matches two places is refused with the count', async () => {
  const original = 'x();\ny();\nx();\n';
  const dir = await project('twice', 'calls.ts', original);
  simulator.enqueue({ content: edit('calls.ts', ['x();\n', 'z();\n']) });
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'twice' });
  assert.equal(await readFile(path.join(dir, 'calls.ts'), 'utf8'), original);
  assert.match(
    result.rejected[0]?.reason ?? '',
    /hunk 1 of 1 refused: its SEARCH matches 2 places; it must match one/,
  );
});

test('an EDIT of a file that is not there is refused; the output directory gains nothing', async () => {
  await mkdir(path.join(root, 'missing'), { recursive: true });
  simulator.enqueue({ content: edit('deep/gone.ts', ['a\n', 'b\n']) + edit('gone.ts', ['a\n', 'b\n']) });
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'missing' });
  assert.deepEqual(
    result.rejected.map((file) => file.reason),
    ['it does not exist; use FILE to create a file', 'it does not exist; use FILE to create a file'],
  );
  await assert.rejects(readFile(path.join(root, 'missing/deep/gone.ts')));
  assert.deepEqual(result.files, []);
});

test('an elided whole-file overwrite is refused and the original kept, unless allowed for the call', async () => {
  const original = Array.from({ length: 40 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  const dir = await project('elided', 'values.ts', original);
  const elided = '<FILE path="values.ts">\nexport const v0 = 100;\n// ... existing code ...\n</FILE>\n';
  simulator.enqueue({ content: elided });
  const refused = await generateFiles(config(), { prompt: 'x', outputDir: 'elided' });
  assert.equal(await readFile(path.join(dir, 'values.ts'), 'utf8'), original);
  assert.match(refused.rejected[0]?.reason ?? '', /^it looks elided: 2 lines replacing 40/);

  simulator.enqueue({ content: elided });
  const allowed = await generateFiles(config(), { prompt: 'x', outputDir: 'elided', allowElided: true });
  assert.equal(
    await readFile(path.join(dir, 'values.ts'), 'utf8'),
    'export const v0 = 100;\n// ... existing code ...\n',
  );
  assert.deepEqual(
    allowed.files.map(({ status, added, removed }) => ({ status, added, removed })),
    [{ status: 'overwritten', added: 2, removed: 40 }],
  );
});
