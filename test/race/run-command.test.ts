import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../src/race/test-phase/run-command.js';
import { removeDir, tempDir } from './git-fixture.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const node = JSON.stringify(process.execPath);
const dirs: string[] = [];
after(async () => Promise.all(dirs.map(removeDir)));

async function workDir(): Promise<string> {
  const dir = await tempDir('speed-run-cmd-');
  dirs.push(dir);
  return dir;
}

test('a command that succeeds: exit 0, both streams kept, the log holds everything', async () => {
  const cwd = await workDir();
  const logFile = path.join(cwd, 'logs', 'run.log');
  const outcome = await runCommand(
    `${node} ${JSON.stringify(path.join(fixtures, 'speak-and-exit.mjs'))} 0 3`,
    {
      cwd,
      timeoutMs: 10_000,
      logFile,
    },
  );
  assert.equal(outcome.exitCode, 0);
  assert.equal(outcome.failed, false);
  assert.equal(outcome.timedOut, false);
  assert.equal(outcome.startFailed, false);
  assert.match(outcome.stdoutTail, /out line 3/);
  assert.match(outcome.stderrTail, /err line/);
  assert.ok(outcome.durationMs >= 0);
  const log = await readFile(logFile, 'utf8');
  assert.match(log, /out line 1[\s\S]*err line[\s\S]*exit 0/);
});

test('a command that fails is a value, not a throw', async () => {
  const cwd = await workDir();
  const outcome = await runCommand(`${node} ${JSON.stringify(path.join(fixtures, 'speak-and-exit.mjs'))} 3`, {
    cwd,
    timeoutMs: 10_000,
  });
  assert.equal(outcome.exitCode, 3);
  assert.equal(outcome.failed, true);
  assert.equal(outcome.startFailed, false);
  assert.equal(outcome.logFile, null);
});

test('a command the shell cannot find is reported as one that could not start', async () => {
  const cwd = await workDir();
  const outcome = await runCommand('speed-run-no-such-command-xyz --flag', { cwd, timeoutMs: 10_000 });
  assert.equal(outcome.failed, true);
  assert.equal(outcome.startFailed, true);
  assert.equal(outcome.exitCode, 127);
});

test('a working directory that does not exist: could not start, with the reason', async () => {
  const cwd = path.join(await workDir(), 'missing');
  const outcome = await runCommand('echo hi', { cwd, timeoutMs: 10_000 });
  assert.equal(outcome.failed, true);
  assert.equal(outcome.startFailed, true);
  assert.ok(outcome.error);
});

test('on timeout the whole process group is killed, grandchildren included', async () => {
  const cwd = await workDir();
  const pidFile = path.join(cwd, 'grandchild.pid');
  const command = `${node} ${JSON.stringify(path.join(fixtures, 'spawn-sleeper.mjs'))} ${JSON.stringify(pidFile)}`;
  const outcome = await runCommand(command, { cwd, timeoutMs: 1500, killGraceMs: 200 });
  assert.equal(outcome.timedOut, true);
  assert.equal(outcome.failed, true);
  assert.equal(outcome.startFailed, false);
  assert.ok(outcome.durationMs < 8000, `took ${outcome.durationMs} ms`);
  const grandchild = Number(await readFile(pidFile, 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(isAlive(grandchild), false, 'the grandchild survived the timeout');
});

test('aborting the signal kills the whole process group, grandchildren included', async () => {
  const cwd = await workDir();
  const pidFile = path.join(cwd, 'grandchild.pid');
  const command = `${node} ${JSON.stringify(path.join(fixtures, 'spawn-sleeper.mjs'))} ${JSON.stringify(pidFile)}`;
  const controller = new AbortController();
  const running = runCommand(command, {
    cwd,
    timeoutMs: 60_000,
    killGraceMs: 200,
    signal: controller.signal,
  });
  while (!(await readFile(pidFile, 'utf8').catch(() => ''))) await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  const outcome = await running;
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.timedOut, false);
  assert.equal(outcome.failed, true);
  assert.equal(outcome.startFailed, false);
  assert.ok(outcome.durationMs < 8000, `took ${outcome.durationMs} ms`);
  const grandchild = Number(await readFile(pidFile, 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(isAlive(grandchild), false, 'the grandchild survived the abort');
});

test('an already aborted signal starts nothing', async () => {
  const cwd = await workDir();
  const marker = path.join(cwd, 'ran');
  const outcome = await runCommand(`${node} -e "require('fs').writeFileSync('ran', '')"`, {
    cwd,
    timeoutMs: 10_000,
    signal: AbortSignal.abort(),
  });
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.failed, true);
  assert.equal(await readFile(marker, 'utf8').catch(() => 'absent'), 'absent');
});

test('tails keep only the last bytes', async () => {
  const cwd = await workDir();
  const outcome = await runCommand(
    `${node} ${JSON.stringify(path.join(fixtures, 'speak-and-exit.mjs'))} 0 2000`,
    {
      cwd,
      timeoutMs: 10_000,
      tailBytes: 200,
      keepBytes: 1000,
    },
  );
  assert.ok(outcome.stdoutTail.length <= 200);
  assert.match(outcome.stdoutTail, /out line 2000\n$/);
  assert.ok(outcome.output.length <= 1000);
});

/** Running, not merely a zombie waiting for a PID 1 that never reaps (common in containers). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

test('a background child holding stdout does not keep a finished command waiting, and is ended', async () => {
  const cwd = await workDir();
  const pidFile = path.join(cwd, 'sleeper.pid');
  const started = Date.now();
  const outcome = await runCommand(`sleep 1234 & echo $! > ${JSON.stringify(pidFile)}; echo '1 passed'`, {
    cwd,
    timeoutMs: 20_000,
  });
  assert.equal(outcome.timedOut, false);
  assert.equal(outcome.failed, false);
  assert.equal(outcome.exitCode, 0);
  assert.match(outcome.output, /1 passed/);
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  const sleeper = Number(await readFile(pidFile, 'utf8'));
  await waitUntil(() => !isAlive(sleeper));
  assert.equal(isAlive(sleeper), false, 'the background child survived the command');
});

test('a detached-looking subshell child, (cmd &), does not survive the command', async () => {
  const cwd = await workDir();
  const pidFile = path.join(cwd, 'sleeper.pid');
  const outcome = await runCommand(`(sleep 1233 & echo $! > ${JSON.stringify(pidFile)}); echo done`, {
    cwd,
    timeoutMs: 20_000,
  });
  assert.equal(outcome.failed, false);
  const sleeper = Number(await readFile(pidFile, 'utf8'));
  await waitUntil(() => !isAlive(sleeper));
  assert.equal(isAlive(sleeper), false, 'the subshell child survived the command');
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}
