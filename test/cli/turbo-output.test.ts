// What turbo shows: overwrote vs wrote, plurals, a reply without files as a failure with what the model said,
// an unwritable --out found before any request, and a live line on a terminal (a real pseudo-terminal).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BUILT_CLI, simulatorEnv, startMcpProcess } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { runCli } from '../support/run-cli.js';

let simulator: Simulator;
let cwd: string;
before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-turbo-output-')));
  await writeFile(path.join(cwd, 'CONTRACT.md'), 'Write one.ts and two.ts.\n');
});
after(async () => {
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});

const turbo = (out: string, extra: string[] = []) =>
  runCli(['turbo', 'CONTRACT.md', '--out', out, ...extra], { env: simulatorEnv(simulator), cwd });

test('human output: wrote, then overwrote; 1 line, 1 file, correct plurals', async () => {
  simulator.enqueue({ content: '<FILE path="one.ts">\nexport const one = 1;\n</FILE>\n' });
  const first = await turbo('plural');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^ {2}wrote one\.ts \(1 line\)$/m);
  assert.match(first.stdout, /^1 file, 1 line in /m);

  simulator.enqueue({
    content: '<FILE path="one.ts">\nexport const one = 1;\n</FILE>\n<FILE path="two.ts">\na;\nb;\n</FILE>\n',
  });
  const second = await turbo('plural');
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^ {2}overwrote one\.ts \(1 line\)$/m);
  assert.match(second.stdout, /^ {2}wrote two\.ts \(2 lines\)$/m);
  assert.match(second.stdout, /^2 files, 3 lines in /m);
  assert.ok(!(first.stdout + second.stdout).includes('\u001b'), 'no terminal codes off a terminal');
});

test('a reply with no files exits 1 and shows what the model said; in MCP it is a tool error', async () => {
  const question = 'Sorry, I need to know whether this runs on Linux or Windows before I write anything.';
  simulator.enqueue({ content: `<think>hmm</think>${question}` });
  const run = await turbo('no-files');
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /without any <FILE> blocks\. It said: Sorry, I need to know whether this runs on Linux/,
  );
  assert.doesNotMatch(run.stderr, /hmm/, 'reasoning is not shown');

  simulator.enqueue({ content: 'x'.repeat(5000) });
  const long = await turbo('no-files');
  const said = /It said: (x+)…/.exec(long.stderr)?.[1] ?? '';
  assert.ok(said.length > 100 && said.length < 500, `excerpt of ${said.length} characters`);

  const mcp = await startMcpProcess({ env: simulatorEnv(simulator), cwd });
  try {
    simulator.enqueue({ content: question });
    const result = await mcp.client.callTool({
      name: 'generate_and_write_files',
      arguments: { prompt: 'x', output_dir: 'no-files-mcp' },
    });
    assert.equal(result.isError, true);
    assert.match((result.content as { text: string }[])[0]?.text ?? '', /Linux or Windows/);
  } finally {
    await mcp.close();
  }
});

test('an unwritable --out is refused before the request', async (t) => {
  const locked = path.join(cwd, 'locked');
  await mkdir(locked);
  await chmod(locked, 0o555);
  await chmod(cwd, 0o755);
  // root may write anywhere: run the CLI as nobody then, as a user without the right would.
  const asNobody = process.getuid?.() === 0;
  // nobody must also reach the built CLI: a checkout under a private directory (mktemp -d is 0700) hides it.
  const nobodyRunsCli = () =>
    spawnSync(process.execPath, [BUILT_CLI, '--version'], { uid: 65534, gid: 65534 }).status === 0;
  if (asNobody && !nobodyRunsCli()) {
    t.skip('cannot run the built CLI as nobody here (no such user, or the checkout is not readable to it)');
    return;
  }
  const before = simulator.requests.length;
  const child = spawn(process.execPath, [BUILT_CLI, 'turbo', 'CONTRACT.md', '--out', 'locked'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, ...simulatorEnv(simulator) },
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 1, stderr);
  assert.match(stderr, /--out "locked" is not writable/);
  assert.doesNotMatch(stderr, /No <FILE/);
  assert.equal(simulator.requests.length, before, 'no generation was paid for');
});

const SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs a command under a real pseudo-terminal (util-linux `script`); returns everything it drew. */
function inTerminal(command: string[], env: Record<string, string>, input = ''): Promise<string> {
  const quoted = command.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qefc', quoted, '/dev/null'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, TERM: 'xterm', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', () => resolve(output)));
}

test(
  'on a terminal, turbo shows a live line: waiting, reasoning, writing, tokens so far, elapsed',
  { skip: !SCRIPT && 'no script(1) for a pseudo-terminal' },
  async () => {
    simulator.enqueue({
      firstTokenDelayMs: 400,
      reasoning: 'Let me think about the files. '.repeat(12),
      content: '<FILE path="live.ts">\nexport const live = 1;\n</FILE>\n',
      tokensPerSecond: 150,
    });
    const drawn = await inTerminal(
      [process.execPath, BUILT_CLI, 'turbo', 'CONTRACT.md', '--out', 'live'],
      simulatorEnv(simulator),
    );
    // Each redraw: carriage return, erase the line (ESC [2K), the line.
    const redraw = (line: string) => new RegExp(`\\r\\u001b\\[2K… ${line}`);
    assert.match(drawn, redraw('waiting for the first token · \\d+\\.\\d s'));
    assert.match(drawn, redraw('reasoning · \\d+ tokens · \\d+\\.\\d s'));
    assert.match(drawn, redraw('writing · \\d+ tokens · \\d+\\.\\d s'));
    assert.match(drawn, /wrote live\.ts \(1 line\)/);
    assert.match(drawn, /1 file, 1 line in /);
  },
);

test(
  'speed-run mcp typed in a terminal says, on stderr, that it waits for an MCP client',
  { skip: !SCRIPT && 'no script(1) for a pseudo-terminal' },
  async () => {
    const drawn = await inTerminal(
      [
        'sh',
        '-c',
        `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BUILT_CLI)} mcp 2>&1 </dev/tty & sleep 3; kill $!`,
      ],
      simulatorEnv(simulator),
    );
    assert.match(drawn, /speed-run mcp: waiting for an MCP client on stdin/);
  },
);
