import { Command, InvalidArgumentError } from 'commander';
import type { SpeedRunConfig } from '../../config/config-types.js';
import { variantPlans } from '../../race/plan-run.js';
import { startRun } from '../../race/race-engine.js';
import type { Approach } from '../../race/race-types.js';
import { loadConfig, reportFailure } from '../cli-context.js';
import {
  addRunOptions,
  liveDisplay,
  printScoreboard,
  readContractArgument,
  runOptionsFrom,
  scoreboardExitCode,
  type RunCliOptions,
} from './race-presenter.js';

interface AnyCliOptions extends RunCliOptions {
  approach: Approach[];
}

/** `slug="description"` → { slug, description }. */
function parseApproach(value: string, previous: Approach[] = []): Approach[] {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected slug="description", e.g. trie="a prefix trie".');
  return [...previous, { slug: value.slice(0, at).trim(), description: value.slice(at + 1).trim() }];
}

/** `speed-run any <contract> --feature F --approach slug="description" ...`: one variant per approach. */
export function createAnyCommand(): Command {
  const command = new Command('any')
    .description('Any-percent: 2-5 variants of one contract, each with a different approach, then test each.')
    .argument('<contract>', 'contract file, or - to read it from stdin')
    .requiredOption('-a, --approach <slug=description>', 'an approach (repeat 2-5 times)', parseApproach);
  return addRunOptions(command).action(async (contractPath: string, options: AnyCliOptions) => {
    let config: SpeedRunConfig | undefined;
    try {
      config = loadConfig();
      const contract = await readContractArgument(contractPath);
      const plans = variantPlans({
        contract: contract.text,
        approaches: options.approach,
        models: options.model,
      });
      const display = liveDisplay(
        plans.map((p) => p.runner),
        options.json === true,
      );
      const board = await startRun(
        {
          mode: 'any-percent',
          feature: options.feature,
          contract: contract.text,
          contractFile: contract.file,
          plans,
          variation: null,
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
