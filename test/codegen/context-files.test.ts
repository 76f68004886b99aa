import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { readContextFiles } from '../../src/codegen/context-files.js';
import { SpeedRunError } from '../../src/errors.js';

let base: string;
let project: string;
let outside: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'speed-run-context-')));
  project = path.join(base, 'project');
  outside = path.join(base, 'outside');
  await mkdir(path.join(project, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(project, 'src/a.ts'), 'export const a = 1;\n');
  await writeFile(path.join(project, 'src/b.ts'), 'export const b = "é";\n');
  await writeFile(path.join(project, '.env'), 'API_KEY=sk-live-123\n');
  await writeFile(path.join(outside, 'secret.txt'), 'outside\n');
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function read(paths: string[], extra: { allowSecrets?: boolean; maxBytes?: number } = {}) {
  return readContextFiles(paths, { cwd: project, allowedRoots: [project], ...extra });
}

function refusal(kind: string, pattern: RegExp) {
  return (error: unknown): true => {
    assert.ok(error instanceof SpeedRunError, String(error));
    assert.equal(error.kind, kind);
    assert.equal(error.field, 'context_files');
    assert.match(error.message, pattern);
    assert.ok(error.hint, 'says what to do');
    return true;
  };
}

describe('readContextFiles', () => {
  test('reads files inside a root, keeping the path as given and counting bytes', async () => {
    const files = await read(['src/a.ts', path.join(project, 'src/b.ts')]);
    assert.deepEqual(files, [
      { path: 'src/a.ts', content: 'export const a = 1;\n', bytes: 20 },
      { path: path.join(project, 'src/b.ts'), content: 'export const b = "é";\n', bytes: 23 },
    ]);
  });

  test('an empty list reads nothing', async () => {
    assert.deepEqual(await read([]), []);
  });

  test('the same file named twice is read once', async () => {
    const files = await read(['src/a.ts', './src/a.ts', path.join(project, 'src/a.ts')]);
    assert.equal(files.length, 1);
  });

  test('refuses a file outside the roots, by absolute or relative path', async () => {
    await assert.rejects(
      read([path.join(outside, 'secret.txt')]),
      refusal('path_rejected', /outside the allowed/),
    );
    await assert.rejects(
      read(['../outside/secret.txt']),
      refusal('path_rejected', /"\.\.\/outside\/secret\.txt"/),
    );
  });

  test('refuses a prefix-colliding sibling directory', async () => {
    await mkdir(`${project}-evil`);
    await writeFile(path.join(`${project}-evil`, 'x.ts'), 'x');
    await assert.rejects(read([path.join(`${project}-evil`, 'x.ts')]), refusal('path_rejected', /outside/));
  });

  test('refuses a symlink inside a root that points outside, naming where it leads', async () => {
    await symlink(path.join(outside, 'secret.txt'), path.join(project, 'innocent.txt'));
    await symlink(outside, path.join(project, 'linkdir'), 'dir');
    await assert.rejects(read(['innocent.txt']), refusal('path_rejected', /→ .*outside\/secret\.txt/));
    await assert.rejects(read(['linkdir/secret.txt']), refusal('path_rejected', /outside the allowed/));
  });

  test('follows a symlink that stays inside', async () => {
    await symlink('src/a.ts', path.join(project, 'alias.ts'));
    const files = await read(['alias.ts']);
    assert.equal(files[0]?.content, 'export const a = 1;\n');
  });

  test('refuses secret-looking files unless allowSecrets, and the message never includes the content', async () => {
    await assert.rejects(read(['.env']), (error: unknown) => {
      refusal('path_rejected', /"\.env" was not sent to the model: it is an environment file/)(error);
      assert.ok(!(error as Error).message.includes('sk-live'));
      assert.match(
        (error as SpeedRunError).hint ?? '',
        /allow_secret_context: true; CLI --allow-secret-context/,
      );
      return true;
    });
    const files = await read(['.env'], { allowSecrets: true });
    assert.equal(files[0]?.content, 'API_KEY=sk-live-123\n');
  });

  test('a harmless-looking symlink to a secret file is still refused', async () => {
    await symlink('.env', path.join(project, 'notes.txt'));
    await assert.rejects(read(['notes.txt']), refusal('path_rejected', /environment file/));
  });

  test('refuses a directory', async () => {
    await assert.rejects(read(['src']), refusal('invalid_input', /"src" is a directory/));
  });

  test('a missing file says where it looked', async () => {
    await assert.rejects(
      read(['src/missing.ts']),
      refusal(
        'invalid_input',
        new RegExp(`"src/missing.ts" was not found \\(looked for ${path.join(project, 'src/missing.ts')}\\)`),
      ),
    );
    await assert.rejects(read(['src/a.ts/child']), refusal('invalid_input', /was not found/));
  });

  test('a missing file outside the roots is reported as outside, not as missing', async () => {
    await assert.rejects(read([path.join(outside, 'nope.txt')]), refusal('path_rejected', /outside/));
  });

  test('refuses a FIFO without blocking on it', { skip: process.platform === 'win32' }, async () => {
    execFileSync('mkfifo', [path.join(project, 'pipe')]);
    await assert.rejects(read(['pipe']), refusal('invalid_input', /not a regular file/));
  });

  test('refuses binary files', async () => {
    await writeFile(path.join(project, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await assert.rejects(read(['image.png']), refusal('invalid_input', /looks binary/));
  });

  test('bounds the total size, counting earlier files', async () => {
    await writeFile(path.join(project, 'big.txt'), 'x'.repeat(100));
    await assert.rejects(
      read(['big.txt'], { maxBytes: 99 }),
      refusal('limit', /\(100 bytes\).*limit of 99 bytes\./),
    );
    assert.equal((await read(['big.txt'], { maxBytes: 100 }))[0]?.bytes, 100);
    await assert.rejects(
      read(['src/a.ts', 'big.txt'], { maxBytes: 110 }),
      refusal('limit', /"big.txt".*20 bytes already used/),
    );
  });

  test('the default limit is 512 KiB', async () => {
    await writeFile(path.join(project, 'huge.txt'), 'x'.repeat(512 * 1024 + 1));
    await assert.rejects(read(['huge.txt']), refusal('limit', /524288 bytes/));
    await writeFile(path.join(project, 'fits.txt'), 'x'.repeat(512 * 1024));
    assert.equal((await read(['fits.txt']))[0]?.bytes, 512 * 1024);
  });

  test('refuses empty and NUL-bearing paths', async () => {
    await assert.rejects(read(['']), refusal('invalid_input', /empty/));
    await assert.rejects(read(['src/a.ts\0.png']), refusal('path_rejected', /NUL/));
  });

  test('with no existing roots nothing is read', async () => {
    await assert.rejects(
      readContextFiles(['src/a.ts'], { cwd: project, allowedRoots: [path.join(base, 'missing')] }),
      refusal('path_rejected', /outside/),
    );
  });
});
