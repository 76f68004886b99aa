import { SpeedRunError } from '../errors.js';

export const MAX_REPAIR_ROUNDS = 3;

/**
 * `repair_rounds` as given with its test command: a whole number 0-3, and only with a test command (rounds repair
 * failing tests, so without one they would silently do nothing). Returns the rounds to run.
 */
export function checkRepairRounds(
  rounds: number | undefined,
  testCommand: string | undefined,
  fallback: number,
): number {
  if (rounds === undefined) return fallback;
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > MAX_REPAIR_ROUNDS) {
    throw new SpeedRunError(
      'invalid_input',
      `repair_rounds must be a whole number from 0 to ${MAX_REPAIR_ROUNDS}, got ${rounds}.`,
      { field: 'repair_rounds', hint: 'Give 1-3 rounds, or 0 to only run the tests.' },
    );
  }
  if (rounds > 0 && (testCommand === undefined || testCommand.trim() === '')) {
    throw new SpeedRunError(
      'invalid_input',
      'repair_rounds needs test_command: a repair round fixes what the tests report.',
      { field: 'repair_rounds', hint: 'Give test_command too, or leave repair_rounds out.' },
    );
  }
  return rounds;
}
