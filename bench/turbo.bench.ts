/**
 * Turbo overhead. A simulated provider streams ~16k tokens in 20 files at 3000 tokens/s after 100 ms:
 *  (a) generate_and_write_files wall time through the real MCP server (spawned, stdio) ÷ a bare streaming
 *      HTTP read of the same reply, median of 5 each, alternating;
 *  (b) first file on disk (its progress notification) ÷ the whole call;
 *  (c) spawn of `node dist/cli/main.js mcp` → initialize answered, median of 10.
 * Needs `npm run build` first (npm run bench does it).
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, type BenchFigure, type BenchSuite } from './bench-figure.js';
import { fileReply } from '../test/support/file-reply.js';
import { simulatorEnv, startMcpProcess } from '../test/support/mcp-process.js';
import { startSimulator, type Simulator } from '../test/support/openai-simulator.js';

const RUNS = 5;
const SPAWN_RUNS = 10;
const TOKENS_PER_SECOND = 3000;
const FIRST_TOKEN_DELAY_MS = 100;
// 20 files of 38 lines ≈ 64 KB ≈ 16k tokens at the simulator's 4 characters per token.
const REPLY = fileReply({ files: 20, lines: 38 });

async function bareStreamingRead(simulator: Simulator): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${simulator.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${simulator.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-oss-120b',
      stream: true,
      messages: [{ role: 'user', content: 'bench' }],
    }),
  });
  const reader = response.body!.getReader();
  while (!(await reader.read()).done) {
    // drain
  }
  return performance.now() - started;
}

const suite: BenchSuite = async () => {
  const simulator = await startSimulator({
    tokensPerSecond: TOKENS_PER_SECOND,
    firstTokenDelayMs: FIRST_TOKEN_DELAY_MS,
    defaultReply: { content: REPLY },
  });
  const cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-bench-')));
  const figures: BenchFigure[] = [];
  try {
    const mcp = await startMcpProcess({ env: simulatorEnv(simulator), cwd });
    const bare: number[] = [];
    const viaMcp: number[] = [];
    const firstShare: number[] = [];
    try {
      await bareStreamingRead(simulator); // warm both paths once
      await mcp.client.callTool({
        name: 'generate_and_write_files',
        arguments: { prompt: 'warm', output_dir: 'warm' },
      });
      for (let run = 0; run < RUNS; run++) {
        bare.push(await bareStreamingRead(simulator));
        let firstAt: number | undefined;
        const started = performance.now();
        const result = await mcp.client.callTool(
          { name: 'generate_and_write_files', arguments: { prompt: 'bench', output_dir: `run-${run}` } },
          {
            timeout: 120_000,
            onprogress: () => {
              firstAt ??= performance.now() - started;
            },
          },
        );
        const wall = performance.now() - started;
        const files = (result.structuredContent as { files?: unknown[] } | undefined)?.files?.length ?? 0;
        if (result.isError || files !== 20)
          throw new Error(`bench generation failed: ${JSON.stringify(result)}`);
        viaMcp.push(wall);
        firstShare.push((firstAt ?? wall) / wall);
      }
    } finally {
      await mcp.close();
    }
    const ratio = median(viaMcp) / median(bare);
    figures.push({
      name: 'generate_and_write_files wall time / bare streaming read',
      value: ratio,
      unit: 'x',
      target: '≤ 1.03x',
      meets: ratio <= 1.03,
      detail: `${median(viaMcp).toFixed(0)} ms vs ${median(bare).toFixed(0)} ms (median of ${RUNS}; ~16k tokens, 20 files, ${TOKENS_PER_SECOND} tok/s)`,
    });
    const share = median(firstShare);
    figures.push({
      name: 'first file on disk / whole generation',
      value: share * 100,
      unit: '%',
      target: '≤ 15%',
      meets: share <= 0.15,
      detail: `median of ${RUNS}; first progress notification vs tool result`,
    });

    const spawns: number[] = [];
    for (let run = 0; run < SPAWN_RUNS; run++) {
      const started = performance.now();
      const server = await startMcpProcess({ env: simulatorEnv(simulator), cwd });
      spawns.push(performance.now() - started);
      await server.close();
    }
    const spawn = median(spawns);
    figures.push({
      name: 'MCP server spawn → initialize answered',
      value: spawn,
      unit: 'ms',
      target: '≤ 300 ms',
      meets: spawn <= 300,
      detail: `median of ${SPAWN_RUNS}; min ${Math.min(...spawns).toFixed(0)} ms, max ${Math.max(...spawns).toFixed(0)} ms`,
    });
  } finally {
    await simulator.close();
    await rm(cwd, { recursive: true, force: true });
  }
  return figures;
};

export default suite;
