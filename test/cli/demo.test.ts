// `speed-run demo` as a newcomer runs it: no key, no network. The real pipeline writes the example's files from
// the local replay, the example's own test passes, and every line says it is a replay that contacts no provider.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { runCli } from '../support/run-cli.js';

let simulator: Simulator;
let cwd: string;
before(async () => {
  simulator = await startSimulator();
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-demo-')));
});
after(async () => {
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});

test('speed-run demo: files land from the replay, the example test passes, every line is labelled', async () => {
  const key = 'sk-demo-must-not-be-used-5150';
  // A configured provider (and even a broken setting) is ignored: the demo never contacts one.
  const run = await runCli(['demo'], {
    env: {
      SPEED_RUN_BASE_URL: simulator.baseUrl,
      SPEED_RUN_API_KEY: key,
      SPEED_RUN_MODEL: 'gpt-oss-120b',
      GENERATION_TIMEOUT: 'soon',
    },
    cwd,
  });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.stderr, '');
  const lines = run.stdout.trimEnd().split('\n');
  for (const line of lines) assert.match(line, /^\[replay, no provider\] /, line);
  assert.match(run.stdout, /No provider is contacted and no key is used/);
  assert.match(run.stdout, /wrote token-bucket\.ts \(\d+ lines\)/);
  assert.match(run.stdout, /3 files, \d+ lines in /);
  assert.match(run.stdout, /test │ ℹ pass 11/);
  assert.match(run.stdout, /test │ ℹ fail 0/);
  assert.deepEqual((await readdir(path.join(cwd, 'speed-run-demo'))).sort(), [
    'index.ts',
    'rate-limiter.ts',
    'token-bucket.ts',
  ]);
  assert.equal(simulator.requests.length, 0, 'the configured provider was never contacted');
  assert.ok(!run.stdout.includes(key));

  const again = await runCli(['demo', '--out', 'speed-run-demo'], { cwd });
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /overwrote token-bucket\.ts/);
});
