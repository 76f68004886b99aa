import { Command } from 'commander';
import { usableValue } from '../../config/read-setting.js';
import { heldConfigProblem } from '../../mcp/config-problem.js';
import { knownSecrets, loadConfig, packageVersion } from '../cli-context.js';
import { ledgerFromEnv } from '../../ledger/ledger-file.js';
import { userSeal } from '../../race/record/command-seal.js';

/**
 * `speed-run mcp`: the MCP server on stdio. It always starts: a configuration problem (no key, a bad setting,
 * an invalid config file) is held and reported by every tool, so the agent can call `check_status` and show
 * the fix instead of seeing a server that "failed".
 */
export function createMcpCommand(): Command {
  return new Command('mcp')
    .description('Run the hosted-llm-codegen MCP server on stdin/stdout (started by an MCP client).')
    .action(async () => {
      const log = (line: string) => void process.stderr.write(`[speed-run] ${line}\n`);
      let config;
      try {
        config = loadConfig();
      } catch (error) {
        config = heldConfigProblem(error);
        log(`${config.message} Every tool reports this until it is fixed.`);
      }
      if (process.stdin.isTTY) {
        process.stderr.write(
          'speed-run mcp: waiting for an MCP client on stdin (this command is started by Claude Code or another ' +
            'MCP client; press Ctrl-C to stop). For the CLI, see speed-run --help.\n',
        );
      }
      const projectDir = usableValue(process.env.CLAUDE_PROJECT_DIR);
      const { startStdioServer } = await import('../../mcp/stdio.js');
      const ledger = ledgerFromEnv(process.env);
      await startStdioServer({
        config,
        version: packageVersion(),
        secrets: knownSecrets(),
        ...(projectDir ? { projectDir } : {}),
        ...(ledger ? { ledger } : {}),
        seal: userSeal(process.env),
      });
      // Keep-alive sockets to the provider would hold the process open after the client has gone.
      process.exit(0);
    });
}
