import { Command } from 'commander';
import type { RaceMode } from '../../race/race-types.js';
import { finishRun } from '../../race/finish-run.js';
import { addModeOption, cliRaceCall } from './race-presenter.js';

/** `speed-run finish <feature> --winner <runner>`: merge the winner, remove the losers. */
export function createFinishCommand(): Command {
  const command = new Command('finish')
    .description(
      'Promote the winner (merge its branch, or copy its files outside git) and remove the losers.',
    )
    .argument('<feature>', 'feature slug of the run')
    .requiredOption('-w, --winner <runner>', 'runner-N / N, or variant-<slug> / <slug>')
    .option('--json', 'print the result as JSON');
  return addModeOption(command).action(
    async (feature: string, options: { winner: string; json?: boolean; mode?: RaceMode }) => {
      const result = await cliRaceCall((context) =>
        finishRun({ feature, winner: options.winner, mode: options.mode }, context),
      );
      if (result === undefined) return;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (result.merged)
        out(
          `merged ${result.merged.branch} into ${result.merged.into} (${result.merged.merge_commit?.slice(0, 8) ?? '?'})`,
        );
      if (result.copied_files) out(`copied ${result.copied_files.length} files into the project`);
      for (const removed of result.removed) {
        const what = [removed.removedDir && removed.dir, removed.removedBranch && removed.branch].filter(
          Boolean,
        );
        out(`removed ${what.join(' and ') || 'nothing'} (${removed.runner})`);
        for (const reason of removed.skipped) out(`  left alone: ${reason}`);
      }
      out(`kept ${result.kept.workspace}${result.kept.branch ? ` on ${result.kept.branch}` : ''}`);
      out(`result: ${result.result_file}`);
    },
  );
}
