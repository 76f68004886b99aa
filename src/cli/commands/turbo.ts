import { Command, InvalidArgumentError, Option } from 'commander';
import { generationReport, type GenerationReport } from '../../codegen/generation-report.js';
import { receiptLine } from '../../codegen/receipt.js';
import { ledgerFromEnv } from '../../ledger/ledger-file.js';
import { failureEntry, generationEntry, reachedProvider, recordCall } from '../../ledger/record-call.js';
import type { SpeedRunConfig } from '../../config/config-types.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  loadConfig,
  plural,
  reportFailure,
  reportFailureAsJson,
} from '../cli-context.js';
import { readContractArgument } from '../contract-argument.js';
import { repairOption } from '../repair-option.js';
import { checkRepairRounds } from '../../codegen/repair-rounds.js';
import { createLiveLine } from '../live-line.js';
import { progressCounter } from '../../codegen/generation-progress.js';

interface TurboOptions {
  out: string;
  context: string[];
  allowSecretContext?: boolean;
  model?: string;
  maxTokens?: number;
  json?: boolean;
  allowElided?: boolean;
  test?: string;
  repair?: number;
}

/** A repeatable option: `--context a --context b` collects both. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `speed-run turbo <contract-file|-> --out <dir>`: generate files from a contract and write them. */
export function createTurboCommand(): Command {
  return new Command('turbo')
    .description('Generate files from a contract prompt with the hosted LLM and write them to --out.')
    .argument('<contract>', 'contract file, or - to read it from stdin')
    .requiredOption(
      '-o, --out <dir>',
      'directory to write the files to (inside the working directory or SPEED_RUN_ALLOWED_DIRS)',
    )
    .option(
      '-c, --context <file>',
      'an existing file to show the model as reference (repeatable)',
      collect,
      [],
    )
    .option('--allow-secret-context', 'send context files that look like secrets (.env, keys) anyway')
    .option('-m, --model <model>', 'model id (default: configured model)')
    .addOption(
      new Option(
        '--max-tokens <n>',
        'output token budget (default SPEED_RUN_MAX_TOKENS, else sized to the contract)',
      ).argParser(positiveInteger),
    )
    .option('--allow-elided', 'write whole-file overwrites even when they look elided')
    .option('--test <command>', 'run this shell command after writing (in the working directory)')
    .addOption(repairOption('repair rounds when the tests fail, 0-3 (default 1 with --test)'))
    .option('--json', 'print one JSON report on stdout instead of progress lines')
    .action(async (contractPath: string, options: TurboOptions) => {
      process.exitCode = await runTurbo(contractPath, options);
    });
}

async function runTurbo(contractPath: string, options: TurboOptions): Promise<number> {
  let config: SpeedRunConfig | undefined;
  const live = createLiveLine(options.json ? { isTTY: false, write: () => true } : process.stderr);
  const ledger = ledgerFromEnv(process.env);
  const started = performance.now();
  try {
    config = loadConfig(options.model !== undefined ? { model: options.model } : {});
    checkRepairRounds(options.repair, options.test, 1);
    const { text: prompt } = await readContractArgument(contractPath);
    // Loaded here so `speed-run mcp` and `--help` start without the provider client.
    const { generateAndVerify } = await import('../../codegen/verify-and-repair.js');
    const result = await generateAndVerify(
      config,
      {
        prompt,
        outputDir: options.out,
        ...(options.context.length > 0 ? { contextFiles: options.context } : {}),
        ...(options.allowSecretContext ? { allowSecretContext: true } : {}),
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        ...(options.allowElided ? { allowElided: true } : {}),
        ...(options.test !== undefined
          ? {
              test: {
                command: options.test,
                ...(options.repair !== undefined ? { repairRounds: options.repair } : {}),
              },
            }
          : {}),
      },
      {
        onDelta: progressCounter((progress) => live.update(progress)),
        onPhase: (step) => {
          if (!options.json && options.test !== undefined) live.print(step, process.stdout);
        },
        onFile: (file) => {
          if (options.json) return;
          const verb = { created: 'wrote', overwritten: 'overwrote', edited: 'edited' }[file.status];
          const retry = file.attempt > 1 ? `, attempt ${file.attempt}` : '';
          live.print(`  ${verb} ${file.path} (${plural(file.lines, 'line')}${retry})`, process.stdout);
        },
      },
    );
    live.stop();
    const report = generationReport(result, Buffer.byteLength(prompt));
    const log = (line: string) => void process.stderr.write(`speed-run: ${line}\n`);
    await recordCall(
      ledger,
      generationEntry('turbo', config.provider.provider, result, Buffer.byteLength(prompt), new Date()),
      log,
    );
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printSummary(report);
    const failed = report.files.length === 0 || report.truncated || report.tests?.status === 'failed';
    return failed ? EXIT_FAILURE : EXIT_OK;
  } catch (error) {
    if (config && reachedProvider(error)) {
      const entry = failureEntry(
        'turbo',
        config.provider.provider,
        config.provider.model,
        error,
        performance.now() - started,
        new Date(),
      );
      await recordCall(ledger, entry, (line) => void process.stderr.write(`speed-run: ${line}\n`));
    }
    live.stop();
    return options.json ? reportFailureAsJson(error, config) : reportFailure(error, config);
  }
}

function printSummary(report: GenerationReport): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  for (const file of report.rejected) err(`  refused ${file.path}: ${file.reason}`);
  for (const file of report.unclosed ?? [])
    err(`  cut off ${file.path} (${plural(file.bytes, 'byte')} received, not written)`);
  if (report.limit_reached) err(`  ${report.limit_reached}`);
  const count = report.files.length + (report.files_omitted ?? 0);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const first =
    report.time_to_first_file_ms === null ? '' : `, first file at ${seconds(report.time_to_first_file_ms)}`;
  out(
    `${plural(count, 'file')}, ${plural(report.total_lines, 'line')} in ${report.output_dir} ` +
      `(${report.model}, ${seconds(report.generation_ms)}${first}` +
      `${report.attempts > 1 ? `, ${report.attempts} attempts` : ''})`,
  );
  out(receiptLine(report.receipt));
  if (report.tests) {
    const { tests } = report;
    const repairs = tests.rounds.length - 1;
    out(
      `tests ${tests.status}: ${tests.passed} passed, ${tests.failed} failed` +
        `${repairs > 0 ? ` after ${repairs} repair ${repairs === 1 ? 'round' : 'rounds'}` : ''} (${tests.command})`,
    );
    if (tests.failure) err(`  ${tests.failure}`);
    if (tests.failing_tail) err(tests.failing_tail);
  }
  if (report.hint) err(report.hint);
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new InvalidArgumentError('expected a whole number above 0.');
  return number;
}
