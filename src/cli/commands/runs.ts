import { Command } from 'commander';
import { listRuns } from '../../race/list-runs.js';
import { cliRaceCall, printTable } from './race-presenter.js';

/** `speed-run runs`: every race and any-percent run recorded in this repository. */
export function createRunsCommand(): Command {
  return new Command('runs')
    .description('List the race and any-percent runs recorded in this repository.')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const result = await cliRaceCall((context) => listRuns({}, context));
      if (result === undefined) return;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      if (result.runs.length === 0) {
        process.stdout.write(`No runs recorded under ${result.repo_root}/docs/plans/.\n`);
        return;
      }
      printTable(
        ['feature', 'mode', 'status', 'runners', 'winner', 'updated'],
        result.runs.map((run) => [
          run.feature,
          run.mode,
          run.status,
          run.runners.map((r) => `${r.runner}:${r.status}`).join(' '),
          run.winner ?? '—',
          run.updated_at ?? '—',
        ]),
      );
    });
}
