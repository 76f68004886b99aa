import { Command, InvalidArgumentError } from 'commander';
import type { Approach } from '../../race/race-types.js';
import { addRunOptions, runFromCli, type RunCliOptions } from './race-presenter.js';

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
  return addRunOptions(command).action((contractPath: string, options: AnyCliOptions) =>
    runFromCli(contractPath, options, (common) => ({
      mode: 'any-percent',
      ...common,
      approaches: options.approach,
    })),
  );
}
