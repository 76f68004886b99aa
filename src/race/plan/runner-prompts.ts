import { SpeedRunError } from '../../errors.js';
import {
  MAX_RUNNERS,
  MIN_RUNNERS,
  runnerName,
  validateApproaches,
  validateRunnerCount,
} from './feature-slug.js';
import type { Approach } from '../race-types.js';

/** How race runners differ: an emphasis brief each, a temperature each, or a model each. */
export type RaceVariation = 'briefs' | 'temperature' | 'models';

export interface RaceBrief {
  name: string;
  text: string;
}

/** What one runner was given, kept in the run's record. */
export interface RunnerPlan {
  runner: string;
  prompt: string;
  temperature?: number;
  model?: string;
  variation: { kind: RaceVariation | 'approach'; brief?: string; approach?: Approach };
}

export const RACE_BRIEFS: readonly RaceBrief[] = [
  {
    name: 'simplest-correct',
    text: 'Write the simplest implementation that is fully correct. Prefer plain control flow and few abstractions; add nothing the contract does not ask for.',
  },
  {
    name: 'defensive',
    text: 'Be defensive and robust: validate inputs at the boundaries, handle edge cases and failure paths explicitly, and make every error say what went wrong.',
  },
  {
    name: 'lean',
    text: 'Aim for a lean, fast implementation: avoid needless passes and allocations, pick data structures for the expected scale, keep the code small.',
  },
  {
    name: 'readable',
    text: 'Optimise for the next reader: idiomatic code for the language, descriptive names, small functions, comments only where the why is not obvious.',
  },
  {
    name: 'minimal-dependencies',
    text: 'Add no new third-party dependencies: use the standard library and what the project already uses, even where a package would be shorter.',
  },
];

export const MIN_TEMPERATURE = 0.2;
export const MAX_TEMPERATURE = 0.8;

/** `count` temperatures evenly spread over [MIN_TEMPERATURE, MAX_TEMPERATURE], rounded to 2 decimals. */
export function spreadTemperatures(count: number): number[] {
  const step = count > 1 ? (MAX_TEMPERATURE - MIN_TEMPERATURE) / (count - 1) : 0;
  return Array.from(
    { length: count },
    (_, index) => Math.round((MIN_TEMPERATURE + step * index) * 100) / 100,
  );
}

function validateContract(contract: unknown): string {
  if (typeof contract !== 'string' || contract.trim() === '') {
    throw new SpeedRunError('invalid_input', 'contract must be a non-empty string.', {
      field: 'contract',
      hint: 'Pass the spec every runner implements: interfaces, behaviour, files to create, tests to pass.',
    });
  }
  return contract;
}

function validateModels(models: unknown, runners: number | undefined): string[] {
  const list: unknown[] = Array.isArray(models) ? models : [];
  const named = list.every((model) => typeof model === 'string' && model.trim() !== '');
  if (
    !named ||
    new Set(list).size !== list.length ||
    list.length < MIN_RUNNERS ||
    list.length > MAX_RUNNERS
  ) {
    throw new SpeedRunError(
      'invalid_input',
      `models must list ${MIN_RUNNERS} to ${MAX_RUNNERS} distinct, non-empty model names.`,
      {
        field: 'models',
        hint: 'A model race runs each runner on its own model, e.g. ["gpt-oss-120b", "qwen-3-coder-480b"].',
      },
    );
  }
  // Cycling would race a model against itself and blur the comparison, so the counts must agree.
  if (runners !== undefined && runners !== list.length) {
    throw new SpeedRunError(
      'invalid_input',
      `A model race needs one model per runner: ${runners} runners, ${list.length} models.`,
      { field: 'models', hint: `Pass ${runners} models, or leave runners out to race every listed model.` },
    );
  }
  return list as string[];
}

function validateTemperature(temperature: unknown): number | undefined {
  if (temperature === undefined) return undefined;
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2)) {
    throw new SpeedRunError(
      'invalid_input',
      `temperature must be a number from 0 to 2, got ${JSON.stringify(temperature)}.`,
      {
        field: 'temperature',
        hint: 'Leave it out to use the provider default.',
      },
    );
  }
  return temperature;
}

export interface RacePlanOptions {
  contract: string;
  variation?: RaceVariation;
  /** 2-5; for `models` it defaults to, and must equal, the number of models. */
  runners?: number;
  models?: string[];
  /** For `models`, the one temperature every runner uses; ignored otherwise (they spread temperatures). */
  temperature?: number;
  /** For `briefs` and `temperature`, the one model every runner uses. */
  model?: string;
}

/** What each race runner gets. Default variation: `briefs`. */
export function planRaceRunners(options: RacePlanOptions): RunnerPlan[] {
  const contract = validateContract(options.contract);
  const kind = options.variation ?? 'briefs';
  if (kind === 'models') {
    const models = validateModels(options.models, options.runners);
    const temperature = validateTemperature(options.temperature);
    return models.map((model, index) => ({
      runner: runnerName('race', index + 1),
      prompt: contract,
      ...(temperature === undefined ? {} : { temperature }),
      model,
      variation: { kind },
    }));
  }
  if (kind !== 'briefs' && kind !== 'temperature') {
    throw new SpeedRunError(
      'invalid_input',
      `variation must be "briefs", "temperature" or "models", got ${JSON.stringify(kind)}.`,
      {
        field: 'variation',
        hint: 'briefs: a different emphasis each; temperature: the same prompt at spread temperatures; models: a model each.',
      },
    );
  }
  const count = validateRunnerCount(options.runners ?? 3);
  const temperatures = spreadTemperatures(count);
  return temperatures.map((temperature, index) => {
    const brief = RACE_BRIEFS[index % RACE_BRIEFS.length] as RaceBrief;
    const base = {
      runner: runnerName('race', index + 1),
      temperature,
      ...(options.model ? { model: options.model } : {}),
    };
    if (kind === 'temperature') return { ...base, prompt: contract, variation: { kind } };
    return {
      ...base,
      prompt: `${contract}\n\n## Emphasis for this implementation\n\n${brief.text}\n`,
      variation: { kind, brief: brief.name },
    };
  });
}

export interface VariantPlanOptions {
  contract: string;
  approaches: Approach[];
  temperature?: number;
  model?: string;
}

/** What each any-percent variant gets: the shared contract plus its approach, slug and description verbatim. */
export function planVariantRunners(options: VariantPlanOptions): RunnerPlan[] {
  const contract = validateContract(options.contract);
  const temperature = validateTemperature(options.temperature);
  return validateApproaches(options.approaches).map((approach) => ({
    runner: runnerName('any-percent', approach.slug),
    prompt:
      `${contract}\n\n## Approach for this implementation: ${approach.slug}\n\n${approach.description}\n\n` +
      'Other implementations try other approaches; follow this one even where another would seem easier.\n',
    ...(temperature === undefined ? {} : { temperature }),
    ...(options.model ? { model: options.model } : {}),
    variation: { kind: 'approach' as const, approach },
  }));
}
