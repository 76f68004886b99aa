import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

test('--version prints the package version', async () => {
  for (const flag of ['--version', '-v']) {
    const run = await runCli([flag]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), version);
  }
});

test('--help lists the commands', async () => {
  const run = await runCli(['--help']);
  assert.equal(run.code, 0);
  for (const command of ['status', 'turbo', 'mcp'])
    assert.match(run.stdout, new RegExp(`\\n  ${command}\\b`));
});

test('turbo --help shows its options', async () => {
  const run = await runCli(['turbo', '--help']);
  assert.equal(run.code, 0);
  for (const option of ['--out', '--context', '--model', '--max-tokens', '--json'])
    assert.ok(run.stdout.includes(option));
});

test('usage mistakes exit 2', async () => {
  assert.equal((await runCli(['turbo', 'contract.md'])).code, 2, 'missing --out');
  assert.equal((await runCli(['no-such-command'])).code, 2);
  assert.equal((await runCli(['turbo', 'c.md', '--out', 'o', '--max-tokens', 'lots'])).code, 2);
});
