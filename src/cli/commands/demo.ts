import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { SpeedRunConfig } from '../../config/config-types.js';
import { DEFAULTS } from '../../config/resolve-config.js';
import { SpeedRunError } from '../../errors.js';
import { EXIT_FAILURE, EXIT_OK, plural, reportFailure } from '../cli-context.js';

/** Every line the demo prints starts with this: none of it came from a provider. */
const LABEL = '[replay, no provider]';

/** The bundled example, relative to the package root. */
const EXAMPLE = 'examples/rate-limiter';

/**
 * `speed-run demo [--out dir]`: turbo on the bundled example contract through the real pipeline (provider client,
 * extractor, safe writer, report) against a local replay of a recorded reply, then the example's own test. It
 * needs no key and contacts no provider; it is only ever run on purpose, never as a fallback.
 */
export function createDemoCommand(): Command {
  return new Command('demo')
    .description(
      'See turbo work without a key: the example contract against a local replay of a recorded reply ' +
        '(contacts no provider), then the example test.',
    )
    .option('-o, --out <dir>', 'where the files land (inside the working directory)', 'speed-run-demo')
    .action(async (options: { out: string }) => {
      process.exitCode = await runDemo(options.out);
    });
}

const say = (line: string) => void process.stdout.write(`${LABEL} ${line}\n`);

async function runDemo(out: string): Promise<number> {
  const example = findExample();
  const { startReplayServer } = await import('../demo/replay-server.js');
  let replay: Awaited<ReturnType<typeof startReplayServer>> | undefined;
  try {
    const contract = await readFile(path.join(example, 'CONTRACT.md'), 'utf8');
    replay = await startReplayServer(await readFile(path.join(example, 'recorded-reply.txt'), 'utf8'));
    say(`speed-run demo: ${EXAMPLE}/CONTRACT.md through turbo, against a recorded reply that a local`);
    say(`replay server streams from ${replay.baseUrl}. No provider is contacted and no key is used.`);
    const { generateFiles } = await import('../../codegen/generate-files.js');
    const { generationReport } = await import('../../codegen/generation-report.js');
    const result = await generateFiles(
      demoConfig(replay.baseUrl),
      { prompt: contract, outputDir: out },
      {
        onFile: (file) =>
          say(
            `  ${file.status === 'overwritten' ? 'overwrote' : 'wrote'} ${file.path} (${plural(file.lines, 'line')})`,
          ),
      },
    );
    const report = generationReport(result, Buffer.byteLength(contract));
    say(
      `${plural(report.files.length, 'file')}, ${plural(report.total_lines, 'line')} in ${report.output_dir} ` +
        `(replayed in ${(report.generation_ms / 1000).toFixed(1)} s)`,
    );
    await replay.close();
    replay = undefined;

    say(`Running the example's own test on them: node --import tsx --test ${EXAMPLE}/rate-limiter.test.ts`);
    const passed = await runExampleTest(example, report.output_dir);
    if (passed === null) {
      say('  skipped: the test needs tsx (a devDependency), which is not installed here. In a clone:');
      say(`  RATE_LIMITER_DIR=${report.output_dir} npx tsx --test ${EXAMPLE}/rate-limiter.test.ts`);
    }
    say('That was a replay. For real generations, set a provider key and run speed-run status, then');
    say(`speed-run turbo ${EXAMPLE}/CONTRACT.md --out <dir> (see docs/configuration.md for providers).`);
    return passed === false ? EXIT_FAILURE : EXIT_OK;
  } catch (error) {
    return reportFailure(error);
  } finally {
    await replay?.close();
  }
}

/** The example folder: next to dist/ in the npm package and in a clone. */
function findExample(): string {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const example = path.join(root, EXAMPLE);
  if (!existsSync(path.join(example, 'recorded-reply.txt'))) {
    throw new SpeedRunError('config', `The demo's example is missing (${example}).`, {
      hint: 'Run speed-run demo from a clone of the repository or from the npm package, which both ship it.',
    });
  }
  return example;
}

/** Settings for the replay alone: nothing from the environment or a config file, so no key can leave. */
function demoConfig(baseUrl: string): SpeedRunConfig {
  const cwd = process.cwd();
  return {
    provider: {
      provider: 'replay',
      baseUrl,
      apiKey: 'replay-needs-no-key',
      apiKeyVariable: 'none (replay)',
      model: 'recorded-reply',
      timeoutMs: DEFAULTS.timeoutSeconds * 1000,
      idleTimeoutMs: DEFAULTS.idleTimeoutSeconds * 1000,
      maxRetries: 0,
      maxInFlight: 1,
      maxOutputTokens: undefined,
    },
    limits: {
      maxFiles: DEFAULTS.maxFiles,
      maxFileBytes: DEFAULTS.maxFileBytes,
      maxTotalBytes: DEFAULTS.maxTotalBytes,
    },
    allowedRoots: [cwd],
    cwd,
    keyVariables: [],
    secrets: [],
  };
}

/**
 * Runs the example test with tsx on the generated files, each output line labelled. true/false when it ran,
 * null when tsx is not installed (the npm package does not depend on it).
 */
async function runExampleTest(example: string, outputDir: string): Promise<boolean | null> {
  const root = path.resolve(example, '../..');
  try {
    createRequire(path.join(root, 'package.json')).resolve('tsx');
  } catch {
    return null;
  }
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', path.join(example, 'rate-limiter.test.ts')],
    {
      cwd: root,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, RATE_LIMITER_DIR: outputDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const label = (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim() !== '') say(`  test │ ${line}`);
  };
  let pending = '';
  const onData = (data: Buffer) => {
    pending += data.toString('utf8');
    const end = pending.lastIndexOf('\n');
    if (end < 0) return;
    label(pending.slice(0, end));
    pending = pending.slice(end + 1);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  label(pending);
  return code === 0;
}
