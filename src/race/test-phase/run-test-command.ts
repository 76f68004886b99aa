import type { TestSummary } from '../race-types.js';
import { runCommand, type CommandOutcome, type RunCommandOptions } from './run-command.js';
import { parseTestOutput } from './test-output-parser.js';

const TAIL_CHARS = 1500;
const TAIL_LINES = 20;

/** A setup or test command's outcome, read: the raw outcome, the test counts, a short tail and why it failed. */
export interface TestCommandResult {
  outcome: CommandOutcome;
  /** Parsed from the output (all 0 with `runner: null` when no summary was recognised). */
  counts: TestSummary;
  /** The last lines of the output, short enough for a record or a tool result. */
  tail: string;
  /** A one-line reason when the command failed (exit code, timeout, cancelled, could not start); else null. */
  failure: string | null;
}

/** The last lines of output, short enough for a record or a tool result. */
export function outputTail(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n').slice(-TAIL_LINES).join('\n');
  return lines.length > TAIL_CHARS ? lines.slice(-TAIL_CHARS) : lines;
}

/**
 * Runs one user-supplied setup or test command (see runCommand: own process group, timeout, log file) and reads
 * its outcome. The reusable step of any "run the tests, look at the result" loop. Never throws for the command's
 * sake.
 */
export async function runTestCommand(
  command: string,
  options: RunCommandOptions & { kind?: 'setup' | 'test' },
): Promise<TestCommandResult> {
  const outcome = await runCommand(command, options);
  return {
    outcome,
    counts: parseTestOutput(outcome.output),
    tail: outputTail(outcome.output),
    failure: outcome.failed ? describeFailure(options.kind ?? 'test', outcome, options.timeoutMs) : null,
  };
}

export function describeFailure(kind: 'setup' | 'test', outcome: CommandOutcome, timeoutMs: number): string {
  if (outcome.timedOut) {
    return `${kind} command timed out after ${timeoutMs / 1000} s (process group killed)`;
  }
  if (outcome.cancelled) return `${kind} command cancelled: the run was aborted (process group killed)`;
  if (outcome.startFailed) {
    return `${kind} command could not start: ${outcome.error ?? `the shell exited ${outcome.exitCode} (command not found or not executable)`}`;
  }
  return `${kind} command exited ${outcome.exitCode ?? outcome.signal ?? 'abnormally'}`;
}
