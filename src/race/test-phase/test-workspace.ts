import { availableParallelism } from 'node:os';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { childProcessEnv } from '../../config/child-env.js';
import type { RequestLimiter } from '../../provider/request-limiter.js';
import type { RunProgress } from '../race-types.js';
import type { CommandRecord, RunnerRecord, TestRecord } from '../record/manifest-schema.js';
import type { ManifestStore } from '../record/manifest-store.js';
import { relativeToRoot, runPaths } from '../record/run-paths.js';
import { workspaceFingerprint } from '../workspace/fingerprint.js';
import type { CommandOutcome } from './run-command.js';
import { runTestCommand, type TestCommandResult } from './run-test-command.js';

export interface TestPhaseOptions {
  /** Bounds setup + test runs across runners and runs: one limiter per process, injected by the caller. */
  slots: RequestLimiter;
  /** Environment for the commands; default: this process's, without provider API keys. */
  env?: NodeJS.ProcessEnv;
  onProgress?: (progress: RunProgress) => void;
  /** Names of variables never passed to the commands (they run generated code): `config.keyVariables`. */
  secretVariables?: string[];
  /** Configured keys (`config.secrets`), redacted from outputs, logs and the record. */
  secrets?: string[];
  /** Aborting it (the client cancelled the run) kills a running setup or test command's process group. */
  signal?: AbortSignal;
  /** Names this test run's log, e.g. `repair-1` (default: `fix-<n>` after the first run). */
  logLabel?: string;
}

// Provider keys never reach generated code; a parent test runner's context would garble a child test runner.
const DROPPED_VARIABLES = ['SPEED_RUN_API_KEY', 'CEREBRAS_API_KEY', 'NODE_TEST_CONTEXT'];

/**
 * The environment a setup or test command gets: the given one without provider keys (also CLAUDE_PLUGIN_OPTION_*
 * and any variable holding a configured key; see childProcessEnv).
 */
export function commandEnv(
  options: Pick<TestPhaseOptions, 'env' | 'secretVariables' | 'secrets'>,
): NodeJS.ProcessEnv {
  const keyVariables = [...DROPPED_VARIABLES, ...(options.secretVariables ?? [])];
  return childProcessEnv({ keyVariables, secrets: options.secrets ?? [] }, options.env ?? process.env);
}

function commandRecord(outcome: CommandOutcome, tail: string, root: string, at: string): CommandRecord {
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
    tail,
    error: outcome.error,
  };
}

/**
 * Runs the workspace's setup command (when it has not yet succeeded there) and then its test command, each with
 * the run's timeout, and records the outcome. A command that fails marks the runner failed; nothing throws for
 * the commands' sake.
 */
export async function testWorkspace(
  store: ManifestStore,
  runnerId: string,
  options: TestPhaseOptions,
): Promise<TestCommandResult | null> {
  const manifest = store.record;
  const { testCommand, setupCommand, timeoutS } = manifest.options;
  if (testCommand === null) return null;
  const root = manifest.repo.root;
  const runner = store.runner(runnerId);
  const cwd = path.join(root, ...runner.workspace.dir.split('/'));
  const logs = runPaths(root, manifest.feature, manifest.mode).logs;
  const env = commandEnv(options);
  const progress = (status: RunnerRecord['status'], message: string) =>
    options.onProgress?.({ runner: runnerId, status, message });

  const release = await options.slots.acquire(availableParallelism());
  try {
    // The record names the workspace; only a real directory at exactly that place is run in (no symlink).
    if ((await realpath(cwd).catch(() => null)) !== cwd) {
      const failure = `the workspace ${runner.workspace.dir} is missing or is not a plain directory`;
      await store.updateRunner(
        runnerId,
        (r) => {
          r.status = 'failed';
          r.failure = { stage: 'tests', message: failure };
        },
        { type: 'tests-failed', message: failure },
      );
      progress('failed', failure);
      return null;
    }
    if (setupCommand !== null && (runner.setup === null || runner.setup.failed)) {
      await store.updateRunner(runnerId, (r) => void (r.status = 'setup'), {
        type: 'setup-started',
        message: setupCommand,
      });
      progress('setup', setupCommand);
      const { outcome, tail, failure } = await runTestCommand(setupCommand, {
        kind: 'setup',
        cwd,
        timeoutMs: timeoutS * 1000,
        env,
        secrets: options.secrets ?? [],
        ...(options.signal ? { signal: options.signal } : {}),
        logFile: path.join(logs, `${runnerId}-setup.log`),
      });
      const record = commandRecord(outcome, tail, root, store.stamp());
      await store.updateRunner(
        runnerId,
        (r) => {
          r.setup = record;
          if (failure) {
            r.status = 'failed';
            r.failure = { stage: 'setup', message: failure };
          }
        },
        {
          type: failure ? 'setup-failed' : 'setup-passed',
          message: failure ?? `${outcome.durationMs} ms`,
        },
      );
      if (failure) {
        progress('failed', failure);
        return null;
      }
    }

    await store.updateRunner(runnerId, (r) => void (r.status = 'testing'), {
      type: 'tests-started',
      message: testCommand,
    });
    progress('testing', testCommand);
    const label = options.logLabel ?? (runner.tests === null ? null : `fix-${runner.fixCycles}`);
    const attempt = label === null ? '' : `-${label}`;
    const result = await runTestCommand(testCommand, {
      cwd,
      timeoutMs: timeoutS * 1000,
      env,
      secrets: options.secrets ?? [],
      ...(options.signal ? { signal: options.signal } : {}),
      logFile: path.join(logs, `${runnerId}-test${attempt}.log`),
    });
    const { outcome, counts, tail, failure } = result;
    const record: TestRecord = { ...commandRecord(outcome, tail, root, store.stamp()), counts };
    const fingerprint = await workspaceFingerprint(cwd, manifest.repo.git);
    const summary = `${counts.passed}/${counts.total} passed${failure ? `; ${failure}` : ''}`;
    await store.updateRunner(
      runnerId,
      (r) => {
        r.tests = record;
        r.fingerprint = fingerprint;
        r.status = failure ? 'failed' : 'passed';
        // A test failure replaces an earlier one; a pass after a fix clears it, unless generation itself failed.
        if (failure) r.failure = { stage: 'tests', message: failure };
        else if (r.failure?.stage === 'tests' || r.failure?.stage === 'setup') r.failure = null;
      },
      { type: failure ? 'tests-failed' : 'tests-passed', message: summary },
    );
    progress(failure ? 'failed' : 'passed', summary);
    return result;
  } finally {
    release();
  }
}
