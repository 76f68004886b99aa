/** Runs the built CLI (`node dist/cli/main.js …`) as a process with a minimal environment. */
import { spawn } from 'node:child_process';
import { BUILT_CLI } from './mcp-process.js';
import { testStateHome } from './test-state-home.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<CliRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    // The savings ledger of a spawned CLI goes to a temporary state directory, never the real home.
    XDG_STATE_HOME: testStateHome(),
    ...options.env,
  };
  const child = spawn(process.execPath, [BUILT_CLI, ...args], {
    env,
    cwd: options.cwd ?? process.cwd(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
