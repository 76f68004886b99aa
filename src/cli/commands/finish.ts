import { Command } from 'commander';
import type { RaceMode } from '../../race/race-types.js';
import { finishRun } from '../../race/finish-run.js';
import { addModeOption, cliRaceCall } from './race-presenter.js';

/** `speed-run finish <feature> --winner <runner>`: merge the winner, remove the run's workspaces. */
export function createFinishCommand(): Command {
  const command = new Command('finish')
    .description(
      "Promote the winner (merge its branch, or copy its files outside git) and remove the run's workspaces.",
    )
    .argument('<feature>', 'feature slug of the run')
    .requiredOption('-w, --winner <runner>', 'runner-N / N, or variant-<slug> / <slug>')
    .option('--force', 'promote a winner even if it generated nothing')
    .option('--keep-branch', "keep the winner's branch after the merge")
    .option('--json', 'print the result as JSON');
  return addModeOption(command).action(
    async (
      feature: string,
      options: { winner: string; json?: boolean; mode?: RaceMode; force?: boolean; keepBranch?: boolean },
    ) => {
      const result = await cliRaceCall((context) =>
        finishRun(
          {
            feature,
            winner: options.winner,
            mode: options.mode,
            force: options.force,
            keepBranch: options.keepBranch,
          },
          context,
        ),
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
      for (const file of result.refused_files ?? []) out(`  refused ${file.path}: ${file.reason}`);
      for (const removed of result.removed) {
        const what = [removed.removedDir && removed.dir, removed.removedBranch && removed.branch].filter(
          Boolean,
        );
        out(`removed ${what.join(' and ') || 'nothing'} (${removed.runner})`);
        for (const reason of removed.skipped) out(`  left alone: ${reason}`);
      }
      const { kept } = result;
      if (kept.workspace === null && kept.branch === null) out(`removed the winner's workspace and branch`);
      else {
        out(`kept ${[kept.workspace, kept.branch && `branch ${kept.branch}`].filter(Boolean).join(' and ')}`);
        for (const reason of kept.why) out(`  ${reason}`);
      }
      out(`result: ${result.result_file}`);
    },
  );
}
