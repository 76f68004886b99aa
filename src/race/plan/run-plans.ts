import { SpeedRunError } from '../../errors.js';
import type { Approach } from '../race-types.js';
import {
  planRaceRunners,
  planVariantRunners,
  type RaceVariation,
  type RunnerPlan,
} from './runner-prompts.js';

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
