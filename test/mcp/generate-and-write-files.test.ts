import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { LeanGenerationReport } from '../../src/codegen/generation-report.js';
import { DEFAULTS, resolveConfig } from '../../src/config/resolve-config.js';
import { CONTENT_MARKER, fileReply, fileReplyPaths } from '../support/file-reply.js';
import { openLedger } from '../../src/ledger/ledger-file.js';
import { connectInProcess, type InProcessMcp } from '../support/in-process-mcp.js';
import { simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let mcp: InProcessMcp;
let cwd: string;
let ledgerFile: string;
/** Every result this file received, checked at the end for the key. */
const seen: string[] = [];

before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-mcp-write-')));
  ledgerFile = path.join(cwd, '..', `${path.basename(cwd)}-ledger.jsonl`);
  mcp = await connectInProcess(resolveConfig({ env: simulatorEnv(simulator), cwd }), {
    ledger: openLedger(ledgerFile),
  });
});
after(async () => {
  await mcp.close();
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
  await rm(ledgerFile, { force: true });
});

async function write(args: Record<string, unknown>, onprogress?: (progress: { progress: number }) => void) {
  const result = await mcp.client.callTool(
    { name: 'generate_and_write_files', arguments: args },
    onprogress ? { onprogress } : undefined,
  );
  const raw = JSON.stringify(result);
  seen.push(raw);
  const text = (result.content as { text: string }[])[0]?.text ?? '';
  return { result, raw, text, report: result.structuredContent as LeanGenerationReport };
}

test('writes a 20-file reply and returns metadata only, under a size bound', async () => {
  const reply = fileReply({ files: 20, lines: 60 });
  simulator.enqueue({ content: reply });
  const { result, raw, text, report } = await write({
    prompt: 'Write twenty modules.',
    output_dir: 'twenty',
  });
  assert.notEqual(result.isError, true, text);
  assert.deepEqual(JSON.parse(text), report);
  assert.deepEqual(
    report.files.map((file) => file.path),
    fileReplyPaths({ files: 20 }),
  );
  assert.ok(report.files.every((file) => file.lines === 60 && file.status === undefined));
  assert.equal(report.truncated, undefined, 'false flags are omitted');
  assert.ok((report.receipt.generated_tokens ?? 0) > 0);
  assert.ok(report.receipt.agent_tokens_avoided > 0);
  assert.match(report.receipt.basis, /^\(\d+ B written - 21 B prompt\) \/ 4 B per token$/);
  assert.ok(!raw.includes(CONTENT_MARKER), 'no file content in the result');
  assert.ok(!raw.includes('compute0_1'), 'no code in the result');
  assert.ok(raw.length < 6_000, `result is ${raw.length} bytes for a ${reply.length}-byte reply`);
  const onDisk = await readFile(path.join(cwd, 'twenty', 'src/module-20.ts'), 'utf8');
  assert.ok(onDisk.includes(CONTENT_MARKER));
});

test('a progress notification arrives for each file written', async () => {
  simulator.enqueue({ content: fileReply({ files: 5 }) });
  const progress: number[] = [];
  const { report } = await write({ prompt: 'x', output_dir: 'progress' }, (p) => progress.push(p.progress));
  assert.equal(report.files.length, 5);
  assert.deepEqual(progress, [1, 2, 3, 4, 5]);
});

test('path traversal in the reply is rejected and nothing lands outside', async () => {
  simulator.enqueue({
    content: '<FILE path="../../escaped.ts">\nbad\n</FILE>\n<FILE path="inside.ts">\ngood\n</FILE>\n',
  });
  const { report } = await write({ prompt: 'x', output_dir: 'traversal' });
  assert.deepEqual(
    report.files.map((file) => file.path),
    ['inside.ts'],
  );
  assert.equal(report.rejected?.[0]?.path, '../../escaped.ts');
  assert.match(report.rejected?.[0]?.reason ?? '', /\.\./);
  await assert.rejects(readFile(path.join(cwd, '..', 'escaped.ts')));
});

test('an output_dir outside the allowed roots is refused before any request', async () => {
  const before = simulator.requests.length;
  const { result, text } = await write({
    prompt: 'x',
    output_dir: path.join(tmpdir(), 'not-allowed-speed-run'),
  });
  assert.equal(result.isError, true);
  assert.match(text, /^path_rejected: output_dir/);
  assert.match(text, /SPEED_RUN_ALLOWED_DIRS/);
  assert.equal(simulator.requests.length, before);
});

test('repair_rounds without test_command is refused, naming the argument, before any request', async () => {
  const before = simulator.requests.length;
  const { result, text } = await write({ prompt: 'x', output_dir: '.', repair_rounds: 2 });
  assert.equal(result.isError, true);
  assert.match(text, /^invalid_input: repair_rounds needs test_command/);
  assert.equal(simulator.requests.length, before);
});

test('context files are read server-side into the prompt; their content is not echoed back', async () => {
  await mkdir(path.join(cwd, 'lib'), { recursive: true });
  await writeFile(
    path.join(cwd, 'lib', 'types.ts'),
    'export interface Shape { CONTEXT_ONLY_MARKER: true }\n',
  );
  simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
  const { raw, report } = await write({ prompt: 'x', output_dir: 'ctx', context_files: ['lib/types.ts'] });
  assert.equal(report.files.length, 1);
  const prompt = JSON.stringify(simulator.requests.at(-1)?.body);
  assert.match(prompt, /CONTEXT_ONLY_MARKER/);
  assert.match(prompt, /BEGIN CONTEXT FILE: lib\/types\.ts/);
  assert.ok(!raw.includes('CONTEXT_ONLY_MARKER'));
});

test('a context file that looks like a secret is refused unless allowed', async () => {
  await writeFile(path.join(cwd, '.env'), 'DATABASE_PASSWORD=hunter2-secret\n');
  const before = simulator.requests.length;
  const refused = await write({ prompt: 'x', output_dir: 'secret', context_files: ['.env'] });
  assert.equal(refused.result.isError, true);
  assert.match(refused.text, /\.env/);
  assert.ok(!refused.raw.includes('hunter2-secret'));
  assert.equal(simulator.requests.length, before, 'nothing was sent');

  simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
  const allowed = await write({
    prompt: 'x',
    output_dir: 'secret',
    context_files: ['.env'],
    allow_secret_context: true,
  });
  assert.notEqual(allowed.result.isError, true, allowed.text);
  assert.match(JSON.stringify(simulator.requests.at(-1)?.body), /hunter2-secret/);
});

test('contract_file: the contract is read server-side, through the context-file policy', async () => {
  await writeFile(path.join(cwd, 'PLAN.md'), 'PLAN_FILE_MARKER: write a.ts\n');
  simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
  const { result, text, report } = await write({ contract_file: 'PLAN.md', output_dir: 'from-file' });
  assert.notEqual(result.isError, true, text);
  assert.deepEqual(
    report.files.map((file) => file.path),
    ['a.ts'],
  );
  assert.match(JSON.stringify(simulator.requests.at(-1)?.body), /PLAN_FILE_MARKER/);

  const before = simulator.requests.length;
  const both = await write({ prompt: 'x', contract_file: 'PLAN.md', output_dir: 'from-file' });
  assert.equal(both.result.isError, true);
  assert.match(both.text, /prompt or as contract_file, exactly one/);
  const secret = await write({ contract_file: '.env', output_dir: 'from-file' });
  assert.equal(secret.result.isError, true);
  assert.match(secret.text, /^path_rejected: contract_file "\.env" was not sent/);
  const outside = await write({ contract_file: '/etc/hostname', output_dir: 'from-file' });
  assert.equal(outside.result.isError, true);
  assert.match(outside.text, /contract_file "\/etc\/hostname".*outside the allowed directories/);
  assert.equal(simulator.requests.length, before, 'nothing was sent');
});

test('truncation is reported with the cut-off file and a hint', async () => {
  const cut = {
    content: '<FILE path="done.ts">\nexport const a = 1;\n</FILE>\n<FILE path="cut.ts">\nexport const b =',
    finishReason: 'length' as const,
  };
  simulator.enqueue(cut, cut, cut); // the first reply and both continuations stop short
  const { result, report } = await write({ prompt: 'x', output_dir: 'truncated', max_tokens: 50 });
  assert.notEqual(result.isError, true);
  assert.equal(report.truncated, true);
  assert.equal(report.finish_reason, 'length');
  assert.deepEqual(report.unclosed, [{ path: 'cut.ts', bytes: report.unclosed?.[0]?.bytes }]);
  assert.match(report.hint ?? '', /max_tokens/);
  assert.equal(report.continuations, 2);
  assert.deepEqual(await readdir(path.join(cwd, 'truncated')), ['done.ts']);
});

test('a mid-stream disconnect is retried as a whole and attempt numbers are reported', async () => {
  const content = fileReply({ files: 8, lines: 30 });
  simulator.enqueue({ content, fault: 'disconnect-mid-stream' }, { content });
  const { result, text, report } = await write({ prompt: 'x', output_dir: 'retry' });
  assert.notEqual(result.isError, true, text);
  assert.equal(report.attempts, 2);
  assert.equal(report.files.length, 8);
  assert.ok(report.files.every((file) => file.attempt === 2));
  const names = (await readdir(path.join(cwd, 'retry'), { recursive: true })).map(String);
  assert.ok(!names.some((name) => name.endsWith('.tmp')));
});

test('a rate limit outlasting the retries is a tool error with a hint', async () => {
  // The default SPEED_RUN_MAX_RETRIES is 4: five answers in all.
  const limited = Array.from({ length: DEFAULTS.maxRetries + 1 }, () => ({
    status: 429,
    headers: { 'retry-after': '0' },
  }));
  simulator.enqueue(...limited);
  const before = simulator.requests.length;
  const { result, text } = await write({ prompt: 'x', output_dir: 'limited' });
  assert.equal(result.isError, true);
  assert.match(text, /^rate_limited: .+\n.+/);
  assert.equal(simulator.requests.length - before, DEFAULTS.maxRetries + 1);
});

test('the key never appears in any result or in the server log', () => {
  assert.ok(seen.length > 0);
  for (const raw of seen) assert.ok(!raw.includes(simulator.apiKey));
  assert.ok(!mcp.log().includes(simulator.apiKey));
});

test('every call that reached the provider is in the ledger, which holds no prompt, path, code or key', async () => {
  const entries = await openLedger(ledgerFile).read();
  assert.ok(entries.length >= 8, `${entries.length} entries`);
  assert.ok(entries.every((entry) => entry.route === 'turbo' && entry.model === 'gpt-oss-120b'));
  assert.ok(entries.some((entry) => entry.ok && entry.files === 20 && entry.agent_tokens_avoided > 0));
  assert.ok(entries.some((entry) => !entry.ok && entry.error_kind === 'rate_limited'));
  const raw = await readFile(ledgerFile, 'utf8');
  for (const secret of [
    simulator.apiKey,
    cwd,
    'Write twenty modules',
    CONTENT_MARKER,
    'CONTEXT_ONLY_MARKER',
    'hunter2',
    'module-1',
  ]) {
    assert.equal(raw.includes(secret), false, `the ledger holds no ${secret}`);
  }
});
