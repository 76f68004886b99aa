/**
 * Issue 7 §3 over the real server: a test command's output holding the key reached the run_tests result,
 * manifest.json and logs/*.log unredacted; CLAUDE_PLUGIN_OPTION_* reached the commands; contract_file ".env"
 * was sent to the provider.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startMcpProcess, type McpProcess } from '../support/mcp-process.js';
import type { Simulator } from '../support/openai-simulator.js';
import { removeDir, sh, tempRepo } from '../race/git-fixture.js';
import { CONTRACT, raceSimulator, simulatorEnv } from '../race/race-fixture.js';

const PLUGIN_KEY = 'csk-plugin-option-key-0123456789abcdef';

let simulator: Simulator;
let mcp: McpProcess;
let root: string;
const seen: string[] = [];

before(async () => {
  simulator = await raceSimulator();
  root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  await writeFile(path.join(root, '.env'), 'DB_PASSWORD=hunter2\n');
  await writeFile(path.join(root, '.gitignore'), '.env\n');
  sh(root, 'add', '.gitignore');
  sh(root, 'commit', '--quiet', '-m', 'ignore');
  mcp = await startMcpProcess({
    env: {
      ...simulatorEnv(simulator, root),
      CLAUDE_PLUGIN_OPTION_API_KEY: PLUGIN_KEY,
      XDG_CONFIG_HOME: path.join(root, '.no-user-config'),
    },
    cwd: root,
  });
});
after(async () => {
  await mcp.close();
  await simulator.close();
  await removeDir(root);
});

async function call(name: string, args: Record<string, unknown>) {
  const result = await mcp.client.callTool({ name, arguments: args });
  const raw = JSON.stringify(result);
  seen.push(raw);
  return { result, raw, text: (result.content as { text: string }[])[0]?.text ?? '' };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('contract_file ".env" is refused before any request', async () => {
  const before = simulator.requests.length;
  const { result, text } = await call('race', { feature: 'leak', contract_file: '.env', runners: 2 });
  assert.equal(result.isError, true);
  assert.match(text, /contract_file "\.env" was not sent to the model: it is an environment file/);
  assert.equal(simulator.requests.length, before);
  assert.ok(!JSON.stringify(simulator.requests).includes('hunter2'));
});

test('a test command that prints the keys: redacted in results, manifest and logs; no key in its environment', async () => {
  const key = simulator.apiKey;
  // The command prints the keys from a file (as a misbehaving test would) and lists the key variables it sees.
  await writeFile(path.join(root, 'leaked.txt'), `token=${key} plugin=${PLUGIN_KEY}\n`);
  const testCommand =
    'node --test test/sum.test.mjs && ' +
    'cat ../../../leaked.txt && ' +
    `node -e "console.log('seen:' + Object.keys(process.env).filter((n) => /API_KEY|PLUGIN_OPTION/.test(n)).join(','))"`;
  const raced = await call('race', {
    feature: 'leak',
    contract: CONTRACT,
    runners: 2,
    test_command: testCommand,
    timeout_s: 60,
  });
  assert.notEqual(raced.result.isError, true, raced.text);
  const rerun = await call('race_step', { step: 'test', feature: 'leak', runner: 'runner-1' });
  assert.notEqual(rerun.result.isError, true, rerun.text);
  assert.match(rerun.text, /token=\[redacted\] plugin=\[redacted\]/);
  assert.match(rerun.text, /seen:"\}$/, 'the command saw no key variable');

  const record = path.join(root, 'docs/plans/leak/speed-run/race');
  const files = await filesUnder(record);
  assert.ok(files.some((file) => file.endsWith('manifest.json')));
  assert.ok(files.some((file) => file.endsWith('.log')));
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes(key) && !text.includes(PLUGIN_KEY), `${path.relative(root, file)} holds a key`);
  }
  const log = files.find((file) => /runner-1-test.*\.log$/.test(file))!;
  assert.match(await readFile(log, 'utf8'), /token=\[redacted\]/);
  for (const raw of seen) {
    assert.ok(!raw.includes(key) && !raw.includes(PLUGIN_KEY), 'a result held a key');
  }
  assert.ok(!mcp.stderr().includes(key) && !mcp.stderr().includes(PLUGIN_KEY));
});
