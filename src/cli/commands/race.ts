import { Command, Option } from 'commander';
import type { RaceVariation } from '../../race/plan/runner-prompts.js';
import { addRunOptions, positiveInteger, runFromCli, type RunCliOptions } from './race-presenter.js';

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
  return addRunOptions(command).action((contractPath: string, options: RaceCliOptions) =>
    runFromCli(contractPath, options, (common) => ({
      mode: 'race',
      ...common,
      runners: options.runners,
      variation: options.variation,
    })),
  );
}
