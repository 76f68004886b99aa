/**
 * A 5-runner race's generation phase against a Cerebras-style quota: 30K tokens and 5 requests per "minute",
 * reserved up front by prompt + max_completion_tokens. The minute is scaled to 6 s so a run takes seconds, not
 * minutes; every figure scales with it.
 *  before: the old behaviour — every runner asks for 16,384 tokens and nothing paces them (each has its own
 *          scheduler), so they collide and live on 429 retries;
 *  after:  sized budgets and one shared provider scheduler, which queues runners until their reservation fits.
 * Same simulator, same replies, measured in one run. Reported: wall time (ratio) and 429s.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchFigure, BenchSuite } from './bench-figure.js';
import { generateFiles } from '../src/codegen/generate-files.js';
import { resolveConfig } from '../src/config/resolve-config.js';
import { ProviderScheduler } from '../src/provider/provider-scheduler.js';
import { fileReply } from '../test/support/file-reply.js';
import { startSimulator } from '../test/support/openai-simulator.js';

const RUNNERS = 5;
const WINDOW_MS = 6_000;
const CONTRACT =
  'Write src/module-01.ts, src/module-02.ts and src/module-03.ts: pure functions computing values, exported.';

interface Outcome {
  wallMs: number;
  rejections: number;
  completed: number;
  requests: number;
}

async function raceAgainstQuota(mode: 'before' | 'after', root: string): Promise<Outcome> {
  const simulator = await startSimulator({
    quota: { tokensPerMinute: 30_000, requestsPerMinute: 5, windowMs: WINDOW_MS },
    tokensPerSecond: 3000,
    firstTokenDelayMs: 100,
    defaultReply: { content: fileReply({ files: 3, lines: 20 }) },
  });
  try {
    const config = resolveConfig({
      env: {
        SPEED_RUN_BASE_URL: simulator.baseUrl,
        SPEED_RUN_API_KEY: simulator.apiKey,
        SPEED_RUN_MODEL: 'gpt-oss-120b',
        ...(mode === 'before' ? { SPEED_RUN_MAX_TOKENS: '16384' } : {}),
      },
      cwd: root,
    });
    const shared = new ProviderScheduler();
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: RUNNERS }, (_, i) =>
        generateFiles(
          config,
          { prompt: CONTRACT, outputDir: `${mode}/runner-${i + 1}` },
          { scheduler: mode === 'after' ? shared : new ProviderScheduler() },
        ),
      ),
    );
    const wallMs = performance.now() - started;
    return {
      wallMs,
      rejections: simulator.quotaRejections,
      completed: results.filter((r) => r.status === 'fulfilled' && r.value.files.length === 3).length,
      requests: simulator.requests.length,
    };
  } finally {
    await simulator.close();
  }
}

const suite: BenchSuite = async () => {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-bench-quota-')));
  try {
    const before = await raceAgainstQuota('before', root);
    const after = await raceAgainstQuota('after', root);
    const describe = (o: Outcome) =>
      `${Math.round(o.wallMs)} ms, ${o.rejections} 429s, ${o.completed}/${RUNNERS} runners complete, ${o.requests} requests`;
    const figures: BenchFigure[] = [
      {
        name: '5-runner race vs 30K-TPM quota: wall time after / before',
        value: after.wallMs / before.wallMs,
        unit: 'x',
        target: '< 1x, every runner complete',
        meets: after.wallMs < before.wallMs && after.completed === RUNNERS,
        detail: `after: ${describe(after)}; before: ${describe(before)} ("minute" = ${WINDOW_MS / 1000} s)`,
      },
      {
        name: '5-runner race vs 30K-TPM quota: 429s after',
        value: after.rejections,
        unit: '429s',
        target: '≤ 2 (a few)',
        meets: after.rejections <= 2,
        detail: `before: ${before.rejections} 429s`,
      },
    ];
    return figures;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
};

export default suite;
