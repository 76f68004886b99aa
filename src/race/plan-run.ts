import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { realAllowedRoots } from '../write/allowed-roots.js';
import { isWithin } from '../write/path-policy.js';
import type { Approach } from './race-types.js';
import {
  planRaceRunners,
  planVariantRunners,
  type RaceVariation,
  type RunnerPlan,
} from './runner-prompts.js';

/** Largest contract file read. */
export const MAX_CONTRACT_BYTES = 256 * 1024;

/**
 * The contract text: given inline, or read from `contractFile` (relative to `baseDir`, inside an allowed root).
 * Exactly one of the two.
 */
export async function readContract(options: {
  contract?: string | undefined;
  contractFile?: string | undefined;
  baseDir: string;
  allowedRoots: string[];
}): Promise<{ text: string; file: string | null }> {
  const { contract, contractFile } = options;
  if ((contract === undefined) === (contractFile === undefined)) {
    throw new SpeedRunError(
      'invalid_input',
      'Give the contract inline or as a file, exactly one of the two.',
      {
        field: 'contract',
        hint: 'Pass contract (the text) or contract_file (a path relative to the repository).',
      },
    );
  }
  if (contract !== undefined) {
    if (contract.trim() === '') {
      throw new SpeedRunError('invalid_input', 'contract is empty.', {
        field: 'contract',
        hint: 'Write the contract: files, DATA CONTRACT, API CONTRACT, RULES, tests to pass.',
      });
    }
    return { text: contract, file: null };
  }
  const target = path.resolve(options.baseDir, contractFile!);
  const real = await realpath(target).catch(() => null);
  const roots = await realAllowedRoots(options.allowedRoots, options.baseDir);
  if (real === null) {
    throw new SpeedRunError('invalid_input', `contract_file "${contractFile}" does not exist.`, {
      field: 'contract_file',
      hint: `Paths are relative to ${options.baseDir}.`,
    });
  }
  if (!roots.some((root) => isWithin(root, real))) {
    throw new SpeedRunError(
      'path_rejected',
      `contract_file "${contractFile}" is outside the allowed directories.`,
      {
        field: 'contract_file',
        hint: 'Put the contract inside the repository, or pass it inline.',
      },
    );
  }
  const stats = await stat(real);
  if (!stats.isFile() || stats.size > MAX_CONTRACT_BYTES) {
    throw new SpeedRunError(
      'invalid_input',
      `contract_file "${contractFile}" is ${stats.isFile() ? `larger than ${MAX_CONTRACT_BYTES} bytes` : 'not a file'}.`,
      { field: 'contract_file', hint: 'A contract is a spec, not the code: keep it short.' },
    );
  }
  const text = await readFile(real, 'utf8');
  if (text.trim() === '') {
    throw new SpeedRunError('invalid_input', `contract_file "${contractFile}" is empty.`, {
      field: 'contract_file',
    });
  }
  return { text, file: contractFile! };
}

/**
 * The race runners' prompts. `models` with two or more entries and no variation races the models; a single
 * model is used by every runner.
 */
export function racePlans(options: {
  contract: string;
  runners?: number | undefined;
  variation?: RaceVariation | undefined;
  models?: string[] | undefined;
}): { plans: RunnerPlan[]; variation: RaceVariation } {
  const models = options.models ?? [];
  const variation = options.variation ?? (models.length >= 2 ? 'models' : 'briefs');
  if (variation !== 'models' && models.length > 1) {
    throw new SpeedRunError(
      'invalid_input',
      `variation "${variation}" runs every runner on one model; ${models.length} were given.`,
      {
        field: 'models',
        hint: 'Give one model, or use variation "models" to give each runner its own.',
      },
    );
  }
  const plans = planRaceRunners({
    contract: options.contract,
    variation,
    ...(options.runners !== undefined ? { runners: options.runners } : {}),
    ...(variation === 'models' ? { models } : models[0] ? { model: models[0] } : {}),
  });
  return { plans, variation };
}

/** The any-percent variants' prompts; `models` is one model for all, or one per approach in order. */
export function variantPlans(options: {
  contract: string;
  approaches: Approach[];
  models?: string[] | undefined;
}): RunnerPlan[] {
  const models = options.models ?? [];
  if (models.length > 1 && models.length !== options.approaches.length) {
    throw new SpeedRunError(
      'invalid_input',
      `models must name one model, or one per approach (${options.approaches.length}); ${models.length} were given.`,
      { field: 'models' },
    );
  }
  const plans = planVariantRunners({
    contract: options.contract,
    approaches: options.approaches,
    ...(models.length === 1 ? { model: models[0] } : {}),
  });
  return models.length > 1 ? plans.map((plan, i) => ({ ...plan, model: models[i]! })) : plans;
}
