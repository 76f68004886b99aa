#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { createMcpCommand } from './commands/mcp.js';
import { createStatsCommand } from './commands/stats.js';
import { createStatusCommand } from './commands/status.js';
import { createTurboCommand } from './commands/turbo.js';
import { createAnyCommand } from './commands/any.js';
import { createFinishCommand } from './commands/finish.js';
import { createJudgeCommand } from './commands/judge.js';
import { createRaceCommand } from './commands/race.js';
import { createRunsCommand } from './commands/runs.js';
import { createTestCommand } from './commands/test.js';
import { EXIT_CONFIG, EXIT_OK, packageVersion, reportFailure } from './cli-context.js';

const program = new Command('speed-run')
  .description(
    'Move first-pass code generation to a fast hosted LLM: contract in, files on disk, metadata out.',
  )
  .version(packageVersion(), '-v, --version')
  .showHelpAfterError('(run speed-run --help for usage)')
  .exitOverride();

program.addCommand(createStatusCommand());
program.addCommand(createTurboCommand());
program.addCommand(createRaceCommand());
program.addCommand(createAnyCommand());
program.addCommand(createJudgeCommand());
program.addCommand(createTestCommand());
program.addCommand(createFinishCommand());
program.addCommand(createRunsCommand());
program.addCommand(createStatsCommand());
program.addCommand(createMcpCommand());
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end in a CommanderError too; usage mistakes exit 2 like other configuration problems.
    const clean =
      error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
    process.exitCode = clean ? EXIT_OK : EXIT_CONFIG;
  } else {
    process.exitCode = reportFailure(error);
  }
}
