import { McpServer } from '@modelcontextprotocol/server';
import type { SpeedRunConfig } from '../config/config-types.js';
import { isSpeedRunError, type SpeedRunError } from '../errors.js';
import { ProviderScheduler } from '../provider/provider-scheduler.js';
import type { Ledger } from '../ledger/ledger-file.js';
import type { CommandSeal } from '../race/record/command-seal.js';
import { createClientRoots } from './client-roots.js';
import { RequestLimiter } from '../provider/request-limiter.js';
import { toolError } from './tool-result.js';
import type { ToolDeps } from './tool-deps.js';
import { registerCheckStatusTool } from './tools/check-status.js';
import { registerGenerateAndWriteFilesTool } from './tools/generate-and-write-files.js';
import { registerRaceTool } from './tools/race.js';
import { registerRaceStepTool } from './tools/race-step.js';

export const SERVER_NAME = 'hosted-llm-codegen';

export interface CreateServerOptions {
  /**
   * The resolved settings, or the configuration problem resolving them raised (see `heldConfigProblem`): the
   * server starts either way, and with a problem every tool answers with it.
   */
  config: SpeedRunConfig | SpeedRunError;
  /** Secrets to redact from tool errors the shared wrapper reports (the keys in the environment). */
  secrets?: string[];
  /**
   * Another directory files may be written to, besides the cwd, the allowed dirs and the client roots:
   * `CLAUDE_PROJECT_DIR`, which Claude Code gives the servers of plugins.
   */
  projectDir?: string;
  /** Reported to clients in serverInfo. */
  version: string;
  /** Replaces global fetch for provider calls (tests, benchmarks). */
  fetch?: typeof fetch;
  /** Where log lines go; default stderr (stdout carries the protocol). */
  log?: (line: string) => void;
  /** Where generations are recorded (`speed-run stats`); none when absent. */
  ledger?: Ledger;
  /** Seals the commands race records keep (default: this process's key; `speed-run mcp`: the user's). */
  seal?: CommandSeal;
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
  const { config, projectDir } = options;
  const deps: ToolDeps = {
    get config(): SpeedRunConfig {
      if (isSpeedRunError(config)) throw config;
      return config;
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    scheduler: new ProviderScheduler(),
    ...(options.ledger ? { ledger: options.ledger } : {}),
    ...(options.seal ? { seal: options.seal } : {}),
    clientRoots: async () => [...(await roots.get()), ...(projectDir ? [projectDir] : [])],
    log,
    testSlots: new RequestLimiter(),
  };
  answerFailuresAsToolErrors(server, [
    ...(options.secrets ?? []),
    ...(isSpeedRunError(config) || config.provider.apiKey === undefined ? [] : [config.provider.apiKey]),
  ]);

  registerCheckStatusTool(server, deps);
  registerGenerateAndWriteFilesTool(server, deps);
  registerRaceTool(server, deps);
  registerRaceStepTool(server, deps);

  return { server, cleanup: async () => {} };
}

type ToolHandler = (...args: unknown[]) => unknown;

/**
 * The one shared wrapper around every tool handler: whatever a handler throws — the held configuration
 * problem included, even from its own catch block — becomes a tool error the model can read, redacted.
 */
function answerFailuresAsToolErrors(server: McpServer, secrets: string[]): void {
  const register = server.registerTool.bind(server) as (
    name: string,
    config: unknown,
    handler: ToolHandler,
  ) => unknown;
  const guarded = (name: string, config: unknown, handler: ToolHandler) =>
    register(name, config, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        return toolError(error, secrets);
      }
    });
  (server as unknown as { registerTool: typeof guarded }).registerTool = guarded;
}
