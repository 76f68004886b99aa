import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SpeedRunError } from '../../src/errors.js';
import { parseAllowedDirs, resolveOutputDir } from '../../src/write/allowed-roots.js';

let base: string;
let project: string;
let outside: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'speed-run-roots-')));
  project = path.join(base, 'project');
  outside = path.join(base, 'outside');
  await mkdir(project);
  await mkdir(outside);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function assertRejected(error: unknown): true {
  assert.ok(error instanceof SpeedRunError, String(error));
  assert.equal(error.kind, 'path_rejected');
  assert.equal(error.field, 'output_dir');
  assert.match(error.hint ?? '', /SPEED_RUN_ALLOWED_DIRS/);
  return true;
}

describe('parseAllowedDirs', () => {
  test('undefined and empty give no directories', () => {
    assert.deepEqual(parseAllowedDirs(undefined, '/cwd'), []);
    assert.deepEqual(parseAllowedDirs('', '/cwd'), []);
    assert.deepEqual(parseAllowedDirs(`${path.delimiter} ${path.delimiter}`, '/cwd'), []);
  });

  test('splits on path.delimiter, resolves against cwd, trims and de-duplicates', () => {
    const value = ['/abs/one', 'rel/two', ' ../three ', '/abs/one', './rel/two/'].join(path.delimiter);
    assert.deepEqual(parseAllowedDirs(value, '/work/cwd'), ['/abs/one', '/work/cwd/rel/two', '/work/three']);
  });

  test('expands a leading ~ to the home directory', () => {
    assert.deepEqual(parseAllowedDirs(`~${path.delimiter}~/code`, '/cwd'), [
      os.homedir(),
      path.join(os.homedir(), 'code'),
    ]);
  });

  test('drops entries with NUL bytes', () => {
    assert.deepEqual(parseAllowedDirs(`/ok${path.delimiter}/bad\0`, '/cwd'), ['/ok']);
  });
});

describe('resolveOutputDir', () => {
  test('accepts an existing directory inside a root and returns its real path', async () => {
    await mkdir(path.join(project, 'out'));
    const resolved = await resolveOutputDir('out', { cwd: project, allowedRoots: [project] });
    assert.equal(resolved, path.join(project, 'out'));
  });

  test('accepts the root itself', async () => {
    assert.equal(await resolveOutputDir('.', { cwd: project, allowedRoots: [project] }), project);
    assert.equal(await resolveOutputDir(project, { cwd: '/', allowedRoots: [project] }), project);
  });

  test('creates a missing directory (recursively) after the check', async () => {
    const resolved = await resolveOutputDir('gen/a/b', { cwd: project, allowedRoots: [project] });
    assert.equal(resolved, path.join(project, 'gen/a/b'));
    assert.ok((await stat(resolved)).isDirectory());
  });

  test('resolves relative paths against cwd, including ones that climb back in', async () => {
    const cwd = path.join(project, 'sub');
    await mkdir(cwd);
    const resolved = await resolveOutputDir('../out', { cwd, allowedRoots: [project] });
    assert.equal(resolved, path.join(project, 'out'));
  });

  test('accepts an absolute path inside any of several roots', async () => {
    const resolved = await resolveOutputDir(path.join(outside, 'x'), {
      cwd: project,
      allowedRoots: [project, outside],
    });
    assert.equal(resolved, path.join(outside, 'x'));
  });

  test('refuses a directory outside every root and creates nothing', async () => {
    await assert.rejects(
      resolveOutputDir(path.join(outside, 'new'), { cwd: project, allowedRoots: [project] }),
      (error) => assertRejected(error) && /outside the allowed directories/.test((error as Error).message),
    );
    assert.deepEqual(await readdir(outside), []);
    await assert.rejects(
      resolveOutputDir('../outside', { cwd: project, allowedRoots: [project] }),
      assertRejected,
    );
    await assert.rejects(resolveOutputDir('/', { cwd: project, allowedRoots: [project] }), assertRejected);
  });

  test('the hint names the allowed directories', async () => {
    await assert.rejects(
      resolveOutputDir(outside, { cwd: project, allowedRoots: [project] }),
      (error: SpeedRunError) => {
        assert.equal(error.hint, `Use a directory inside ${project}, or add it to SPEED_RUN_ALLOWED_DIRS.`);
        return true;
      },
    );
  });

  test('a sibling sharing the root as a prefix is outside', async () => {
    const sibling = `${project}-evil`;
    await assert.rejects(
      resolveOutputDir(sibling, { cwd: project, allowedRoots: [project] }),
      assertRejected,
    );
    await assert.rejects(
      resolveOutputDir(`${project}2/x`, { cwd: project, allowedRoots: [project] }),
      assertRejected,
    );
    await assert.rejects(stat(sibling), { code: 'ENOENT' });
  });

  test('refuses a symlinked ancestor that leads outside, even for a directory that does not exist yet', async () => {
    await symlink(outside, path.join(project, 'link'), 'dir');
    await assert.rejects(
      resolveOutputDir('link/new/deeper', { cwd: project, allowedRoots: [project] }),
      (error) =>
        assertRejected(error) &&
        (error as Error).message.includes(`resolves to ${path.join(outside, 'new/deeper')}`),
    );
    await assert.rejects(resolveOutputDir('link', { cwd: project, allowedRoots: [project] }), assertRejected);
    assert.deepEqual(await readdir(outside), []);
  });

  test('follows a symlink that stays inside and returns the real path', async () => {
    await mkdir(path.join(project, 'real'));
    await symlink('real', path.join(project, 'alias'), 'dir');
    const resolved = await resolveOutputDir('alias/out', { cwd: project, allowedRoots: [project] });
    assert.equal(resolved, path.join(project, 'real/out'));
  });

  test('a symlinked root is compared by its real path', async () => {
    const linkedRoot = path.join(base, 'linked-project');
    await symlink(project, linkedRoot, 'dir');
    const viaLink = await resolveOutputDir(path.join(linkedRoot, 'out'), {
      cwd: base,
      allowedRoots: [linkedRoot],
    });
    assert.equal(viaLink, path.join(project, 'out'));
    const viaReal = await resolveOutputDir(path.join(project, 'out2'), {
      cwd: base,
      allowedRoots: [linkedRoot],
    });
    assert.equal(viaReal, path.join(project, 'out2'));
  });

  test('refuses to go through a dangling symlink', async () => {
    await symlink(path.join(outside, 'later'), path.join(project, 'dangling'), 'dir');
    await assert.rejects(
      resolveOutputDir('dangling/out', { cwd: project, allowedRoots: [project] }),
      (error) =>
        assertRejected(error) && /symbolic link whose target is missing/.test((error as Error).message),
    );
    assert.deepEqual(await readdir(outside), []);
  });

  test('refuses when a file is in the way', async () => {
    await writeFile(path.join(project, 'file'), 'x');
    await assert.rejects(resolveOutputDir('file', { cwd: project, allowedRoots: [project] }), {
      kind: 'invalid_input',
      field: 'output_dir',
    });
    await assert.rejects(
      resolveOutputDir('file/sub', { cwd: project, allowedRoots: [project] }),
      assertRejected,
    );
  });

  test('with no roots, or only missing ones, everything is refused', async () => {
    await assert.rejects(resolveOutputDir('out', { cwd: project, allowedRoots: [] }), assertRejected);
    await assert.rejects(
      resolveOutputDir('out', { cwd: project, allowedRoots: [path.join(base, 'missing')] }),
      assertRejected,
    );
  });

  test('an empty or NUL-bearing output_dir is refused', async () => {
    await assert.rejects(resolveOutputDir('', { cwd: project, allowedRoots: [project] }), {
      kind: 'invalid_input',
      field: 'output_dir',
    });
    await assert.rejects(resolveOutputDir('out\0', { cwd: project, allowedRoots: [project] }), {
      kind: 'path_rejected',
      field: 'output_dir',
    });
  });
});
