import { Command, Option } from 'commander';
import type { SpeedRunConfig } from '../../config/config-types.js';
import { racePlans } from '../../race/plan-run.js';
import { startRun } from '../../race/race-engine.js';
import type { RaceVariation } from '../../race/runner-prompts.js';
import { loadConfig, reportFailure } from '../cli-context.js';
import {
  addRunOptions,
  liveDisplay,
  positiveInteger,
  printScoreboard,
  readContractArgument,
  runOptionsFrom,
  scoreboardExitCode,
  type RunCliOptions,
} from './race-presenter.js';

interface RaceCliOptions extends RunCliOptions {
  runners: number;
  variation?: RaceVariation;
}

/** `speed-run race <contract> --feature F --runners N`: N runners implement the same contract in parallel. */
export function createRaceCommand(): Command {
  const command = new Command('race')
    .description('Race 2-5 implementations of one contract, each in its own worktree, then test each.')
    .argument('<contract>', 'contract file, or - to read it from stdin')
    .addOption(
      new Option('-n, --runners <n>', 'how many runners, 2-5')
        .argParser(positiveInteger)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--variation <kind>',
        'how runners differ (default briefs; models when several --model)',
      ).choices(['briefs', 'temperature', 'models']),
    );
  return addRunOptions(command).action(async (contractPath: string, options: RaceCliOptions) => {
    let config: SpeedRunConfig | undefined;
    try {
      config = loadConfig();
      const contract = await readContractArgument(contractPath);
      const { plans, variation } = racePlans({
        contract: contract.text,
        runners: options.runners,
        variation: options.variation,
        models: options.model,
      });
      const display = liveDisplay(
        plans.map((p) => p.runner),
        options.json === true,
      );
      const board = await startRun(
        {
          mode: 'race',
          feature: options.feature,
          contract: contract.text,
          contractFile: contract.file,
          plans,
          variation,
          ...runOptionsFrom(options),
          repoDir: config.cwd,
        },
        { config, onProgress: display.onProgress },
      );
      display.done();
      if (options.json) process.stdout.write(`${JSON.stringify(board, null, 2)}\n`);
      else printScoreboard(board);
      process.exitCode = scoreboardExitCode(board);
    } catch (error) {
      process.exitCode = reportFailure(error, config);
    }
  });
}
