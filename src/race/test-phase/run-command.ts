import { spawn as nodeSpawn } from 'node:child_process';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createStreamRedactor, redactSecrets } from '../../config/redact.js';

/**
 * What happened when a user-supplied command line ran. A failure is a value with the same shape as success:
 * the race tabulates it beside the others instead of catching it.
 */
export interface CommandOutcome {
  command: string;
  cwd: string;
  /** null when the process was killed by a signal or never started. */
  exitCode: number | null;
  signal: string | null;
  /** The time budget ran out and the whole process group was killed. */
  timedOut: boolean;
  /** The caller's signal aborted it (or had already aborted it) and the whole process group was killed. */
  cancelled: boolean;
  /** The command could not start: spawn failed, or the shell could not find or execute it (126/127). */
  startFailed: boolean;
  /** Anything but exit code 0. */
  failed: boolean;
  durationMs: number;
  /** The last few KB of stdout and stderr, for a person to glance at. */
  stdoutTail: string;
  stderrTail: string;
  /** The last `keepBytes` of stdout and stderr interleaved as they arrived: input for parseTestOutput. */
  output: string;
  /** The spawn error, when there was one. */
  error: string | null;
  /** Where the whole interleaved output was written, when a log file was asked for. */
  logFile: string | null;
}

export interface RunCommandOptions {
  cwd: string;
  /** Kill the whole process group after this long. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Also write the interleaved output here (the directory is created). */
  logFile?: string;
  /** Bytes of each stream kept in `stdoutTail` / `stderrTail`. Default 4000. */
  tailBytes?: number;
  /** Bytes of interleaved output kept in `output`. Default 1 MB. */
  keepBytes?: number;
  /** After SIGTERM to the group, wait this long before SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
  /** Aborting it kills the process group, as a timeout does; an already aborted signal starts nothing. */
  signal?: AbortSignal;
  spawn?: typeof nodeSpawn;
  now?: () => number;
  /** Configured keys: redacted from the log file and from every text of the outcome. */
  secrets?: readonly string[];
}

const DEFAULT_TAIL = 4000;
/** After the shell exits, how long its output may still drain before leftover pipes are cut. */
const EXIT_DRAIN_MS = 500;
const DEFAULT_KEEP = 1_000_000;

/**
 * Runs a command line through the shell (it is user-supplied: `npm ci && npm test`) in its own process group,
 * so a timeout can kill everything it started. Never throws for the command's sake.
 */
export async function runCommand(command: string, options: RunCommandOptions): Promise<CommandOutcome> {
  const spawn = options.spawn ?? nodeSpawn;
  const now = options.now ?? Date.now;
  const tailBytes = options.tailBytes ?? DEFAULT_TAIL;
  const keepBytes = options.keepBytes ?? DEFAULT_KEEP;
  const startedAt = now();
  const stdout = new Tail(tailBytes);
  const stderr = new Tail(tailBytes);
  const output = new Tail(keepBytes);
  const secrets = options.secrets ?? [];
  const log = options.logFile ? await openLog(options.logFile, command, options.cwd, secrets) : null;

  const outcome = await new Promise<Omit<CommandOutcome, 'stdoutTail' | 'stderrTail' | 'output' | 'logFile'>>(
    (resolve) => {
      let timedOut = false;
      let cancelled = false;
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const finish = (value: Omit<CommandOutcome, 'stdoutTail' | 'stderrTail' | 'output' | 'logFile'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(killTimer);
        options.signal?.removeEventListener('abort', cancel);
        resolve(value);
      };
      const base = { command, cwd: options.cwd };

      if (options.signal?.aborted) {
        const notStarted = { ...base, exitCode: null, signal: null, timedOut: false, cancelled: true };
        resolve({
          ...notStarted,
          startFailed: false,
          failed: true,
          durationMs: 0,
          error: 'cancelled before it started',
        });
        return;
      }

      let child: ReturnType<typeof nodeSpawn>;
      try {
        child = spawn(command, {
          cwd: options.cwd,
          env: options.env ?? process.env,
          shell: true,
          detached: process.platform !== 'win32',
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (error) {
        const timerless = {
          ...base,
          exitCode: null,
          signal: null,
          timedOut: false,
          cancelled: false,
          startFailed: true,
          failed: true,
        };
        resolve({ ...timerless, durationMs: now() - startedAt, error: describe(error) });
        return;
      }

      const killGroup = (signal: NodeJS.Signals) => {
        if (child.pid === undefined) return;
        try {
          if (process.platform === 'win32') child.kill(signal);
          else process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      };
      const stop = () => {
        killGroup('SIGTERM');
        killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 2000);
        killTimer.unref();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs);
      function cancel() {
        cancelled = true;
        stop();
      }
      options.signal?.addEventListener('abort', cancel, { once: true });

      child.stdout?.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        output.push(chunk);
        log?.write(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        output.push(chunk);
        log?.write(chunk);
      });
      child.on('error', (error) => {
        finish({
          ...base,
          exitCode: null,
          signal: null,
          timedOut,
          cancelled,
          startFailed: child.pid === undefined,
          failed: true,
          durationMs: now() - startedAt,
          error: describe(error),
        });
      });
      // When the shell exits, whatever it left running in its group (a `cmd &` holding stdout, a `(cmd &)`)
      // ends with it, and the pipes those leftovers inherited are not waited on for more than a moment.
      let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
      child.on('exit', (code, signal) => {
        exited = { code, signal };
        killGroup('SIGTERM');
        const drainTimer = setTimeout(() => {
          killGroup('SIGKILL');
          child.stdout?.destroy();
          child.stderr?.destroy();
          settle(code, signal);
        }, EXIT_DRAIN_MS);
        drainTimer.unref();
      });
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        // Whatever the shell left behind in its group goes with it.
        if (timedOut || cancelled) killGroup('SIGKILL');
        finish({
          ...base,
          exitCode: code,
          signal,
          timedOut,
          cancelled,
          startFailed: !timedOut && !cancelled && (code === 127 || code === 126),
          failed: timedOut || cancelled || code !== 0,
          durationMs: now() - startedAt,
          error: null,
        });
      };
      child.on('close', (code, signal) => {
        // The exit status of the shell itself, not of the stream closing after the group was ended.
        settle(exited ? exited.code : code, exited ? exited.signal : signal);
      });
    },
  );

  if (log) {
    const tailNote = outcome.timedOut
      ? `\n[speed-run] timed out after ${options.timeoutMs} ms; process group killed\n`
      : `\n[speed-run] exit ${outcome.exitCode ?? outcome.signal ?? 'none'} after ${outcome.durationMs} ms\n`;
    log.write(Buffer.from(outcome.error ? `\n[speed-run] ${outcome.error}${tailNote}` : tailNote));
    await log.close();
  }
  const redact = (text: string) => redactSecrets(text, secrets);
  return {
    ...outcome,
    command: redact(outcome.command),
    error: outcome.error === null ? null : redact(outcome.error),
    stdoutTail: redact(stdout.text()),
    stderrTail: redact(stderr.text()),
    output: redact(output.text()),
    logFile: options.logFile ?? null,
  };
}

/** Keeps the last `limit` bytes pushed into it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

interface LogSink {
  write(chunk: Buffer): void;
  close(): Promise<void>;
}

/** Appends in order without holding the process up; errors writing the log never fail the command. */
async function openLog(
  file: string,
  command: string,
  cwd: string,
  secrets: readonly string[],
): Promise<LogSink> {
  // A key split across two chunks is still caught: the redactor holds back a key's length.
  const decoder = new StringDecoder('utf8');
  const redactor = createStreamRedactor(secrets);
  const header = redactSecrets(`$ ${command}\n# in ${cwd}\n`, secrets);
  let pending: Promise<unknown> = mkdir(path.dirname(file), { recursive: true })
    .then(() => writeFile(file, header))
    .catch(() => undefined);
  const append = (text: string) => {
    if (text !== '') pending = pending.then(() => appendFile(file, text)).catch(() => undefined);
  };
  return {
    write(chunk) {
      append(redactor.push(decoder.write(Buffer.from(chunk))));
    },
    async close() {
      append(redactor.push(decoder.end()) + redactor.end());
      await pending;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
