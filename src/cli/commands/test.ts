import { Command } from 'commander';
import type { RaceMode } from '../../race/race-types.js';
import { rerunTests } from '../../race/rerun-tests.js';
import { addModeOption, cliRaceCall } from './race-presenter.js';

/** `speed-run test <feature> <runner>`: re-run one workspace's tests after a fix (counts a fix cycle). */
export function createTestCommand(): Command {
  const command = new Command('test')
    .description("Re-run one runner's tests in its workspace (counts a fix cycle).")
    .argument('<feature>', 'feature slug of the run')
    .argument('<runner>', 'runner-N / N, or variant-<slug> / <slug>')
    .option('--json', 'print the result as JSON');
  return addModeOption(command).action(
    async (feature: string, runner: string, options: { json?: boolean; mode?: RaceMode }) => {
      const result = await cliRaceCall((context) =>
        rerunTests({ feature, runner, mode: options.mode }, context),
      );
      if (result === undefined) return;
      const tests = result.runner.tests;
      if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        if (result.tail) process.stdout.write(`${result.tail}\n`);
        process.stdout.write(
          `${result.runner.runner}: ${result.runner.status}` +
            (tests
              ? `, ${tests.passed}/${tests.total} passed in ${(tests.duration_ms / 1000).toFixed(1)} s`
              : '') +
            `, fix cycle ${result.runner.fix_cycles}` +
            (tests?.log_file ? `\nlog: ${tests.log_file}` : '') +
            '\n',
        );
      }
      process.exitCode = result.runner.status === 'passed' ? 0 : 1;
    },
  );
}
