import assert from 'node:assert/strict';
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
  chmod,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SafeFileWriter, countLines, type WriteLimits } from '../../src/write/safe-file-writer.js';
import { isTempFileName } from '../../src/write/temp-files.js';

const roomy: WriteLimits = { maxFiles: 100, maxFileBytes: 2 * 1024 * 1024, maxTotalBytes: 10 * 1024 * 1024 };

let base: string;
let out: string;
let outside: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'speed-run-writer-')));
  out = path.join(base, 'out');
  outside = path.join(base, 'outside');
  await mkdir(out);
  await mkdir(outside);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted; symlinks listed but not followed. */
async function listAll(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function tempFilesIn(dir: string): Promise<string[]> {
  return (await listAll(dir)).filter((file) => isTempFileName(path.basename(file)) || file.endsWith('.tmp'));
}

describe('SafeFileWriter: writing', () => {
  test('creates files and parent directories, reporting lines, bytes and status', async () => {
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({
      path: 'src/deep/index.ts',
      content: 'export const a = 1;\nexport const b = 2;\n',
    });
    assert.deepEqual(outcome, {
      written: true,
      path: 'src/deep/index.ts',
      lines: 2,
      bytes: 40,
      status: 'created',
    });
    assert.equal(
      await readFile(path.join(out, 'src/deep/index.ts'), 'utf8'),
      'export const a = 1;\nexport const b = 2;\n',
    );
    assert.deepEqual(writer.written, [{ path: 'src/deep/index.ts', lines: 2, bytes: 40, status: 'created' }]);
    assert.deepEqual(writer.rejected, []);
    assert.equal(writer.limitReached, null);
  });

  test('reports overwritten for a file that existed, and keeps its mode', async () => {
    await writeFile(path.join(out, 'run.sh'), 'old\n');
    await chmod(path.join(out, 'run.sh'), 0o755);
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'run.sh', content: '#!/bin/sh\necho hi\n' });
    assert.equal(outcome.written && outcome.status, 'overwritten');
    assert.equal(await readFile(path.join(out, 'run.sh'), 'utf8'), '#!/bin/sh\necho hi\n');
    assert.equal((await stat(path.join(out, 'run.sh'))).mode & 0o777, 0o755);
  });

  test('normalises the reported path', async () => {
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: './a//b.txt', content: 'x' });
    assert.equal(outcome.path, 'a/b.txt');
    assert.equal(await readFile(path.join(out, 'a/b.txt'), 'utf8'), 'x');
  });

  test('preserves CRLF, tabs, lone CR, BOM and unicode byte-exact', async () => {
    const content = '\uFEFFline one\r\n\tindented\r\nmixed\nold mac\rend\u00e9🚀';
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'crlf.txt', content });
    const onDisk = await readFile(path.join(out, 'crlf.txt'));
    assert.deepEqual(onDisk, Buffer.from(content, 'utf8'));
    assert.equal(outcome.written && outcome.bytes, Buffer.byteLength(content, 'utf8'));
    assert.equal(outcome.written && outcome.lines, 5);
  });

  test('writes a 1 MB file whole', async () => {
    const content = 'abcdefghijklmno\n'.repeat(65536);
    assert.equal(content.length, 1024 * 1024);
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'big/one-mb.txt', content });
    assert.equal(outcome.written && outcome.bytes, 1024 * 1024);
    assert.equal(outcome.written && outcome.lines, 65536);
    assert.equal((await stat(path.join(out, 'big/one-mb.txt'))).size, 1024 * 1024);
    assert.deepEqual(await tempFilesIn(out), []);
  });

  test('writes an empty file with zero lines', async () => {
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'empty.txt', content: '' });
    assert.deepEqual(outcome, { written: true, path: 'empty.txt', lines: 0, bytes: 0, status: 'created' });
    assert.equal((await stat(path.join(out, 'empty.txt'))).size, 0);
  });

  test('leaves no temp files after success', async () => {
    const writer = new SafeFileWriter(out, roomy);
    for (let i = 0; i < 5; i++) await writer.write({ path: `f${i}.ts`, content: `// ${i}\n` });
    await writer.write({ path: 'f0.ts', content: 'again\n' });
    assert.deepEqual(await tempFilesIn(out), []);
    assert.deepEqual(await listAll(out), ['f0.ts', 'f1.ts', 'f2.ts', 'f3.ts', 'f4.ts']);
  });

  test('a name near the length limit still gets a temp file that fits', async () => {
    const name = `${'n'.repeat(250)}.ts`;
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: name, content: 'ok' });
    assert.equal(outcome.written, true, JSON.stringify(outcome));
    assert.equal(await readFile(path.join(out, name), 'utf8'), 'ok');
  });

  test('writes unicode file names', async () => {
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'données/été.md', content: '# été\n' });
    assert.equal(outcome.written, true);
    assert.equal(await readFile(path.join(out, 'données/été.md'), 'utf8'), '# été\n');
  });
});

describe('SafeFileWriter: the output directory itself', () => {
  test('an output directory given through a symlink still works', async () => {
    await symlink(out, path.join(base, 'out-link'), 'dir');
    const writer = new SafeFileWriter(path.join(base, 'out-link'), roomy);
    const outcome = await writer.write({ path: 'a/b.txt', content: 'x' });
    assert.equal(outcome.written, true, JSON.stringify(outcome));
    assert.equal(await readFile(path.join(out, 'a/b.txt'), 'utf8'), 'x');
  });

  test('a missing output directory refuses every file and creates nothing', async () => {
    const writer = new SafeFileWriter(path.join(base, 'gone'), roomy);
    const outcome = await writer.write({ path: 'a.txt', content: 'x' });
    assert.equal(outcome.written, false);
    assert.match(!outcome.written ? outcome.reason : '', /output directory .*gone is not usable \(ENOENT\)/);
    await assert.rejects(stat(path.join(base, 'gone')), { code: 'ENOENT' });
  });
});

describe('SafeFileWriter: the same path twice', () => {
  test('the second write wins, one entry is kept and the original status stays', async () => {
    const writer = new SafeFileWriter(out, { ...roomy, maxFiles: 1 });
    await writer.write({ path: 'a.ts', content: 'first\n' });
    const second = await writer.write({ path: './a.ts', content: 'second\nversion\n' });
    assert.deepEqual(second, { written: true, path: 'a.ts', lines: 2, bytes: 15, status: 'created' });
    assert.deepEqual(writer.written, [{ path: 'a.ts', lines: 2, bytes: 15, status: 'created' }]);
    assert.equal(await readFile(path.join(out, 'a.ts'), 'utf8'), 'second\nversion\n');
    assert.equal(writer.limitReached, null, 'rewriting a path does not count as another file');
  });

  test('a pre-existing file written twice stays "overwritten"', async () => {
    await writeFile(path.join(out, 'a.ts'), 'original');
    const writer = new SafeFileWriter(out, roomy);
    await writer.write({ path: 'a.ts', content: 'one' });
    const second = await writer.write({ path: 'a.ts', content: 'two' });
    assert.equal(second.written && second.status, 'overwritten');
  });

  test('the total counts only the latest content of a path', async () => {
    const writer = new SafeFileWriter(out, { ...roomy, maxTotalBytes: 10 });
    await writer.write({ path: 'a.txt', content: '12345678' });
    const again = await writer.write({ path: 'a.txt', content: '123456789' });
    assert.equal(again.written, true);
    const other = await writer.write({ path: 'b.txt', content: '1' });
    assert.equal(other.written, true);
    const tooMuch = await writer.write({ path: 'c.txt', content: '1' });
    assert.equal(tooMuch.written, false);
  });

  test('a later successful write clears an earlier refusal of the same path', async () => {
    const writer = new SafeFileWriter(out, { ...roomy, maxFileBytes: 3 });
    await writer.write({ path: 'a.txt', content: 'too long' });
    assert.equal(writer.rejected.length, 1);
    await writer.write({ path: './a.txt', content: 'ok' });
    assert.deepEqual(writer.rejected, []);
    assert.deepEqual(
      writer.written.map((file) => file.path),
      ['a.txt'],
    );
  });
});

describe('SafeFileWriter: path policy and symlinks', () => {
  test('refuses unsafe paths with the policy reason and writes nothing', async () => {
    const writer = new SafeFileWriter(out, roomy);
    for (const bad of [
      '../escape.txt',
      '/etc/passwd',
      'a/../../x',
      'C:\\x',
      '~/x',
      'a\0b',
      '.git/hooks/pre-commit',
    ]) {
      const outcome = await writer.write({ path: bad, content: 'pwned' });
      assert.equal(outcome.written, false, bad);
      assert.equal(outcome.path, bad);
    }
    assert.equal(writer.rejected.length, 7);
    assert.deepEqual(await listAll(out), []);
    assert.deepEqual(await listAll(base), []);
  });

  test('refuses a symlinked directory that leads outside, writing nothing there', async () => {
    await symlink(outside, path.join(out, 'link'), 'dir');
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'link/pwned.txt', content: 'x' });
    assert.equal(outcome.written, false);
    assert.match(
      !outcome.written ? outcome.reason : '',
      /"link" is a symbolic link to .*outside the output directory/,
    );
    const deeper = await writer.write({ path: 'link/new/dir/pwned.txt', content: 'x' });
    assert.equal(deeper.written, false);
    assert.deepEqual(await readdir(outside), []);
  });

  test('refuses a symlink deeper in the chain that leads outside', async () => {
    await mkdir(path.join(out, 'a/b'), { recursive: true });
    await symlink('../../../outside', path.join(out, 'a/b/c'), 'dir');
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'a/b/c/d/pwned.txt', content: 'x' });
    assert.equal(outcome.written, false);
    assert.match(!outcome.written ? outcome.reason : '', /"a\/b\/c" is a symbolic link/);
    assert.deepEqual(await readdir(outside), []);
  });

  test('refuses a dangling directory symlink', async () => {
    await symlink(path.join(outside, 'not-yet'), path.join(out, 'dangling'), 'dir');
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'dangling/x.txt', content: 'x' });
    assert.equal(outcome.written, false);
    assert.match(!outcome.written ? outcome.reason : '', /target does not exist/);
    assert.deepEqual(await readdir(outside), []);
  });

  test('follows a symlinked directory that stays inside the output directory', async () => {
    await mkdir(path.join(out, 'real'));
    await symlink('real', path.join(out, 'alias'), 'dir');
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'alias/sub/file.txt', content: 'inside' });
    assert.equal(outcome.written, true);
    assert.equal(outcome.path, 'alias/sub/file.txt');
    assert.equal(await readFile(path.join(out, 'real/sub/file.txt'), 'utf8'), 'inside');
  });

  test('refuses a target that is itself a symlink, even one pointing inside', async () => {
    await writeFile(path.join(outside, 'victim.txt'), 'precious');
    await symlink(path.join(outside, 'victim.txt'), path.join(out, 'escape.txt'));
    await writeFile(path.join(out, 'real.txt'), 'real');
    await symlink('real.txt', path.join(out, 'inner.txt'));
    const writer = new SafeFileWriter(out, roomy);

    const escape = await writer.write({ path: 'escape.txt', content: 'pwned' });
    assert.equal(escape.written, false);
    assert.match(!escape.written ? escape.reason : '', /symbolic link/);
    assert.equal(await readFile(path.join(outside, 'victim.txt'), 'utf8'), 'precious');
    assert.ok((await lstat(path.join(out, 'escape.txt'))).isSymbolicLink());

    const inner = await writer.write({ path: 'inner.txt', content: 'changed' });
    assert.equal(inner.written, false);
    assert.equal(await readFile(path.join(out, 'real.txt'), 'utf8'), 'real');
  });

  test('a hard link to an outside file is replaced, not written through', async () => {
    const { link } = await import('node:fs/promises');
    await writeFile(path.join(outside, 'victim.txt'), 'precious');
    await link(path.join(outside, 'victim.txt'), path.join(out, 'hard.txt'));
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'hard.txt', content: 'new' });
    assert.equal(outcome.written && outcome.status, 'overwritten');
    assert.equal(await readFile(path.join(outside, 'victim.txt'), 'utf8'), 'precious');
    assert.equal(await readFile(path.join(out, 'hard.txt'), 'utf8'), 'new');
  });

  test('refuses when a parent path is a file', async () => {
    await writeFile(path.join(out, 'file'), 'x');
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'file/child.txt', content: 'x' });
    assert.equal(outcome.written, false);
    assert.match(!outcome.written ? outcome.reason : '', /"file" exists and is not a directory/);
  });

  test('refuses an existing directory at the target and leaves no temp file', async () => {
    await mkdir(path.join(out, 'taken/inner'), { recursive: true });
    const writer = new SafeFileWriter(out, roomy);
    const outcome = await writer.write({ path: 'taken', content: 'x' });
    assert.equal(outcome.written, false);
    assert.match(!outcome.written ? outcome.reason : '', /directory already exists/);
    assert.deepEqual(await tempFilesIn(out), []);
    assert.ok((await stat(path.join(out, 'taken'))).isDirectory());
  });
});

describe('SafeFileWriter: failures mid-write', () => {
  test('a failed rename removes the temp file and leaves the target untouched', async () => {
    await writeFile(path.join(out, 'keep.txt'), 'original');
    const writer = new SafeFileWriter(out, roomy, {
      rename: async () => {
        throw Object.assign(new Error('injected'), { code: 'EIO' });
      },
    });
    const outcome = await writer.write({ path: 'keep.txt', content: 'replacement' });
    assert.equal(outcome.written, false);
    assert.match(!outcome.written ? outcome.reason : '', /could not be written \(EIO\).*unchanged/);
    assert.equal(await readFile(path.join(out, 'keep.txt'), 'utf8'), 'original');
    assert.deepEqual(await listAll(out), ['keep.txt']);

    const fresh = await writer.write({ path: 'new/file.txt', content: 'x' });
    assert.equal(fresh.written, false);
    assert.deepEqual(await tempFilesIn(out), []);
    assert.deepEqual(writer.written, []);
  });

  test('a real rename failure (a directory appears at the target) leaves no temp file', async () => {
    const target = path.join(out, 'race.txt');
    const writer = new SafeFileWriter(out, roomy, {
      rename: async (from, to) => {
        // The directory appears between the checks and the rename, as another process might do it.
        await mkdir(path.join(target, 'inner'), { recursive: true });
        const { rename } = await import('node:fs/promises');
        await rename(from, to);
      },
    });
    const outcome = await writer.write({ path: 'race.txt', content: 'x' });
    assert.equal(outcome.written, false);
    assert.deepEqual(await tempFilesIn(out), []);
    assert.ok((await stat(target)).isDirectory());
  });
});

describe('SafeFileWriter: limits', () => {
  test('maxFiles: the file after the limit is refused, naming SPEED_RUN_MAX_FILES', async () => {
    const writer = new SafeFileWriter(out, { ...roomy, maxFiles: 2 });
    assert.equal((await writer.write({ path: 'a', content: 'a' })).written, true);
    assert.equal((await writer.write({ path: 'b', content: 'b' })).written, true);
    const third = await writer.write({ path: 'c', content: 'c' });
    assert.equal(third.written, false);
    assert.match(!third.written ? third.reason : '', /SPEED_RUN_MAX_FILES/);
    assert.match(writer.limitReached ?? '', /file limit of 2 files \(SPEED_RUN_MAX_FILES\)/);
    assert.deepEqual(await listAll(out), ['a', 'b']);
  });

  test('maxFileBytes: a file over it is refused, smaller ones after it still written', async () => {
    const writer = new SafeFileWriter(out, { ...roomy, maxFileBytes: 4 });
    const big = await writer.write({ path: 'big.txt', content: 'hello' });
    assert.equal(big.written, false);
    assert.match(
      !big.written ? big.reason : '',
      /5 bytes is over the per-file limit of 4 bytes \(SPEED_RUN_MAX_FILE_BYTES\)/,
    );
    assert.match(writer.limitReached ?? '', /SPEED_RUN_MAX_FILE_BYTES/);
    assert.equal(
      (await writer.write({ path: 'ok.txt', content: 'éé!' })).written,
      false,
      'bytes, not characters',
    );
    assert.equal((await writer.write({ path: 'ok.txt', content: 'hey' })).written, true);
    assert.deepEqual(await listAll(out), ['ok.txt']);
  });

  test('maxTotalBytes: the file that would cross it is refused, naming SPEED_RUN_MAX_TOTAL_BYTES', async () => {
    const writer = new SafeFileWriter(out, { ...roomy, maxTotalBytes: 10 });
    assert.equal((await writer.write({ path: 'a', content: '123456' })).written, true);
    const b = await writer.write({ path: 'b', content: '12345' });
    assert.equal(b.written, false);
    assert.match(
      !b.written ? b.reason : '',
      /total to 11 bytes, over the limit of 10 bytes \(SPEED_RUN_MAX_TOTAL_BYTES\)/,
    );
    assert.match(writer.limitReached ?? '', /SPEED_RUN_MAX_TOTAL_BYTES/);
    assert.equal((await writer.write({ path: 'c', content: '1234' })).written, true, 'exactly at the limit');
  });

  test('limitReached keeps the first limit that was hit', async () => {
    const writer = new SafeFileWriter(out, { maxFiles: 1, maxFileBytes: 2, maxTotalBytes: 100 });
    await writer.write({ path: 'big', content: 'xxx' });
    await writer.write({ path: 'a', content: 'x' });
    await writer.write({ path: 'b', content: 'x' });
    assert.match(writer.limitReached ?? '', /SPEED_RUN_MAX_FILE_BYTES/);
  });

  test('invalid limits and a relative output directory are configuration errors', () => {
    assert.throws(() => new SafeFileWriter(out, { ...roomy, maxFiles: Number.NaN }), { kind: 'config' });
    assert.throws(() => new SafeFileWriter('relative/dir', roomy), { kind: 'invalid_input' });
  });
});

describe('SafeFileWriter: concurrency', () => {
  test('concurrent writes are serialised and all land', async () => {
    const writer = new SafeFileWriter(out, roomy);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        writer.write({ path: `dir${i % 4}/f${i}.txt`, content: `${i}\n` }),
      ),
    );
    assert.ok(outcomes.every((outcome) => outcome.written));
    assert.equal(writer.written.length, 40);
    assert.deepEqual(
      writer.written.map((file) => file.path),
      Array.from({ length: 40 }, (_, i) => `dir${i % 4}/f${i}.txt`),
      'reported in call order',
    );
    assert.deepEqual(await tempFilesIn(out), []);
  });

  test('concurrent writes to one path end with the last call’s content', async () => {
    const writer = new SafeFileWriter(out, roomy);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => writer.write({ path: 'same.txt', content: `v${i}` })),
    );
    assert.equal(await readFile(path.join(out, 'same.txt'), 'utf8'), 'v19');
    assert.deepEqual(writer.written, [{ path: 'same.txt', lines: 1, bytes: 3, status: 'created' }]);
  });

  test('concurrent writes respect maxFiles exactly', async () => {
    const writer = new SafeFileWriter(out, { ...roomy, maxFiles: 5 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => writer.write({ path: `f${i}`, content: 'x' })));
    assert.equal(writer.written.length, 5);
    assert.equal(writer.rejected.length, 7);
    assert.equal((await listAll(out)).length, 5);
  });
});

describe('countLines', () => {
  test('counts lines the way an editor does', () => {
    assert.equal(countLines(''), 0);
    assert.equal(countLines('a'), 1);
    assert.equal(countLines('a\n'), 1);
    assert.equal(countLines('a\nb'), 2);
    assert.equal(countLines('a\nb\n'), 2);
    assert.equal(countLines('\n'), 1);
    assert.equal(countLines('\n\n'), 2);
    assert.equal(countLines('a\r\nb\r\n'), 2);
    assert.equal(countLines('a\rb'), 2);
    assert.equal(countLines('a\n\nb'), 3);
  });
});
