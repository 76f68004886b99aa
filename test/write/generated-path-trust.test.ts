/**
 * Issue 7 §2: what a generated file may be. Protected paths (repository, agent and speed-run configuration) for
 * files and for output_dir, recognisable temp files swept after a killed write, and a directory swapped for a link
 * mid-write.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveOutputDir } from '../../src/write/allowed-roots.js';
import { checkRelativePath, protectedPathReason } from '../../src/write/path-policy.js';
import { SafeFileWriter, type WriteLimits } from '../../src/write/safe-file-writer.js';
import { isTempFileName, removeStaleTempFiles, tempFileName } from '../../src/write/temp-files.js';
import { SpeedRunError } from '../../src/errors.js';

const limits: WriteLimits = { maxFiles: 100, maxFileBytes: 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 };

let base: string;
let out: string;
let outside: string;
beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'speed-run-paths-')));
  out = path.join(base, 'project');
  outside = path.join(base, 'outside');
  await mkdir(out);
  await mkdir(outside);
});
afterEach(() => rm(base, { recursive: true, force: true }));

test('generated paths that configure the repository, the agent or speed-run are refused, each with a reason', () => {
  const refused: [string, RegExp][] = [
    ['.git/config', /\.git directory/],
    ['.GIT/hooks/pre-commit', /\.git directory/],
    ['.git./config', /\.git directory/],
    ['.git /config', /\.git directory/],
    ['.git::$INDEX_ALLOCATION/config', /\.git directory/],
    ['GIT~1/config', /8\.3 short name/],
    ['sub/git~12/hooks/x', /8\.3 short name/],
    ['.claude/settings.json', /\.claude/],
    ['pkg/.Claude/hooks/run.sh', /\.claude/],
    ['.mcp.json', /\.mcp\.json/],
    ['nested/.MCP.JSON', /\.mcp\.json/],
    ['speed-run.config.json', /speed-run’s own configuration/],
    ['app/speed-run.config.json', /speed-run’s own configuration/],
    ['.envrc', /direnv/],
    ['.config/speed-run/config.json', /user configuration/],
    ['.husky/pre-commit', /git runs as hooks/],
    ['.vscode/tasks.json', /on opening the folder/],
    ['CLAUDE.md', /instructions the coding agent follows/],
    ['pkg/claude.local.md', /instructions the coding agent follows/],
    ['AGENTS.md', /coding agents follow/],
  ];
  for (const [given, reason] of refused) {
    const verdict = checkRelativePath(given);
    assert.equal(verdict.ok, false, given);
    if (!verdict.ok) assert.match(verdict.reason, reason, given);
  }
  for (const fine of [
    '.gitignore',
    '.github/workflows/ci.yml',
    'git/config',
    'claude/notes.md',
    'docs/.claude.md',
    'mcp.json',
    'speed-run.config.example.json',
    'docs/envrc.md',
    'src/a~b.ts',
    'backup~.txt',
    '.vscode/settings.json',
    'docs/tasks.json',
    'docs/claude.md.txt',
  ]) {
    assert.equal(checkRelativePath(fine).ok, true, fine);
  }
  assert.equal(protectedPathReason(['.git'], 'dir') !== null, true);
  assert.equal(protectedPathReason(['.mcp.json'], 'dir'), null, 'only a file named .mcp.json matters');
});

test('output_dir .git, .git/hooks, .GIT., .claude and a link to .git are refused before anything is created', async () => {
  await mkdir(path.join(out, '.git', 'hooks'), { recursive: true });
  await symlink(path.join(out, '.git'), path.join(out, 'innocent'));
  for (const dir of ['.git', '.git/hooks', '.GIT.', 'sub/../.git/hooks', '.claude', 'GIT~1', 'innocent']) {
    await assert.rejects(
      resolveOutputDir(dir, { cwd: out, allowedRoots: [out] }),
      (error: unknown) =>
        error instanceof SpeedRunError &&
        error.kind === 'path_rejected' &&
        error.field === 'output_dir' &&
        /is refused/.test(error.message),
      dir,
    );
  }
  assert.deepEqual((await readdir(out)).sort(), ['.git', 'innocent'], 'nothing was created');
  assert.equal(
    await resolveOutputDir('src/gen', { cwd: out, allowedRoots: [out] }),
    path.join(out, 'src/gen'),
  );
});

test('a link inside the output directory that leads into .git is not written through', async () => {
  await mkdir(path.join(out, '.git', 'hooks'), { recursive: true });
  await symlink(path.join(out, '.git', 'hooks'), path.join(out, 'hooks'));
  const writer = new SafeFileWriter(out, limits);
  const outcome = await writer.write({ path: 'hooks/pre-commit', content: '#!/bin/sh\ntouch pwned\n' });
  assert.equal(outcome.written, false);
  if (!outcome.written) assert.match(outcome.reason, /\.git directory.*through a link/);
  assert.deepEqual(await readdir(path.join(out, '.git', 'hooks')), []);
});

test('temp files are named recognisably; a write killed mid-way leaves one that the next write removes', async () => {
  assert.ok(isTempFileName(tempFileName()));
  // A real process killed between writing its temp file and the rename.
  const writerModule = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../src/write/safe-file-writer.ts',
  );
  const script = `
    const { SafeFileWriter } = await import(${JSON.stringify(writerModule)});
    const writer = new SafeFileWriter(${JSON.stringify(out)}, ${JSON.stringify(limits)}, {
      beforeRename: async () => process.kill(process.pid, 'SIGKILL'),
    });
    await writer.write({ path: 'big.txt', content: 'x'.repeat(300000) });
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  const left = (await readdir(out)).filter(isTempFileName);
  assert.equal(left.length, 1, 'the killed write left its temp file');
  assert.match(left[0]!, new RegExp(`^\\.speed-run-tmp-${child.pid}-`));

  // A fresh temp file of a live process (this one) in the same directory is left alone.
  const mine = tempFileName();
  await writeFile(path.join(out, mine), 'in progress');
  // An old-style temp file from an earlier version, an hour old.
  const legacy = '.big.txt.0123456789ab.tmp';
  await writeFile(path.join(out, legacy), 'old');
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  await utimes(path.join(out, legacy), hourAgo, hourAgo);

  const writer = new SafeFileWriter(out, limits);
  assert.equal((await writer.write({ path: 'next.txt', content: 'ok\n' })).written, true);
  assert.deepEqual((await readdir(out)).sort(), [mine, 'next.txt'].sort());
});

test('removeStaleTempFiles: dead owner or old age; never a link or a foreign name', async () => {
  const dead = '.speed-run-tmp-999999999-aaaaaaaaaaaa';
  const alive = '.speed-run-tmp-1-bbbbbbbbbbbb';
  await writeFile(path.join(out, dead), '');
  await writeFile(path.join(out, alive), '');
  await writeFile(path.join(outside, 'keep'), 'precious');
  await symlink(path.join(outside, 'keep'), path.join(out, '.speed-run-tmp-999999998-cccccccccccc'));
  await writeFile(path.join(out, 'notes.tmp'), 'user file');
  const removed = await removeStaleTempFiles(out, { isAlive: (pid) => pid === 1 });
  assert.deepEqual(removed, [dead]);
  const later = await removeStaleTempFiles(out, { isAlive: () => true, now: () => Date.now() + 16 * 60_000 });
  assert.deepEqual(later, [alive]);
  assert.equal(await readFile(path.join(outside, 'keep'), 'utf8'), 'precious');
  assert.ok((await readdir(out)).includes('notes.tmp'));
});

test('a directory swapped for a link to outside before the rename: refused, nothing written outside', async () => {
  const writer = new SafeFileWriter(out, limits, {
    beforeRename: async () => {
      await rename(path.join(out, 'src'), path.join(out, 'src-moved'));
      await symlink(outside, path.join(out, 'src'));
    },
  });
  const outcome = await writer.write({ path: 'src/app.ts', content: 'export {};\n' });
  assert.equal(outcome.written, false);
  if (!outcome.written) assert.match(outcome.reason, /swapped/);
  assert.deepEqual(await readdir(outside), []);
});

test('a swap that lands between the last check and the rename is taken back out', async () => {
  const writer = new SafeFileWriter(out, limits, {
    rename: async (from, to) => {
      // The swap wins the race: the temp file moves with its directory, and the rename goes through the link.
      await rename(path.join(out, 'src'), path.join(outside, 'src'));
      await symlink(path.join(outside, 'src'), path.join(out, 'src'));
      await rename(from, to);
    },
  });
  const outcome = await writer.write({ path: 'src/app.ts', content: 'export {};\n' });
  assert.equal(outcome.written, false);
  if (!outcome.written) assert.match(outcome.reason, /swapped/);
  assert.deepEqual(await readdir(path.join(outside, 'src')), [], 'our file was removed from outside');
});

test('a write error never becomes an unhandled rejection', async () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    const writer = new SafeFileWriter(out, limits, {
      rename: () => Promise.reject(Object.assign(new Error('boom'), { code: 'EIO' })),
    });
    const throwing = {
      path: 'x.ts',
      get content(): string {
        throw new Error('content getter exploded');
      },
    };
    // Fire and forget, as a streaming caller may do before it awaits.
    const pending = [writer.write({ path: 'a.ts', content: 'a' }), writer.write(throwing)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcomes = await Promise.all(pending);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.written),
      [false, false],
    );
    assert.deepEqual(rejections, []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});
