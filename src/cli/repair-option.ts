import { InvalidArgumentError, Option } from 'commander';
import { MAX_REPAIR_ROUNDS } from '../codegen/repair-rounds.js';

/** `--repair <n>`: model repair rounds after failing tests (turbo, race, any). */
export function repairOption(description: string): Option {
  return new Option('--repair <n>', description).argParser((value: string) => {
    const rounds = Number(value);
    if (!Number.isInteger(rounds) || rounds < 0 || rounds > MAX_REPAIR_ROUNDS) {
      throw new InvalidArgumentError(`expected a whole number from 0 to ${MAX_REPAIR_ROUNDS}.`);
    }
    return rounds;
  });
}
