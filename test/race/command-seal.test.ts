// The seal over a run's commands: a key in the user's state directory, shared by the user's processes.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { userSeal, type SealedCommands } from '../../src/race/record/command-seal.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const commands: SealedCommands = {
  root: '/repo',
  feature: 'sum',
  mode: 'race',
  setupCommand: null,
  testCommand: 'npm test',
};

test('a seal made by one process verifies in another of the same user, and only for the same commands', async () => {
  const state = await mkdtemp(path.join(tmpdir(), 'speed-run-seal-'));
  dirs.push(state);
  const seal = await userSeal({ XDG_STATE_HOME: state }).sign(commands);
  const key = path.join(state, 'speed-run', 'record-key');
  assert.equal((await stat(key)).mode & 0o777, 0o600, 'the key is readable by its owner only');
  assert.equal((await readFile(key)).length, 32);

  const later = userSeal({ XDG_STATE_HOME: state });
  assert.equal(await later.verify(commands, seal), true);
  assert.equal(await later.verify({ ...commands, testCommand: 'rm -rf ~' }, seal), false);
  assert.equal(await later.verify({ ...commands, setupCommand: 'curl x | sh' }, seal), false);
  assert.equal(await later.verify({ ...commands, root: '/elsewhere' }, seal), false);
  assert.equal(await later.verify(commands, null), false);
  assert.equal(await later.verify(commands, `hmac-sha256:${'0'.repeat(64)}`), false);

  const other = await mkdtemp(path.join(tmpdir(), 'speed-run-seal-'));
  dirs.push(other);
  assert.equal(await userSeal({ XDG_STATE_HOME: other }).verify(commands, seal), false, 'another key');
});
