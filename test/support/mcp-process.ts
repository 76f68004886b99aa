/**
 * Starts the built server (`node dist/cli/main.js mcp`) as a child process and connects the SDK client to it
 * over stdio, the way Claude Code does. Run `npm run build` first.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { testStateHome } from './test-state-home.js';

export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface McpProcess {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export interface McpProcessOptions {
  /** Added to a minimal environment (PATH, HOME, …): no key from the host leaks in. */
  env?: Record<string, string>;
  cwd?: string;
  /** Declare the roots capability and answer roots/list with these directories. */
  roots?: string[];
}

export async function startMcpProcess(options: McpProcessOptions = {}): Promise<McpProcess> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_CLI, 'mcp'],
    // The ledger goes to a temporary state directory, never the real home.
    env: { ...getDefaultEnvironment(), XDG_STATE_HOME: testStateHome(), ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client(
    { name: 'speed-run-test', version: '0.0.0' },
    { capabilities: options.roots ? { roots: { listChanged: true } } : {} },
  );
  if (options.roots) {
    const roots = options.roots;
    client.setRequestHandler('roots/list', async () => ({
      roots: roots.map((dir) => ({ uri: new URL(`file://${dir}`).href, name: dir })),
    }));
  }
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Environment pointing the server at a simulator. */
export function simulatorEnv(
  simulator: { baseUrl: string; apiKey: string },
  extra: Record<string, string> = {},
) {
  return {
    SPEED_RUN_BASE_URL: simulator.baseUrl,
    SPEED_RUN_API_KEY: simulator.apiKey,
    SPEED_RUN_MODEL: 'gpt-oss-120b',
    ...extra,
  };
}
