import { Command } from 'commander';
import type { RaceMode } from '../../race/race-types.js';
import { judgeRun } from '../../race/judge-run.js';
import { addModeOption, cliRaceCall, printTable } from './race-presenter.js';

/** `speed-run judge <feature>`: the measured worksheet; scores are left for the agent or you. */
export function createJudgeCommand(): Command {
  const command = new Command('judge')
    .description('Measure every runner of a run: tests, files, lines, code metrics, similarity, the gate.')
    .argument('<feature>', 'feature slug of the run')
    .option('--json', 'print the worksheet as JSON');
  return addModeOption(command).action(
    async (feature: string, options: { json?: boolean; mode?: RaceMode }) => {
      const result = await cliRaceCall((context) => judgeRun({ feature, mode: options.mode }, context));
      if (result === undefined) return;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const sheet = result.worksheet;
      printTable(
        ['runner', 'tests', 'files', 'loc', 'fix cycles', 'near duplicate of', 'gate'],
        sheet.runners.map((r) => [
          r.runner,
          r.measured.tests,
          r.measured.files === null ? '—' : String(r.measured.files),
          r.measured.linesOfCode === null ? '—' : String(r.measured.linesOfCode),
          String(r.measured.fixCycles),
          r.measured.nearDuplicateOf.join(', ') || '—',
          r.gated ?? 'contender',
        ]),
      );
      for (const pair of result.similarity) {
        process.stdout.write(`similarity ${pair.a} ~ ${pair.b}: ${pair.similarity}\n`);
      }
      process.stdout.write(`${sheet.instructions}\nworksheet: ${result.worksheet_file}\n`);
      if (sheet.contenders.length > 0) {
        const mode = sheet.mode === 'any-percent' ? ' --mode any-percent' : '';
        process.stdout.write(
          `Then: speed-run finish ${sheet.feature} --winner <one of ${sheet.contenders.join(', ')}>${mode}\n`,
        );
      }
    },
  );
}
