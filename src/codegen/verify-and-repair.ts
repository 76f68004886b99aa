import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SpeedRunConfig } from '../config/config-types.js';
import { redactSecrets } from '../config/redact.js';
import type { Usage } from '../provider/usage.js';
import { isSpeedRunError, SpeedRunError } from '../errors.js';
import { runTestCommand, type TestCommandResult } from '../race/test-phase/run-test-command.js';
import { commandEnv } from '../race/test-phase/test-workspace.js';
import { realAllowedRoots, resolveOutputDir } from '../write/allowed-roots.js';
import { isWithin } from '../write/path-policy.js';
import { SafeFileWriter, type RejectedFile } from '../write/safe-file-writer.js';
import { checkRepairRounds } from './repair-rounds.js';
import { buildRepairPrompt, type PromptContextFile } from './build-prompt.js';
import {
  generateFiles,
  readPromptContext,
  type GeneratedFile,
  type GenerateFilesHooks,
  type GenerateFilesRequest,
  type GenerateFilesResult,
} from './generate-files.js';

export const DEFAULT_TEST_TIMEOUT_S = 300;
/** The failing tail a result carries for the agent. */
export const FAILING_TAIL_CHARS = 1_500;
/** The failing output a repair request carries for the model. */
const MODEL_TAIL_CHARS = 6_000;
/** Current file content a repair request carries at most. */
const MAX_REPAIR_FILE_BYTES = 512 * 1024;

export interface TestOptions {
  /** A shell command line, e.g. `npm test`. */
  command: string;
  /** Where it runs: absolute or relative to `config.cwd` (default), inside an allowed root. */
  cwd?: string;
  /** Repair rounds after a failing run, 0-3; default 1. */
  repairRounds?: number;
  timeoutMs?: number;
}

/** One run of the test command, read. */
export interface TestRun {
  passed: number;
  failed: number;
  ok: boolean;
  /** A repair cannot help (the command could not start, or the run was cancelled). */
  final: boolean;
  /** The last lines, ≤ 1,500 characters, keys redacted. */
  tail: string;
  /** More of the end of the output, for the repair request. */
  modelTail: string;
  /** Why it failed, in one line; null when it passed. */
  failure: string | null;
}

export interface TestRound {
  passed: number;
  failed: number;
  /** Files the round before this run wrote or edited; [] for the run after generation. */
  editedFiles: string[];
}

export interface TestsResult {
  command: string;
  passed: number;
  failed: number;
  /** Every run: the first after generation, then one per repair round. */
  rounds: TestRound[];
  status: 'passed' | 'failed';
  /** When still failing: why, and the end of the output (≤ 1,500 characters). */
  failure?: string;
  failingTail?: string;
}

export type VerifiedResult = GenerateFilesResult & { tests?: TestsResult };

export interface VerifyHooks extends GenerateFilesHooks {
  /** Each phase as it starts: "generate", "test", "repair round 1", ... */
  onPhase?(phase: string): void;
  /** Runs the test command once; default: the race test runner in `cwd` without provider keys. */
  runTests?(command: string, cwd: string): Promise<TestRun>;
}

/**
 * Generate, then (with a test command) test and repair: while the tests fail and rounds are left, the model gets
 * the contract, the current files and the failing output and answers with EDIT blocks, which are applied through
 * the same writer; then the tests run again. Returns the generation result with `tests`.
 */
export async function generateAndVerify(
  config: SpeedRunConfig,
  request: GenerateFilesRequest & { test?: TestOptions },
  hooks: VerifyHooks = {},
): Promise<VerifiedResult> {
  const { test, ...generation } = request;
  if (test === undefined) {
    hooks.onPhase?.('generate');
    return generateFiles(config, generation, hooks);
  }
  const allowedRoots = [...config.allowedRoots, ...(request.extraRoots ?? [])];
  const rounds = checkRepairRounds(test.repairRounds, test.command, 1);
  const command = checkCommand(test.command);
  const cwd = await resolveTestCwd(test.cwd, config.cwd, allowedRoots);
  const outputDir = await resolveOutputDir(request.outputDir, { cwd: config.cwd, allowedRoots });
  const writer = new SafeFileWriter(outputDir, config.limits);
  const runTests =
    hooks.runTests ??
    ((line: string, dir: string) => defaultRunTests(config, line, dir, test.timeoutMs, request.signal));

  hooks.onPhase?.('generate');
  const first = await generateFiles(config, generation, { ...hooks, writer });
  hooks.onPhase?.('test');
  const run = await runTests(command, cwd);
  const repaired = await repairUntilGreen(config, {
    request: generation,
    writer,
    command,
    first: run,
    rounds,
    runTests: () => runTests(command, cwd),
    hooks,
  });
  return { ...merge(first, repaired.results, writer), tests: repaired.tests };
}

export interface RepairInput {
  /** The first request: its contract, context files, model and temperature are used again. */
  request: GenerateFilesRequest;
  /** The writer that wrote the first generation: edits go through it, its files are what the model sees. */
  writer: SafeFileWriter;
  command: string;
  /** The failing (or passing) run after generation. */
  first: TestRun;
  rounds: number;
  runTests(): Promise<TestRun>;
  hooks?: VerifyHooks;
}

/**
 * The repair loop on its own (turbo and race runners): up to `rounds` rounds of "send the failing output and the
 * current files, apply the EDIT blocks that come back, run the tests again", stopping once they pass.
 */
export async function repairUntilGreen(
  config: SpeedRunConfig,
  input: RepairInput,
): Promise<{ tests: TestsResult; results: GenerateFilesResult[] }> {
  const hooks = input.hooks ?? {};
  const results: GenerateFilesResult[] = [];
  const history: TestRound[] = [{ passed: input.first.passed, failed: input.first.failed, editedFiles: [] }];
  const context = await readPromptContext(config, input.request, input.writer.directory);
  let run = input.first;
  let repairFailure: string | null = null;
  for (let round = 1; round <= input.rounds && !run.ok && !run.final; round++) {
    hooks.onPhase?.(`repair round ${round}`);
    const files = await currentFiles(input.writer, context);
    const edited = new Set<string>();
    const userMessage = buildRepairPrompt({
      contract: input.request.prompt,
      files,
      context: context.filter((file) => !file.editable),
      testCommand: input.command,
      failingOutput: run.modelTail,
    });
    let result: GenerateFilesResult;
    try {
      result = await generateFiles(
        config,
        { ...input.request, userMessage, allowElided: false },
        {
          ...hooks,
          writer: input.writer,
          onFile: (file: GeneratedFile) => {
            edited.add(file.path);
            hooks.onFile?.(file);
          },
        },
      );
    } catch (error) {
      // The files and the test result so far stand; say why the loop stopped instead of losing them.
      if (input.request.signal?.aborted) throw error;
      const message = isSpeedRunError(error) ? `${error.kind}: ${error.message}` : String(error);
      repairFailure = redactSecrets(`repair round ${round} failed (${message})`, [config.provider.apiKey]);
      break;
    }
    results.push(result);
    hooks.onPhase?.(`test after repair round ${round}`);
    run = await input.runTests();
    history.push({ passed: run.passed, failed: run.failed, editedFiles: [...edited] });
  }
  const tests: TestsResult = {
    command: input.command,
    passed: run.passed,
    failed: run.failed,
    rounds: history,
    status: run.ok ? 'passed' : 'failed',
  };
  if (!run.ok) {
    const failure = [run.failure, repairFailure].filter((part) => part !== null).join('; ');
    if (failure !== '') tests.failure = failure;
    tests.failingTail = run.tail;
  }
  return { tests, results };
}

/**
 * Runs the command with the race test phase's runner (one command runner in the project): own process group,
 * timeout, output parsed for counts, provider key variables removed from its environment, keys redacted.
 */
async function defaultRunTests(
  config: SpeedRunConfig,
  command: string,
  cwd: string,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<TestRun> {
  const result = await runTestCommand(command, {
    cwd,
    timeoutMs: timeoutMs ?? DEFAULT_TEST_TIMEOUT_S * 1000,
    env: commandEnv({ secretVariables: config.keyVariables, secrets: config.secrets }),
    secrets: config.secrets,
    ...(signal ? { signal } : {}),
  });
  return testRunOf(config, result);
}

/** A test command's outcome as the repair loop reads it: counts, a short tail for the agent, more for the model. */
export function testRunOf(config: SpeedRunConfig, result: TestCommandResult): TestRun {
  const { outcome, counts } = result;
  const secrets = [config.provider.apiKey, ...config.secrets];
  return {
    passed: counts.passed,
    failed: counts.failed,
    ok: !outcome.failed,
    final: outcome.startFailed || outcome.cancelled,
    tail: redactSecrets(result.tail, secrets).slice(-FAILING_TAIL_CHARS),
    modelTail: redactSecrets(outcome.output.replace(/\s+$/, '').slice(-MODEL_TAIL_CHARS), secrets),
    failure: result.failure,
  };
}

/** What the model sees in a repair round: every file written so far and the editable context files, as now. */
async function currentFiles(
  writer: SafeFileWriter,
  context: PromptContextFile[],
): Promise<PromptContextFile[]> {
  const paths = [...writer.written.map((file) => file.path)];
  for (const file of context) if (file.editable && !paths.includes(file.path)) paths.push(file.path);
  const files: PromptContextFile[] = [];
  let total = 0;
  for (const relative of paths) {
    const content = await readInside(writer.directory, relative);
    if (content === null) continue;
    total += Buffer.byteLength(content, 'utf8');
    if (total > MAX_REPAIR_FILE_BYTES) break;
    files.push({ path: relative, content, editable: true });
  }
  return files;
}

/** A file's text when it is a regular file whose real path lies inside `dir`; null otherwise. */
async function readInside(dir: string, relative: string): Promise<string | null> {
  try {
    const realDir = await realpath(dir);
    const real = await realpath(path.join(dir, ...relative.split('/')));
    if (!isWithin(realDir, real)) return null;
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** The first generation's result with the repair rounds folded in: every file on disk now, tokens summed. */
function merge(
  first: GenerateFilesResult,
  repairs: GenerateFilesResult[],
  writer: SafeFileWriter,
): GenerateFilesResult {
  const attempt = new Map<string, number>();
  for (const result of [first, ...repairs])
    for (const file of result.files) attempt.set(file.path, file.attempt);
  const rejected: RejectedFile[] = [...first.rejected];
  for (const result of repairs) rejected.push(...result.rejected);
  let usage = first.usage;
  let generationMs = first.generationMs;
  for (const result of repairs) {
    usage = addUsage(usage, result.usage);
    generationMs += result.generationMs;
  }
  return {
    ...first,
    files: writer.written.map((file) => ({ ...file, attempt: attempt.get(file.path) ?? 1 })),
    rejected: rejected.filter(
      (file, index) => rejected.findIndex((r) => r.path === file.path && r.reason === file.reason) === index,
    ),
    usage,
    generationMs,
  };
}

/** Tokens of every request; null only when no request reported any. */
function addUsage(a: Usage | null, b: Usage | null): Usage | null {
  if (a === null || b === null) return a ?? b;
  const sum: Usage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined) {
    sum.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  }
  return sum;
}

function checkCommand(command: string): string {
  if (typeof command !== 'string' || command.trim() === '') {
    throw new SpeedRunError('invalid_input', 'test_command is empty.', {
      field: 'test_command',
      hint: 'Give the command that runs the project’s tests, e.g. "npm test".',
    });
  }
  return command;
}

/** The test command's directory: an existing directory inside an allowed root (default: the working directory). */
async function resolveTestCwd(
  given: string | undefined,
  cwd: string,
  allowedRoots: string[],
): Promise<string> {
  if (given === undefined) return cwd;
  const absolute = path.resolve(cwd, given);
  let real: string;
  try {
    real = await realpath(absolute);
    if (!(await stat(real)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new SpeedRunError(
      'invalid_input',
      `test_cwd "${given}" is not an existing directory (looked for ${absolute}).`,
      {
        field: 'test_cwd',
        hint: `Give the project directory; relative paths are resolved against ${cwd}.`,
      },
    );
  }
  const roots = await realAllowedRoots(allowedRoots, cwd);
  if (!roots.some((root) => isWithin(root, real))) {
    throw new SpeedRunError(
      'path_rejected',
      `test_cwd "${given}" (${real}) is outside the allowed directories.`,
      {
        field: 'test_cwd',
        hint: 'Use a directory inside the working directory or SPEED_RUN_ALLOWED_DIRS.',
      },
    );
  }
  return real;
}
