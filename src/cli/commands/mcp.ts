import { Command } from 'commander';
import { ledgerFromEnv } from '../../ledger/ledger-file.js';
import { loadConfig, packageVersion, reportFailure } from '../cli-context.js';

/** `speed-run mcp`: the MCP server on stdio. A missing key is reported by the tools, not at startup. */
export function createMcpCommand(): Command {
  return new Command('mcp')
    .description('Run the hosted-llm-codegen MCP server on stdin/stdout.')
    .action(async () => {
      let config;
      try {
        config = loadConfig();
      } catch (error) {
        process.exitCode = reportFailure(error);
        return;
      }
      const { startStdioServer } = await import('../../mcp/stdio.js');
      const ledger = ledgerFromEnv(process.env);
      await startStdioServer({ config, version: packageVersion(), ...(ledger ? { ledger } : {}) });
      // Keep-alive sockets to the provider would hold the process open after the client has gone.
      process.exit(0);
    });
}
