/**
 * Token thrift figures (issue 12), in bytes of compact JSON, the way a client forwards them to the model:
 *  (a) every tool definition together (name + description + input schema), from a real SDK Client's
 *      tools/list over an in-memory transport against createServer(); budget 2,600 bytes;
 *  (b) a generate_and_write_files result for the rate-limiter example (3 files);
 *  (c) a 3-runner race's scoreboard, per runner, and (d) the judge result, from a real race against the
 *      simulator in a temporary git repository;
 *  (e) the plugin's always-on context as the real `claude plugin details` projects it (installed from a copy of
 *      the marketplace with a throwaway HOME, like test/plugin/claude-cli.test.ts); budget 300 tokens.
 * `npm run tokens` runs only this suite (no build needed); `npm run bench` runs it with the others.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../src/config/resolve-config.js';
import { CONTRACT, TEST_COMMAND, raceConfig, raceSimulator } from '../test/race/race-fixture.js';
import { removeDir, sh, tempDir, tempRepo } from '../test/race/git-fixture.js';
import { connectInProcess, type InProcessMcp } from '../test/support/in-process-mcp.js';
import { simulatorEnv } from '../test/support/mcp-process.js';
import { startSimulator } from '../test/support/openai-simulator.js';
import {
  TOOL_DEFINITIONS_BUDGET_BYTES,
  describeFootprint,
  toolFootprint,
} from '../test/support/tool-footprint.js';
import type { BenchFigure, BenchSuite } from './bench-figure.js';

/** Budgets the tests enforce; see test/mcp/tool-surface.test.ts and test/race/engine-mcp.test.ts. */
export const RUNNER_BUDGET_BYTES = 200;
export const JUDGE_BUDGET_BYTES = 1_200;

const EXAMPLE = fileURLToPath(new URL('../examples/rate-limiter/', import.meta.url));

function bytes(value: unknown): number {
  return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value));
}

function textOf(result: { content?: unknown }): string {
  return (result.content as { text: string }[])[0]?.text ?? '';
}

async function toolDefinitions(): Promise<BenchFigure> {
  const mcp = await connectInProcess(
    resolveConfig({ env: { SPEED_RUN_API_KEY: 'unused' }, cwd: process.cwd() }),
  );
  try {
    const footprint = toolFootprint((await mcp.client.listTools()).tools);
    return {
      name: `tool definitions, all ${footprint.perTool.length} tools (name + description + input schema)`,
      value: footprint.total,
      unit: 'bytes',
      target: `≤ ${TOOL_DEFINITIONS_BUDGET_BYTES}`,
      meets: footprint.total <= TOOL_DEFINITIONS_BUDGET_BYTES,
      detail: describeFootprint(footprint),
    };
  } finally {
    await mcp.close();
  }
}

async function turboResult(): Promise<BenchFigure> {
  const simulator = await startSimulator({ tokensPerSecond: 40_000 });
  const cwd = await tempDir('speed-run-tokens-');
  const mcp = await connectInProcess(resolveConfig({ env: simulatorEnv(simulator), cwd }));
  try {
    simulator.enqueue({ content: await readFile(path.join(EXAMPLE, 'recorded-reply.txt'), 'utf8') });
    const result = await mcp.client.callTool({
      name: 'generate_and_write_files',
      arguments: { prompt: await readFile(path.join(EXAMPLE, 'CONTRACT.md'), 'utf8'), output_dir: 'out' },
    });
    const text = textOf(result);
    if (result.isError) throw new Error(text);
    return {
      name: 'generate_and_write_files result, rate-limiter example (3 files)',
      value: bytes(text),
      unit: 'bytes',
      target: 'report',
      meets: true,
      detail: text,
    };
  } finally {
    await mcp.close();
    await simulator.close();
    await removeDir(cwd);
  }
}

async function raceResults(): Promise<BenchFigure[]> {
  const simulator = await raceSimulator();
  const root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  let mcp: InProcessMcp | undefined;
  try {
    await writeFile(path.join(root, 'CONTRACT.md'), CONTRACT);
    sh(root, 'add', 'CONTRACT.md');
    sh(root, 'commit', '--quiet', '-m', 'contract');
    mcp = await connectInProcess(raceConfig(simulator, root));
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await mcp!.client.callTool({ name, arguments: args });
      if (result.isError) throw new Error(`${name}: ${textOf(result)}`);
      return textOf(result);
    };
    const board = await call('race', {
      feature: 'sum',
      contract_file: 'CONTRACT.md',
      runners: 3,
      test_command: TEST_COMMAND,
    });
    const runners = (JSON.parse(board) as { runners: unknown[] }).runners;
    const perRunner = Math.round(
      runners.reduce<number>((sum, runner) => sum + bytes(runner), 0) / runners.length,
    );
    const judged = await call('race_step', { step: 'judge', feature: 'sum' });
    return [
      {
        name: 'race scoreboard, per runner (3 runners)',
        value: perRunner,
        unit: 'bytes',
        target: `≤ ${RUNNER_BUDGET_BYTES}`,
        meets: perRunner <= RUNNER_BUDGET_BYTES,
        detail: `whole scoreboard ${bytes(board)} bytes; runner-1: ${JSON.stringify(runners[0])}`,
      },
      {
        name: 'judge result (3 runners)',
        value: bytes(judged),
        unit: 'bytes',
        target: `≤ ${JUDGE_BUDGET_BYTES}`,
        meets: bytes(judged) <= JUDGE_BUDGET_BYTES,
        detail: judged.length > 600 ? `${judged.slice(0, 600)}…` : judged,
      },
    ];
  } finally {
    await mcp?.close();
    await simulator.close();
    await removeDir(root);
  }
}

/** Budget the plugin test enforces (test/plugin/claude-cli.test.ts). */
export const ALWAYS_ON_BUDGET_TOKENS = 300;

function alwaysOnContext(): BenchFigure {
  const repo = fileURLToPath(new URL('../', import.meta.url));
  const sandbox = mkdtempSync(path.join(tmpdir(), 'speed-run-bench-claude-'));
  try {
    const home = path.join(sandbox, 'home');
    const marketplace = path.join(sandbox, 'marketplace');
    mkdirSync(home);
    cpSync(path.join(repo, '.claude-plugin'), path.join(marketplace, '.claude-plugin'), { recursive: true });
    cpSync(path.join(repo, 'plugin'), path.join(marketplace, 'plugin'), { recursive: true });
    const claude = (...args: string[]) => {
      const run = spawnSync(
        process.execPath,
        [path.join(repo, 'node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs'), ...args],
        {
          cwd: home,
          env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: home, DISABLE_TELEMETRY: '1' },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      return `${run.stdout}${run.stderr}`;
    };
    claude('plugin', 'marketplace', 'add', marketplace);
    claude('plugin', 'install', 'speed-run@speed-run');
    const details = claude('plugin', 'details', 'speed-run@speed-run');
    const line = /Always-on:[^\n]*/.exec(details)?.[0] ?? 'no Always-on line';
    const tokens = Number(/Always-on:\s+~?(\d+) tok/.exec(details)?.[1] ?? NaN);
    return {
      name: 'plugin always-on context (claude plugin details)',
      value: tokens,
      unit: 'tokens',
      target: `≤ ${ALWAYS_ON_BUDGET_TOKENS}`,
      meets: tokens <= ALWAYS_ON_BUDGET_TOKENS,
      detail: line.trim(),
    };
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
}

const suite: BenchSuite = async () => [
  await toolDefinitions(),
  await turboResult(),
  ...(await raceResults()),
  alwaysOnContext(),
];
export default suite;
