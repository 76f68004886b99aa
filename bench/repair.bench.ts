/**
 * Repair-round overhead. 20 generated files (~64 KB) fail their test command; one repair round sends them back
 * with the failing output and applies the reply's EDIT blocks (one hunk per file). Figure: the repair round's wall
 * time (files read, prompt built, reply streamed, hunks applied; test runs excluded) ÷ a plain generation whose
 * reply has the same number of characters, median of 5 each, alternating, simulator at 3000 tokens/s after 100 ms.
 * The simulator charges nothing for prompt length; a real provider adds prefill time for the files sent back.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateFiles } from '../src/codegen/generate-files.js';
import { generateAndVerify } from '../src/codegen/verify-and-repair.js';
import { resolveConfig } from '../src/config/resolve-config.js';
import { median, type BenchSuite } from './bench-figure.js';
import { fileReply, fileReplyPaths } from '../test/support/file-reply.js';
import { startSimulator } from '../test/support/openai-simulator.js';

const RUNS = 5;
const TOKENS_PER_SECOND = 3000;
const FILES = 20;
const GENERATED = fileReply({ files: FILES, lines: 38 });

/** One hunk per generated file: the first exported function returns something else. */
function repairReply(): string {
  return fileReplyPaths({ files: FILES })
    .map((file, index) => {
      const line = `export function compute${index}_1(value: number): number { return value * 1 + ${index}; }`;
      const fixed = line.replace('value * 1', 'value * 2');
      return `<EDIT path="${file}">\n<<<<<<< SEARCH\n${line}\n=======\n${fixed}\n>>>>>>> REPLACE\n</EDIT>\n`;
    })
    .join('\n');
}

/** A FILE reply of exactly `length` characters. */
function plainReplyOfLength(length: number): string {
  const open = '<FILE path="plain.ts">\n';
  const close = '</FILE>\n';
  const body = '// same size as the repair reply\n'
    .repeat(Math.ceil(length / 33))
    .slice(0, length - open.length - close.length - 1);
  return `${open}${body}\n${close}`;
}

const suite: BenchSuite = async () => {
  const repair = repairReply();
  const plain = plainReplyOfLength(repair.length);
  const simulator = await startSimulator({ tokensPerSecond: TOKENS_PER_SECOND, firstTokenDelayMs: 100 });
  const cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-bench-repair-')));
  const config = resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: simulator.baseUrl,
      SPEED_RUN_API_KEY: simulator.apiKey,
      SPEED_RUN_MODEL: 'gpt-oss-120b',
    },
    cwd,
  });
  const rounds: number[] = [];
  const plains: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      let roundStarted = 0;
      let roundMs = 0;
      // The first generation streams fast: only the repair round is timed.
      simulator.enqueue({ content: GENERATED, tokensPerSecond: 1_000_000 }, { content: repair });
      const result = await generateAndVerify(
        config,
        { prompt: 'bench', outputDir: `repair-${run}`, test: { command: 'exit 1', repairRounds: 1 } },
        {
          onPhase: (phase) => {
            if (phase === 'repair round 1') roundStarted = performance.now();
            if (phase === 'test after repair round 1') roundMs = performance.now() - roundStarted;
          },
        },
      );
      const edited = result.tests?.rounds[1]?.editedFiles.length ?? 0;
      if (edited !== FILES)
        throw new Error(`bench repair edited ${edited} files: ${JSON.stringify(result.rejected)}`);
      rounds.push(roundMs);

      simulator.enqueue({ content: plain });
      const started = performance.now();
      await generateFiles(config, { prompt: 'bench', outputDir: `plain-${run}` });
      plains.push(performance.now() - started);
    }
  } finally {
    await simulator.close();
    await rm(cwd, { recursive: true, force: true });
  }
  const ratio = median(rounds) / median(plains);
  return [
    {
      name: 'repair round / plain generation of the same reply size',
      value: ratio,
      unit: 'x',
      target: '≤ 1.5x',
      meets: ratio <= 1.5,
      detail:
        `${median(rounds).toFixed(0)} ms vs ${median(plains).toFixed(0)} ms (median of ${RUNS}; ${repair.length} ` +
        `chars of EDIT blocks for ${FILES} files, ~${Math.round(GENERATED.length / 1024)} KB sent back; ${TOKENS_PER_SECOND} tok/s)`,
    },
  ];
};

export default suite;
