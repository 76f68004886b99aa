import { Command, InvalidArgumentError, Option } from 'commander';
import { MAX_RUNNERS, MIN_RUNNERS } from '../../race/plan/feature-slug.js';
import type { RaceVariation } from '../../race/plan/runner-prompts.js';
import { addRunOptions, runFromCli, type RunCliOptions } from './race-presenter.js';

interface RaceCliOptions extends RunCliOptions {
  runners: number;
  variation?: RaceVariation;
}

function runnerCount(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < MIN_RUNNERS || number > MAX_RUNNERS)
    throw new InvalidArgumentError(`expected a whole number from ${MIN_RUNNERS} to ${MAX_RUNNERS}.`);
  return number;
}

/** `speed-run race <contract> --feature F --runners N`: N runners implement the same contract in parallel. */
export function createRaceCommand(): Command {
  const command = new Command('race')
    .description('Race 2-5 implementations of one contract, each in its own worktree, then test each.')
    .argument('<contract>', 'contract file, or - to read it from stdin')
    .addOption(
      new Option('-n, --runners <n>', 'how many runners, 2-5').argParser(runnerCount).makeOptionMandatory(),
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
