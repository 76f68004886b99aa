import { availableParallelism } from 'node:os';
import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { RequestLimiter } from '../provider/request-limiter.js';
import { findRun, resolveRunnerId } from './find-run.js';
import {
  relativeToRoot,
  runDir,
  type CommandRecord,
  type ManifestStore,
  type RunnerRecord,
  type TestRecord,
} from './manifest-store.js';
import { runCommand, type CommandOutcome } from './run-command.js';
import type { RaceMode } from './race-types.js';
import { runnerScore, type RunnerScore } from './scoreboard.js';
import { parseTestOutput } from './test-output-parser.js';

/** A runner's status as it moves through the run, for live displays and progress notifications. */
export interface RunProgress {
  runner: string;
  status: RunnerRecord['status'];
  message: string;
}

export interface TestPhaseOptions {
  /** Bounds setup + test runs across runners; default: one slot per CPU core. */
  slots?: RequestLimiter;
  /** Environment for the commands; default: this process's, without provider API keys. */
  env?: NodeJS.ProcessEnv;
  onProgress?: (progress: RunProgress) => void;
  /** Names of variables never passed to the commands (they run generated code). */
  secretVariables?: string[];
  /** Aborting it (the client cancelled the run) kills a running setup or test command's process group. */
  signal?: AbortSignal;
}

const TAIL_CHARS = 1500;
const TAIL_LINES = 20;
// Provider keys never reach generated code; a parent test runner's context would garble a child test runner.
const DROPPED_VARIABLES = ['SPEED_RUN_API_KEY', 'CEREBRAS_API_KEY', 'NODE_TEST_CONTEXT'];

/** The last lines of output, short enough for a record or a tool result. */
export function outputTail(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n').slice(-TAIL_LINES).join('\n');
  return lines.length > TAIL_CHARS ? lines.slice(-TAIL_CHARS) : lines;
}

/** One test slot per core, shared by every run in this process. */
let sharedSlots: RequestLimiter | undefined;
export function testSlots(): RequestLimiter {
  return (sharedSlots ??= new RequestLimiter());
}

function commandEnv(options: TestPhaseOptions): NodeJS.ProcessEnv {
  const env = { ...(options.env ?? process.env) };
  for (const name of [...DROPPED_VARIABLES, ...(options.secretVariables ?? [])]) delete env[name];
  return env;
}

function commandRecord(outcome: CommandOutcome, root: string, at: string): CommandRecord {
  return {
    command: outcome.command,
    at,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    startFailed: outcome.startFailed,
    failed: outcome.failed,
    durationMs: outcome.durationMs,
    logFile: outcome.logFile ? relativeToRoot(root, outcome.logFile) : null,
    tail: outputTail(outcome.output),
    error: outcome.error,
  };
}

function describeFailure(kind: 'setup' | 'test', outcome: CommandOutcome, timeoutS: number): string {
  if (outcome.timedOut) return `${kind} command timed out after ${timeoutS} s (process group killed)`;
  if (outcome.cancelled) return `${kind} command cancelled: the run was aborted (process group killed)`;
  if (outcome.startFailed) {
    return `${kind} command could not start: ${outcome.error ?? `the shell exited ${outcome.exitCode} (command not found or not executable)`}`;
  }
  return `${kind} command exited ${outcome.exitCode ?? outcome.signal ?? 'abnormally'}`;
}

/**
 * Runs the workspace's setup command (when it has not yet succeeded there) and then its test command, each with
 * the run's timeout, and records the outcome. A command that fails marks the runner failed; nothing throws for
 * the commands' sake.
 */
export async function testWorkspace(
  store: ManifestStore,
  runnerId: string,
  options: TestPhaseOptions = {},
): Promise<void> {
  const manifest = store.record;
  const { testCommand, setupCommand, timeoutS } = manifest.options;
  if (testCommand === null) return;
  const root = manifest.repo.root;
  const runner = store.runner(runnerId);
  const cwd = path.join(root, runner.workspace.dir);
  const logs = path.join(runDir(root, manifest.feature, manifest.mode), 'logs');
  const env = commandEnv(options);
  const progress = (status: RunnerRecord['status'], message: string) =>
    options.onProgress?.({ runner: runnerId, status, message });

  const release = await (options.slots ?? testSlots()).acquire(availableParallelism());
  try {
    if (setupCommand !== null && (runner.setup === null || runner.setup.failed)) {
      await store.update(() => void (store.runner(runnerId).status = 'setup'), {
        type: 'setup-started',
        runner: runnerId,
        message: setupCommand,
      });
      progress('setup', setupCommand);
      const outcome = await runCommand(setupCommand, {
        cwd,
        timeoutMs: timeoutS * 1000,
        env,
        ...(options.signal ? { signal: options.signal } : {}),
        logFile: path.join(logs, `${runnerId}-setup.log`),
      });
      const record = commandRecord(outcome, root, new Date().toISOString());
      const failure = outcome.failed ? describeFailure('setup', outcome, timeoutS) : null;
      await store.update(
        () => {
          const r = store.runner(runnerId);
          r.setup = record;
          if (failure) {
            r.status = 'failed';
            r.failure = { stage: 'setup', message: failure };
          }
        },
        {
          type: failure ? 'setup-failed' : 'setup-passed',
          runner: runnerId,
          message: failure ?? `${outcome.durationMs} ms`,
        },
      );
      if (failure) {
        progress('failed', failure);
        return;
      }
    }

    await store.update(() => void (store.runner(runnerId).status = 'testing'), {
      type: 'tests-started',
      runner: runnerId,
      message: testCommand,
    });
    progress('testing', testCommand);
    const attempt = runner.tests === null ? '' : `-fix-${runner.fixCycles}`;
    const outcome = await runCommand(testCommand, {
      cwd,
      timeoutMs: timeoutS * 1000,
      env,
      ...(options.signal ? { signal: options.signal } : {}),
      logFile: path.join(logs, `${runnerId}-test${attempt}.log`),
    });
    const counts = parseTestOutput(outcome.output);
    const record: TestRecord = { ...commandRecord(outcome, root, new Date().toISOString()), counts };
    const failure = outcome.failed ? describeFailure('test', outcome, timeoutS) : null;
    const summary = `${counts.passed}/${counts.total} passed${failure ? `; ${failure}` : ''}`;
    await store.update(
      () => {
        const r = store.runner(runnerId);
        r.tests = record;
        r.status = failure ? 'failed' : 'passed';
        // A test failure replaces an earlier one; a pass after a fix clears it, unless generation itself failed.
        if (failure) r.failure = { stage: 'tests', message: failure };
        else if (r.failure?.stage === 'tests' || r.failure?.stage === 'setup') r.failure = null;
      },
      { type: failure ? 'tests-failed' : 'tests-passed', runner: runnerId, message: summary },
    );
    progress(failure ? 'failed' : 'passed', summary);
  } finally {
    release();
  }
}

export interface RerunRequest {
  repoDir: string;
  feature: string;
  runner: string;
  mode?: RaceMode;
}

export interface RerunResult {
  feature: string;
  mode: RaceMode;
  runner: RunnerScore;
  /** The test outcome before this run, for comparison. */
  previous: RunnerScore['tests'];
  /** The last lines of the test output (the whole of it is in the log file). */
  tail: string;
}

/**
 * Re-runs one workspace's tests after the agent fixed something there; each call counts a fix cycle. Setup runs
 * again only if it has not yet succeeded in that workspace.
 */
export async function rerunTests(
  request: RerunRequest,
  options: TestPhaseOptions = {},
): Promise<RerunResult> {
  const store = await findRun(request.repoDir, request.feature, request.mode);
  const manifest = store.record;
  const runnerId = resolveRunnerId(store, request.runner);
  if (manifest.options.testCommand === null) {
    throw new SpeedRunError(
      'invalid_input',
      `The ${manifest.mode} run "${manifest.feature}" has no test command.`,
      {
        field: 'test_command',
        hint: 'Start the run with test_command (CLI: --test) to have speed-run run tests, or run them yourself.',
      },
    );
  }
  if (manifest.status === 'finished') {
    throw new SpeedRunError(
      'invalid_input',
      `The ${manifest.mode} run "${manifest.feature}" is already finished.`,
      {
        field: 'feature',
        hint: 'Its losing workspaces are gone; test the merged code in the repository itself.',
      },
    );
  }
  if (manifest.status === 'running') {
    throw new SpeedRunError(
      'invalid_input',
      `The ${manifest.mode} run "${manifest.feature}" is still running.`,
      {
        field: 'feature',
        hint: 'Wait for the race to report its scoreboard, then re-run tests.',
      },
    );
  }
  const before = runnerScore(store.runner(runnerId)).tests;
  await store.update(() => void (store.runner(runnerId).fixCycles += 1), {
    type: 'fix-cycle',
    runner: runnerId,
    message: `run_tests #${store.runner(runnerId).fixCycles + 1}`,
  });
  await testWorkspace(store, runnerId, options);
  const after = store.runner(runnerId);
  return {
    feature: manifest.feature,
    mode: manifest.mode,
    runner: runnerScore(after),
    previous: before,
    tail: after.tests?.tail ?? after.setup?.tail ?? '',
  };
}
