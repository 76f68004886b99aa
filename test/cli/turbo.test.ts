import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { GenerationReport } from '../../src/codegen/generation-report.js';
import { CONTENT_MARKER, fileReply } from '../support/file-reply.js';
import { simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { runCli } from '../support/run-cli.js';

const example = fileURLToPath(new URL('../../examples/rate-limiter/', import.meta.url));
let simulator: Simulator;
let cwd: string;
before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-turbo-')));
});
after(async () => {
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});

test('turbo on the example contract writes the recorded reply, which passes the example test', async () => {
  simulator.enqueue({ content: await readFile(path.join(example, 'recorded-reply.txt'), 'utf8') });
  const run = await runCli(['turbo', path.join(example, 'CONTRACT.md'), '--out', 'rate-limiter'], {
    env: simulatorEnv(simulator),
    cwd,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /wrote token-bucket\.ts \(\d+ lines\)/);
  assert.match(run.stdout, /3 files, \d+ lines in /);
  assert.match(run.stdout, /[\d,]+ output tokens your agent did not have to write/);
  const sent = JSON.stringify(simulator.requests.at(-1)?.body);
  assert.match(sent, /Token-bucket rate limiter/, 'the contract was sent');

  const out = path.join(cwd, 'rate-limiter');
  assert.deepEqual((await readdir(out)).sort(), ['index.ts', 'rate-limiter.ts', 'token-bucket.ts']);
  const tests = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', path.join(example, 'rate-limiter.test.ts')],
    // Without NODE_TEST_CONTEXT the child reports for itself instead of to this runner.
    { env: { ...process.env, NODE_TEST_CONTEXT: undefined, RATE_LIMITER_DIR: out }, encoding: 'utf8' },
  );
  assert.equal(tests.status, 0, tests.stdout + tests.stderr);
  assert.match(tests.stdout, /# pass 11/);
});

test('- reads the contract from stdin; --json prints the metadata report only', async () => {
  simulator.enqueue({ content: fileReply({ files: 4 }) });
  const run = await runCli(['turbo', '-', '--out', 'from-stdin', '--json', '--max-tokens', '2048'], {
    env: simulatorEnv(simulator),
    cwd,
    input: 'STDIN_CONTRACT: write four modules',
  });
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as GenerationReport;
  assert.equal(report.files.length, 4);
  assert.equal(report.output_dir, path.join(cwd, 'from-stdin'));
  assert.ok(!run.stdout.includes(CONTENT_MARKER));
  const body = simulator.requests.at(-1)?.body as { max_completion_tokens: number };
  assert.match(JSON.stringify(body), /STDIN_CONTRACT/);
  assert.equal(body.max_completion_tokens, 2048);
});

test('--context embeds files; a truncated reply exits 1 with a hint', async () => {
  simulator.enqueue({
    content: '<FILE path="a.ts">\nexport {};\n</FILE>\n<FILE path="b.ts">\nexport',
    finishReason: 'length',
  });
  const run = await runCli(
    [
      'turbo',
      path.join(example, 'CONTRACT.md'),
      '--out',
      'cut',
      '--context',
      path.join(example, 'rate-limiter.test.ts'),
    ],
    { env: { ...simulatorEnv(simulator), SPEED_RUN_ALLOWED_DIRS: example }, cwd },
  );
  assert.equal(run.code, 1);
  assert.match(run.stderr, /cut off b\.ts/);
  assert.match(run.stderr, /max_tokens/);
  assert.match(JSON.stringify(simulator.requests.at(-1)?.body), /BEGIN CONTEXT FILE/);
});

test('a secret-looking context file is refused before any request, and sent with --allow-secret-context', async () => {
  const secrets = await mkdtemp(path.join(cwd, 'secrets-'));
  const envFile = path.join(secrets, '.env');
  await writeFile(envFile, 'DATABASE_URL=postgres://local\n');
  const args = ['turbo', path.join(example, 'CONTRACT.md'), '--out', 'with-env', '--context', envFile];
  const before = simulator.requests.length;
  const refused = await runCli(args, { env: simulatorEnv(simulator), cwd });
  assert.equal(refused.code, 2, 'a usage problem');
  assert.match(refused.stderr, /\.env" was not sent to the model/);
  assert.match(refused.stderr, /--allow-secret-context/);
  assert.equal(simulator.requests.length, before, 'nothing reached the provider');

  simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
  const allowed = await runCli([...args, '--allow-secret-context'], { env: simulatorEnv(simulator), cwd });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(JSON.stringify(simulator.requests.at(-1)?.body), /DATABASE_URL=postgres/);
});

test('no key: exit 2, setup steps on stderr, no request, no files', async () => {
  const before = simulator.requests.length;
  const run = await runCli(['turbo', path.join(example, 'CONTRACT.md'), '--out', 'nokey'], {
    env: { SPEED_RUN_BASE_URL: simulator.baseUrl, SPEED_RUN_MODEL: 'gpt-oss-120b' },
    cwd,
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /No API key/);
  assert.match(run.stderr, /SPEED_RUN_API_KEY/);
  assert.equal(simulator.requests.length, before);
  await assert.rejects(readdir(path.join(cwd, 'nokey')));
});

test('a provider failure exits 1 with its message, never the key', async () => {
  simulator.enqueue({ status: 400 });
  const run = await runCli(['turbo', path.join(example, 'CONTRACT.md'), '--out', 'failed'], {
    env: simulatorEnv(simulator),
    cwd,
  });
  assert.equal(run.code, 1);
  assert.ok(run.stderr.length > 0);
  assert.ok(!run.stderr.includes(simulator.apiKey) && !run.stdout.includes(simulator.apiKey));
});

test('a missing contract file is reported', async () => {
  const run = await runCli(['turbo', 'nope.md', '--out', 'x'], { env: simulatorEnv(simulator), cwd });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Could not read the contract "nope\.md" \(ENOENT\)/);
});
