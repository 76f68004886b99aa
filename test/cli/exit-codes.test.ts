// The CLI as a process: usage and configuration problems exit 2 and name the CLI flag; --json failures print a
// JSON error object on stdout; repeatable options leave the contract argument alone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { runCli } from '../support/run-cli.js';

let simulator: Simulator;
let cwd: string;
before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-exit-')));
  await writeFile(path.join(cwd, 'CONTRACT.md'), 'Write a.ts.\n');
  await writeFile(path.join(cwd, 'EMPTY.md'), '  \n');
  await writeFile(path.join(cwd, 'ctx.ts'), 'export const CONTEXT_MARKER = 1;\n');
  execFileSync('git', ['init', '-q', '-b', 'main', cwd]);
});
after(async () => {
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { env: { ...simulatorEnv(simulator), ...env }, cwd });

const usageProblems: { args: string[]; message: RegExp }[] = [
  { args: ['turbo', 'MISSING.md', '--out', 'o'], message: /Could not read the contract "MISSING\.md"/ },
  { args: ['turbo', 'EMPTY.md', '--out', 'o'], message: /The contract "EMPTY\.md" is empty/ },
  {
    args: ['turbo', 'CONTRACT.md', '--out', '/'],
    message: /^--out "\/" is outside the allowed directories/m,
  },
  {
    args: ['race', 'CONTRACT.md', '--feature', 'Bad_Name', '--runners', '2'],
    message: /^--feature "Bad_Name" is not a valid slug[\s\S]*Try "bad-name"/m,
  },
  {
    args: ['race', 'CONTRACT.md', '--feature', 'f', '--runners', '7'],
    message: /--runners <n>' argument '7' is invalid\. expected a whole number from 2 to 5/,
  },
  {
    args: ['race', 'CONTRACT.md', '--feature', 'f', '--runners', '2', '--timeout', '1e9'],
    message:
      /--timeout <seconds>' argument '1e9' is invalid\. expected seconds above 0 and at most 86400 \(24 h\)/,
  },
];

for (const { args, message } of usageProblems) {
  test(`exit 2: speed-run ${args.join(' ')}`, async () => {
    const before = simulator.requests.length;
    const run = await cli(args);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, /output_dir|timeout_s|\brunners must/, 'the CLI flag, not the MCP field');
    assert.equal(simulator.requests.length, before, 'nothing was sent');
  });
}

test('status --json and race --json print a JSON error object on stdout when they fail', async () => {
  const status = await cli(['status', '--json'], { GENERATION_TIMEOUT: 'soon' });
  assert.equal(status.code, 2);
  const statusError = JSON.parse(status.stdout) as { error: Record<string, unknown> };
  assert.equal(statusError.error.kind, 'config');
  assert.match(String(statusError.error.message), /GENERATION_TIMEOUT/);
  assert.equal(statusError.error.exit_code, 2);

  const race = await cli(['race', 'CONTRACT.md', '--feature', 'Bad_Name', '--runners', '2', '--json']);
  assert.equal(race.code, 2);
  const raceError = JSON.parse(race.stdout) as { error: Record<string, unknown> };
  assert.equal(raceError.error.kind, 'invalid_input');
  assert.equal(raceError.error.field, '--feature');
  assert.match(String(raceError.error.hint), /bad-name/);

  const usage = await cli(['race', 'CONTRACT.md', '--feature', 'f', '--runners', '7', '--json']);
  assert.equal(usage.code, 2);
  assert.equal((JSON.parse(usage.stdout) as { error: { kind: string } }).error.kind, 'usage');
  assert.ok(!status.stdout.includes(simulator.apiKey) && !race.stdout.includes(simulator.apiKey));
});

test('--context and --model take one value each and repeat: the contract argument after them is read', async () => {
  simulator.enqueue({ content: '<FILE path="a.ts">\nexport const a = 1;\n</FILE>\n' });
  const turbo = await cli(['turbo', '--context', 'ctx.ts', 'CONTRACT.md', '--out', 'out']);
  assert.equal(turbo.code, 0, turbo.stderr);
  assert.match(JSON.stringify(simulator.requests.at(-1)?.body), /CONTEXT_MARKER/);

  // Parsed up to the feature check: the contract was taken as the contract, not as a second model.
  const race = await cli([
    'race',
    '--model',
    'm1',
    '--model',
    'm2',
    'CONTRACT.md',
    '--feature',
    'Bad',
    '-n',
    '2',
  ]);
  assert.equal(race.code, 2, race.stderr);
  assert.doesNotMatch(race.stderr, /missing required argument/);
  assert.match(race.stderr, /--feature "Bad" is not a valid slug/);
});
