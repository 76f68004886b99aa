// Shared by the race, any, judge, test, finish and runs commands: reading the contract, the common options,
// the live per-runner display and the scoreboard table.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { SpeedRunConfig } from '../../config/config-types.js';
import type { GenerationProgress } from '../../codegen/generation-progress.js';
import type { LineStream } from '../live-line.js';
import { RequestLimiter } from '../../provider/request-limiter.js';
import type { RaceContext } from '../../race/race-context.js';
import { userSeal } from '../../race/record/command-seal.js';
import { ledgerFromEnv } from '../../ledger/ledger-file.js';
import type { RunProgress } from '../../race/race-types.js';
import type { RunnerScore, Scoreboard } from '../../race/record/scoreboard.js';
import { startRun, type StartRunOptions, type StartRunRequest } from '../../race/start-run.js';
import { loadConfig, reportFailure, reportFailureAsJson } from '../cli-context.js';
import { repairOption } from '../repair-option.js';
import { readContractArgument } from '../contract-argument.js';

export interface RunCliOptions {
  feature: string;
  model?: string[];
  test?: string;
  repair?: number;
  setup?: string;
  outSubdir?: string;
  timeout?: number;
  replace?: boolean;
  json?: boolean;
}

/** Adds the options race and any share. */
export function addRunOptions(command: Command): Command {
  return command
    .requiredOption('-f, --feature <slug>', 'feature slug: names the branches and docs/plans/<feature>/')
    .option(
      '-m, --model <model>',
      'a model for every runner; repeat (--model a --model b) for one per runner',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('-t, --test <command>', 'test command run in each workspace, e.g. "npm test"')
    .addOption(repairOption('model repair rounds, 0-3, for each runner whose tests fail (needs --test)'))
    .option('-s, --setup <command>', 'setup command run once per workspace first, e.g. "npm ci"')
    .option('-o, --out-subdir <dir>', 'generated files go to this sub-directory of each workspace')
    .addOption(
      new Option(
        '--timeout <seconds>',
        'time limit per setup/test command (default 300, at most 86400)',
      ).argParser(timeoutSeconds),
    )
    .option('--replace', 'replace an existing run of this feature (removes only what it recorded)')
    .option('--json', 'print the scoreboard as JSON on stdout instead of live lines');
}

export function addModeOption(command: Command): Command {
  return command.addOption(
    new Option('--mode <mode>', 'race or any-percent, when the feature has both').choices([
      'race',
      'any-percent',
    ]),
  );
}

/** The race use cases' context for one CLI process: its settings and its own test slots. */
export function cliRaceContext(
  config: SpeedRunConfig,
  onProgress?: (progress: RunProgress) => void,
): RaceContext {
  const ledger = ledgerFromEnv(process.env);
  return {
    config,
    testSlots: new RequestLimiter(),
    seal: userSeal(process.env),
    ...(ledger ? { ledger } : {}),
    log: (line) => void process.stderr.write(`speed-run: ${line}\n`),
    ...(onProgress ? { onProgress } : {}),
  };
}

/**
 * Runs a race use case for a command that needs no live display: loads the settings, calls it, and reports a
 * failure (redacted) with the exit code it deserves. Returns the result, or undefined after a failure.
 */
export async function cliRaceCall<T>(call: (context: RaceContext) => Promise<T>): Promise<T | undefined> {
  let config: SpeedRunConfig | undefined;
  try {
    config = loadConfig();
    return await call(cliRaceContext(config));
  } catch (error) {
    process.exitCode = reportFailure(error, config);
    return undefined;
  }
}

function runOptionsFrom(
  options: RunCliOptions,
  contract: { text: string; file: string | null },
): StartRunOptions {
  return {
    feature: options.feature,
    contract: contract.text,
    contractOrigin: contract.file,
    models: options.model,
    outputSubdir: options.outSubdir,
    setupCommand: options.setup,
    testCommand: options.test,
    repairRounds: options.repair,
    timeoutS: options.timeout,
    ...(options.replace ? { replace: true } : {}),
  };
}

const ICON: Record<RunProgress['status'], string> = {
  queued: '·',
  generating: '…',
  generated: '▣',
  setup: '⚙',
  testing: '⧗',
  repairing: '↻',
  passed: '✔',
  failed: '✖',
};

export interface LiveDisplay {
  onProgress: (p: RunProgress) => void;
  /** A runner's streamed tokens; only a terminal shows them. */
  onGenerationProgress?: (runner: string, progress: GenerationProgress) => void;
  done: () => void;
}

const REDRAW_MS = 250;
const FINAL: ReadonlySet<RunProgress['status']> = new Set(['passed', 'failed']);

/**
 * A live line per runner on a TTY (redrawn in place): status, then while it generates its phase and tokens so
 * far, and the runner's elapsed time, ticking until it passes or fails. Plain lines otherwise; nothing with
 * --json. Nothing is drawn before the first progress event, so a run refused up front leaves no stale lines.
 * Everything goes to stderr so stdout stays for the result.
 */
export function liveDisplay(
  json: boolean,
  stream: LineStream = process.stderr,
  now: () => number = Date.now,
): LiveDisplay {
  if (json) return { onProgress: () => undefined, done: () => undefined };
  if (!stream.isTTY) {
    return {
      onProgress: (p) => void stream.write(`${p.runner}: ${p.status}${p.message ? ` ${p.message}` : ''}\n`),
      done: () => undefined,
    };
  }
  interface Row {
    progress: RunProgress;
    started: number;
    ended: number | null;
    generation: GenerationProgress | null;
  }
  const rows = new Map<string, Row>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const width = () => Math.max(20, (stream.columns ?? 100) - 1);
  const line = ({ progress: p, started, ended, generation }: Row) => {
    const seconds = `${(((ended ?? now()) - started) / 1000).toFixed(1)} s`;
    const tokens =
      p.status === 'generating' && generation
        ? `${generation.phase} · ${generation.tokens.toLocaleString('en-US')} tokens`
        : p.message;
    return [`${ICON[p.status]} ${p.runner}`, p.status, tokens, seconds].filter(Boolean).join('  ');
  };
  const draw = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A`);
    for (const row of rows.values()) stream.write(`\x1b[2K${line(row).slice(0, width())}\n`);
    drawn = rows.size;
  };
  return {
    onProgress: (p) => {
      const row = rows.get(p.runner);
      const at = now();
      rows.set(p.runner, {
        progress: p,
        started: row?.started ?? at,
        ended: FINAL.has(p.status) ? at : null,
        generation: p.status === 'generating' ? (row?.generation ?? null) : null,
      });
      timer ??= setInterval(draw, REDRAW_MS).unref();
      draw();
    },
    onGenerationProgress: (runner, generation) => {
      const row = rows.get(runner);
      // Drawn by the timer: a redraw per token would flood the terminal.
      if (row) row.generation = generation;
    },
    done: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (rows.size > 0) draw();
    },
  };
}

function tokensCell(runner: RunnerScore): string {
  if (runner.tokens !== null) return String(runner.tokens);
  return runner.generation_ms === null ? '—' : 'unknown';
}

function testsCell(runner: RunnerScore): string {
  const t = runner.tests;
  if (!t) return '—';
  if (t.could_not_start) return 'could not start';
  if (t.timed_out) return 'timed out';
  return `${t.passed}/${t.total}`;
}

/** The scoreboard as an aligned table plus warnings and what to do next. */
export function printScoreboard(board: Scoreboard): void {
  const header = ['runner', 'status', 'files', 'lines', 'tokens', 'gen s', 'tests', 'workspace', 'variation'];
  const rows = board.runners.map((r) => [
    r.runner,
    r.status,
    String(r.files),
    String(r.lines),
    tokensCell(r),
    r.generation_ms === null ? '—' : (r.generation_ms / 1000).toFixed(1),
    testsCell(r),
    r.workspace,
    r.variation,
  ]);
  printTable(header, rows);
  for (const r of board.runners)
    if (r.failure) process.stdout.write(`  ${r.runner} failed at ${r.failure.stage}: ${r.failure.message}\n`);
  for (const warning of board.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`record: ${board.manifest}\n${cliNext(board)}\n`);
}

/** What to type next, in CLI words (the scoreboard's own `next` speaks MCP). */
export function cliNext(board: Scoreboard): string {
  if (board.status === 'finished') return 'This run is finished.';
  const mode = board.mode === 'any-percent' ? ' --mode any-percent' : '';
  const example =
    board.runners.find((r) => r.status === 'failed')?.runner ?? board.runners[0]?.runner ?? 'runner-1';
  const short = example.replace(/^runner-/, '').replace(/^variant-/, '');
  const steps = [
    'Read the workspaces above and fix what is close there.',
    ...(board.runners.some((r) => r.tests !== null)
      ? [`Re-run a runner's tests: speed-run test ${board.feature} ${short}${mode}`]
      : []),
    `Measure them: speed-run judge ${board.feature}${mode}`,
    `Promote the winner: speed-run finish ${board.feature} --winner N${mode}`,
  ];
  return steps.join('\n');
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(header)}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

/** The most a setup or test command may be given, as the engine enforces it. */
export const MAX_TIMEOUT_S = 24 * 3600;

export function timeoutSeconds(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > MAX_TIMEOUT_S)
    throw new InvalidArgumentError(`expected seconds above 0 and at most ${MAX_TIMEOUT_S} (24 h).`);
  return number;
}

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new InvalidArgumentError('expected a whole number above 0.');
  return number;
}

/** Exit 0 when at least one runner ended well (passed, or generated when there were no tests). */
export function scoreboardExitCode(board: Scoreboard): number {
  return board.runners.some((r) => r.status === 'passed' || (r.status === 'generated' && r.tests === null))
    ? 0
    : 1;
}

/**
 * The action `race` and `any` share: read the contract, run with a live display, print the scoreboard, set the
 * exit code. The two modes differ only in `request`, which adds the mode's own fields.
 */
export async function runFromCli(
  contractPath: string,
  options: RunCliOptions,
  request: (common: StartRunOptions) => StartRunRequest,
): Promise<void> {
  let config: SpeedRunConfig | undefined;
  try {
    config = loadConfig();
    const contract = await readContractArgument(contractPath);
    const display = liveDisplay(options.json === true);
    let board: Scoreboard;
    try {
      board = await startRun(request(runOptionsFrom(options, contract)), {
        ...cliRaceContext(config, display.onProgress),
        ...(display.onGenerationProgress ? { onGenerationProgress: display.onGenerationProgress } : {}),
      });
    } finally {
      display.done();
    }
    if (options.json) process.stdout.write(`${JSON.stringify(board, null, 2)}\n`);
    else printScoreboard(board);
    process.exitCode = scoreboardExitCode(board);
  } catch (error) {
    process.exitCode = options.json ? reportFailureAsJson(error, config) : reportFailure(error, config);
  }
}
