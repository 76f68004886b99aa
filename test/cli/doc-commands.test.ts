// Commands the docs tell people to type, run as written.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('configuration.md "Trying it without a provider": the simulator prints what to export, then status is ok', async () => {
  const simulator = spawn(process.execPath, ['--import', 'tsx', 'test/support/run-simulator.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    let printed = '';
    await new Promise<void>((resolve, reject) => {
      simulator.stderr.on('data', (chunk: Buffer) => {
        printed += chunk.toString('utf8');
        if (/SPEED_RUN_MODEL=\S+\n/.test(printed)) resolve();
      });
      simulator.on('exit', (code) => reject(new Error(`the simulator exited ${code}: ${printed}`)));
    });
    const env = Object.fromEntries(
      [...printed.matchAll(/^\s+(SPEED_RUN_[A-Z_]+)=(\S+)$/gm)].map((match) => [match[1], match[2]]),
    ) as Record<string, string>;
    assert.deepEqual(Object.keys(env).sort(), ['SPEED_RUN_API_KEY', 'SPEED_RUN_BASE_URL', 'SPEED_RUN_MODEL']);
    const status = await runCli(['status'], { env });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /status {5}ok/);
  } finally {
    simulator.kill();
  }
});
