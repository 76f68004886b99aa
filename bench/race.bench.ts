/**
 * Race engine figures:
 *  (a) a 5-runner race's generation phase ÷ one turbo generation (generateFiles) of the same contract, the
 *      simulator streaming ~6k tokens per reply at 3000 tokens/s, with the default provider limiter (5 in
 *      flight, so all five generate at once); median of 3 each;
 *  (b) creating 5 worktrees on a repository of 1,000 files, median of 3;
 *  (c) the MCP server's peak RSS (VmHWM of the spawned `dist/cli/main.js mcp`) over a 5-runner race (Linux).
 * Needs `npm run build` first (npm run bench does it).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { generateFiles } from '../src/codegen/generate-files.js';
import { resolveConfig } from '../src/config/resolve-config.js';
import { runPlanned } from '../src/race/start-run.js';
import { planRaceRunners } from '../src/race/plan/runner-prompts.js';
import type { Scoreboard } from '../src/race/record/scoreboard.js';
import { inspectRepo } from '../src/race/workspace/repo.js';
import { createWorkspaces, planWorkspaces, removeWorkspace } from '../src/race/workspace/workspaces.js';
import { branches, removeDir, sh, tempRepo } from '../test/race/git-fixture.js';
import { raceContext } from '../test/race/race-fixture.js';
import { BUILT_CLI } from '../test/support/mcp-process.js';
import { startSimulator } from '../test/support/openai-simulator.js';
import { median, type BenchFigure, type BenchSuite } from './bench-figure.js';

const RUNS = 3;
const TOKENS_PER_SECOND = 3000;
const CONTRACT = 'Write twelve modules, src/module-N.ts, each exporting compute(input).';

/** ~24 KB of code in 12 files: about 6,000 tokens at the simulator's 4 characters per token. */
function reply(): string {
  const files: string[] = [];
  for (let i = 1; i <= 12; i += 1) {
    const lines = Array.from(
      { length: 40 },
      (_, j) => `  total += input * ${j + 1}; // step ${j + 1} of module ${i}`,
    );
    files.push(
      `<file path="src/module-${i}.ts">\nexport function compute(input: number): number {\n  let total = 0;\n${lines.join('\n')}\n  return total;\n}\n</file>`,
    );
  }
  return files.join('\n');
}

function env(simulator: { baseUrl: string; apiKey: string }, root: string): Record<string, string> {
  return {
    SPEED_RUN_BASE_URL: simulator.baseUrl,
    SPEED_RUN_API_KEY: simulator.apiKey,
    SPEED_RUN_MODEL: 'gpt-oss-120b',
    SPEED_RUN_ALLOWED_DIRS: root,
  };
}

async function generationRatio(): Promise<BenchFigure> {
  const simulator = await startSimulator({
    tokensPerSecond: TOKENS_PER_SECOND,
    firstTokenDelayMs: 100,
    defaultReply: { content: reply() },
  });
  const root = await tempRepo();
  try {
    const config = resolveConfig({ env: env(simulator, root), cwd: root });
    const turbo: number[] = [];
    const race: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      const single = await generateFiles(config, {
        prompt: CONTRACT,
        outputDir: path.join(root, `turbo-${run}`),
      });
      turbo.push(performance.now() - started);
      if (single.files.length !== 12) throw new Error('turbo generation failed');
      const board = await runPlanned(
        {
          mode: 'race',
          feature: 'bench',
          contract: CONTRACT,
          plans: planRaceRunners({ contract: CONTRACT, runners: 5 }),
          replace: true,
          repoDir: root,
        },
        raceContext(config),
      );
      if (board.runners.some((r) => r.files !== 12) || board.generation_wall_ms === null) {
        throw new Error(`race failed: ${JSON.stringify(board.runners.map((r) => r.failure))}`);
      }
      race.push(board.generation_wall_ms);
    }
    const ratio = median(race) / median(turbo);
    return {
      name: '5-runner race generation phase / one turbo generation',
      value: ratio,
      unit: 'x',
      target: '≤ 1.2x',
      meets: ratio <= 1.2,
      detail: `${median(race).toFixed(0)} ms vs ${median(turbo).toFixed(0)} ms (median of ${RUNS}; ~6k tokens each at ${TOKENS_PER_SECOND} tok/s, max in flight 5)`,
    };
  } finally {
    await simulator.close();
    await removeDir(root);
  }
}

async function worktreeCreation(): Promise<BenchFigure> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1000; i += 1)
    files[`src/dir-${i % 20}/file-${i}.ts`] = `export const value${i} = ${i};\n`.repeat(20);
  const root = await tempRepo(files);
  const times: number[] = [];
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const repo = await inspectRepo(root);
      const plans = planWorkspaces(repo, `bench-${run}`, [
        'runner-1',
        'runner-2',
        'runner-3',
        'runner-4',
        'runner-5',
      ]);
      const started = performance.now();
      await createWorkspaces(repo, plans, { feature: `bench-${run}`, mode: 'race' });
      times.push(performance.now() - started);
      for (const plan of plans) await removeWorkspace(repo, plan, { feature: `bench-${run}`, mode: 'race' });
    }
    if (branches(root).length !== 1) throw new Error('worktrees were not cleaned up');
  } finally {
    await removeDir(root);
  }
  const value = median(times);
  return {
    name: 'create 5 worktrees, repository of 1,000 files',
    value,
    unit: 'ms',
    target: '≤ 2000 ms',
    meets: value <= 2000,
    detail: `${times.map((t) => t.toFixed(0)).join(', ')} ms (median of ${RUNS}; sequential git worktree add)`,
  };
}

async function serverPeakRss(): Promise<BenchFigure> {
  const simulator = await startSimulator({
    tokensPerSecond: TOKENS_PER_SECOND,
    firstTokenDelayMs: 100,
    defaultReply: { content: reply() },
  });
  const root = await tempRepo();
  await writeFile(path.join(root, 'CONTRACT.md'), CONTRACT);
  sh(root, 'add', 'CONTRACT.md');
  sh(root, 'commit', '--quiet', '-m', 'contract');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_CLI, 'mcp'],
    env: { ...getDefaultEnvironment(), ...env(simulator, root) },
    cwd: root,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'speed-run-bench', version: '0.0.0' });
  try {
    await client.connect(transport);
    const pid = transport.pid;
    const result = await client.callTool(
      {
        name: 'race',
        arguments: {
          feature: 'rss',
          contract_file: 'CONTRACT.md',
          runners: 5,
          test_command: 'node -e "console.log(\'1 passed, 0 failed\')"',
        },
      },
      { timeout: 300_000 },
    );
    const board = result.structuredContent as Scoreboard | undefined;
    if (result.isError || !board || board.runners.some((r) => r.status !== 'passed')) {
      throw new Error(`race failed: ${JSON.stringify(result).slice(0, 500)}`);
    }
    const status = pid ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
    const mb = kb / 1024;
    return {
      name: 'MCP server peak RSS during a 5-runner race',
      value: mb,
      unit: 'MB',
      target: '≤ 150 MB',
      meets: mb <= 150,
      detail: `VmHWM of pid ${pid} after race (5 × ~6k tokens, tests run)`,
    };
  } finally {
    await client.close();
    await simulator.close();
    await removeDir(root);
  }
}

const suite: BenchSuite = async () => [
  await generationRatio(),
  await worktreeCreation(),
  await serverPeakRss(),
];

export default suite;
