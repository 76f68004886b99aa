import { SpeedRunError } from '../../errors.js';
import type { Approach, RaceMode } from '../race-types.js';

export const MAX_SLUG_LENGTH = 40;
export const MIN_RUNNERS = 2;
export const MAX_RUNNERS = 5;

// Lower-case words joined by single hyphens: safe as a git ref segment (no `..`, `.lock`, leading `-`, `/`)
// and as a directory name on every platform (no dots, no case collisions on case-insensitive disks).
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const RUNNER_NAME = /^(?:runner-[1-9][0-9]*|variant-[a-z0-9]+(?:-[a-z0-9]+)*)$/;

function invalid(field: string, message: string, hint: string): SpeedRunError {
  return new SpeedRunError('invalid_input', message, { field, hint });
}

/** The one check of a run mode; every caller (MCP, CLI, records) asks it. */
export function validateMode(value: unknown, field = 'mode'): RaceMode {
  if (value === 'race' || value === 'any-percent') return value;
  throw invalid(
    field,
    `${field} must be "race" or "any-percent", got ${JSON.stringify(value)}.`,
    'Pick one of the two (CLI: --mode race or --mode any-percent).',
  );
}

/** The closest valid slug to `text`, for hints; may be empty when nothing usable remains. */
export function suggestSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
}

function validateSlug(value: unknown, field: string): string {
  const rule = `lower-case letters, digits and single hyphens between them, at most ${MAX_SLUG_LENGTH} characters`;
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(field, `${field} must be a non-empty string.`, `Use ${rule}, e.g. "rate-limiter".`);
  }
  if (value.length > MAX_SLUG_LENGTH || !SLUG.test(value)) {
    const suggestion = suggestSlug(value);
    throw invalid(
      field,
      `${field} "${value}" is not a valid slug: use ${rule}.`,
      suggestion ? `Try "${suggestion}".` : `For example "rate-limiter".`,
    );
  }
  return value;
}

/** Whether `value` is a valid feature slug (a directory under docs/plans/ that a run could have made). */
export function isFeatureSlug(value: string): boolean {
  return value.length <= MAX_SLUG_LENGTH && SLUG.test(value);
}

/** The feature name used in branch names and under docs/plans/. */
export function validateFeatureSlug(value: unknown, field = 'feature'): string {
  return validateSlug(value, field);
}

/** An any-percent approach slug, used in variant names, branches and workspace directories. */
export function validateApproachSlug(value: unknown, field: string): string {
  return validateSlug(value, field);
}

/** 2-5 approaches with unique slugs and non-empty descriptions; descriptions are trimmed. */
export function validateApproaches(value: unknown, field = 'approaches'): Approach[] {
  if (!Array.isArray(value) || value.length < MIN_RUNNERS || value.length > MAX_RUNNERS) {
    throw invalid(
      field,
      `${field} must list ${MIN_RUNNERS} to ${MAX_RUNNERS} approaches.`,
      'Give each approach as { slug, description }, one per variant.',
    );
  }
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const itemField = `${field}[${index}]`;
    if (typeof item !== 'object' || item === null) {
      throw invalid(
        itemField,
        `${itemField} must be an object { slug, description }.`,
        'Name the approach and describe it.',
      );
    }
    const { slug, description } = item as Record<string, unknown>;
    const validSlug = validateApproachSlug(slug, `${itemField}.slug`);
    if (seen.has(validSlug)) {
      throw invalid(
        `${itemField}.slug`,
        `${itemField}.slug "${validSlug}" is used twice.`,
        'Give each approach its own slug.',
      );
    }
    seen.add(validSlug);
    if (typeof description !== 'string' || description.trim() === '') {
      throw invalid(
        `${itemField}.description`,
        `${itemField}.description must be a non-empty string.`,
        'Say in a sentence or two how this variant should solve the problem.',
      );
    }
    return { slug: validSlug, description: description.trim() };
  });
}

export function validateRunnerCount(value: unknown, field = 'runners'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_RUNNERS || value > MAX_RUNNERS) {
    throw invalid(
      field,
      `${field} must be an integer from ${MIN_RUNNERS} to ${MAX_RUNNERS}, got ${JSON.stringify(value)}.`,
      `Pick how many runners race, e.g. 3.`,
    );
  }
  return value;
}

/** `runner-N` (1-based) in a race, `variant-<slug>` in any-percent. */
export function runnerName(mode: RaceMode, indexOrSlug: number | string): string {
  if (mode === 'race') {
    if (typeof indexOrSlug !== 'number' || !Number.isInteger(indexOrSlug) || indexOrSlug < 1) {
      throw invalid(
        'runner',
        `A race runner is numbered from 1, got ${JSON.stringify(indexOrSlug)}.`,
        'Pass 1, 2, 3...',
      );
    }
    return `runner-${indexOrSlug}`;
  }
  validateMode(mode);
  return `variant-${validateApproachSlug(indexOrSlug, 'approach')}`;
}

export function validateRunnerName(value: string): string {
  if (!RUNNER_NAME.test(value)) {
    throw invalid(
      'runner',
      `"${value}" is not a runner name.`,
      'Use runnerName() to make one: runner-N or variant-<slug>.',
    );
  }
  return value;
}

/** The directory all workspaces live under, relative to the repository root. */
export const WORKTREES_DIR = '.worktrees';

/** `.worktrees/<feature>/runner-N` / `.worktrees/<feature>/variant-<slug>`: the feature is in every name. */
export function workspaceRelDir(feature: string, runner: string): string {
  return `${WORKTREES_DIR}/${validateFeatureSlug(feature)}/${validateRunnerName(runner)}`;
}

/** The name runs recorded before the feature was part of it: `.worktrees/speed-run-runner-N`. Read only. */
export function legacyWorkspaceRelDir(runner: string): string {
  return `${WORKTREES_DIR}/speed-run-${validateRunnerName(runner)}`;
}

/** `<feature>/speed-run/runner-N` / `<feature>/speed-run/variant-<slug>`. */
export function branchName(feature: string, runner: string): string {
  return `${validateFeatureSlug(feature)}/speed-run/${validateRunnerName(runner)}`;
}
