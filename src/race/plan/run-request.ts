import path from 'node:path';
import { SpeedRunError } from '../../errors.js';
import { checkRepairRounds } from '../../codegen/repair-rounds.js';
import { checkRelativePath } from '../../write/path-policy.js';
import type { RaceMode } from '../race-types.js';
import { MAX_RUNNERS, MIN_RUNNERS, validateMode } from './feature-slug.js';
import type { RunnerPlan } from './runner-prompts.js';

export const DEFAULT_TIMEOUT_S = 300;

/** The parts of a run request checked before anything is made. */
export interface RunRequestShape {
  mode: RaceMode;
  plans: RunnerPlan[];
  timeoutS?: number | undefined;
  setupCommand?: string | undefined;
  testCommand?: string | undefined;
  repairRounds?: number | undefined;
}

export function validateRunRequest(request: RunRequestShape): void {
  validateMode(request.mode);
  const count = request.plans.length;
  if (count < MIN_RUNNERS || count > MAX_RUNNERS) {
    throw new SpeedRunError(
      'invalid_input',
      `A run needs ${MIN_RUNNERS} to ${MAX_RUNNERS} runners, got ${count}.`,
      {
        field: request.mode === 'race' ? 'runners' : 'approaches',
        hint: 'Pick how many implementations to compare, e.g. 3.',
      },
    );
  }
  if (new Set(request.plans.map((plan) => plan.runner)).size !== count) {
    throw new SpeedRunError('invalid_input', 'Two runners have the same name.', { field: 'approaches' });
  }
  const timeout = request.timeoutS;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0 && timeout <= 24 * 3600)) {
    throw new SpeedRunError(
      'invalid_input',
      `timeout_s must be a number of seconds above 0 and at most 86400 (24 h), got ${timeout}.`,
      {
        field: 'timeout_s',
        hint: `Leave it out for the default, ${DEFAULT_TIMEOUT_S} s.`,
      },
    );
  }
  for (const [field, value] of [
    ['setup_command', request.setupCommand],
    ['test_command', request.testCommand],
  ] as const) {
    if (value !== undefined && value.includes('\0')) {
      throw new SpeedRunError('invalid_input', `${field} contains a NUL byte.`, { field });
    }
  }
  checkRepairRounds(request.repairRounds, request.testCommand, 0);
}

/** `output_subdir` as a clean relative path with `/` separators, or null for the workspace root. */
export function normalizeSubdir(subdir: string | undefined): string | null {
  if (subdir === undefined || subdir.trim() === '' || subdir.trim() === '.') return null;
  const verdict = checkRelativePath(subdir.trim().replace(/\/+$/, ''));
  if (!verdict.ok) {
    throw new SpeedRunError('path_rejected', `output_subdir "${subdir}" is not allowed: ${verdict.reason}.`, {
      field: 'output_subdir',
      hint: 'Use a relative directory inside the workspace, e.g. "src/feature".',
    });
  }
  return verdict.path.split(path.sep).join('/');
}

/** A command option as recorded: null when absent or blank. */
export function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}
