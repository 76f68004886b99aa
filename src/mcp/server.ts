import { McpServer } from '@modelcontextprotocol/server';
import type { SpeedRunConfig } from '../config/config-types.js';
import type { Ledger } from '../ledger/ledger-file.js';
import { createClientRoots } from './client-roots.js';
import { RequestLimiter } from '../provider/request-limiter.js';
import type { ToolDeps } from './tool-deps.js';
import { registerCheckStatusTool } from './tools/check-status.js';
import { registerGenerateAndWriteFilesTool } from './tools/generate-and-write-files.js';
import { registerRaceTool } from './tools/race.js';
import { registerRaceStepTool } from './tools/race-step.js';

export const SERVER_NAME = 'hosted-llm-codegen';

export interface CreateServerOptions {
  config: SpeedRunConfig;
  /** Reported to clients in serverInfo. */
  version: string;
  /** Replaces global fetch for provider calls (tests, benchmarks). */
  fetch?: typeof fetch;
  /** Where log lines go; default stderr (stdout carries the protocol). */
  log?: (line: string) => void;
  /** Where generations are recorded (`speed-run stats`); none when absent. */
  ledger?: Ledger;
}

const INSTRUCTIONS =
  'Offload first-pass code generation to a fast hosted LLM. Call generate_and_write_files with a precise ' +
  'contract (DATA CONTRACT, API CONTRACT, ALGORITHM, RULES, file paths); it writes the files and returns only ' +
  'metadata. If a tool reports a configuration problem, call check_status.';

/** The MCP server with every tool registered. `cleanup` releases what the tools hold. */
export function createServer(options: CreateServerOptions): {
  server: McpServer;
  cleanup: () => Promise<void>;
} {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[speed-run] ${line}\n`));
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  const roots = createClientRoots(server, log);
  const deps: ToolDeps = {
    config: options.config,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.ledger ? { ledger: options.ledger } : {}),
    clientRoots: () => roots.get(),
    log,
    testSlots: new RequestLimiter(),
  };

  registerCheckStatusTool(server, deps);
  registerGenerateAndWriteFilesTool(server, deps);
  registerRaceTool(server, deps);
  registerRaceStepTool(server, deps);

  return { server, cleanup: async () => {} };
}
