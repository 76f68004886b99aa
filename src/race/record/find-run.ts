import { hostname } from 'node:os';
import { SpeedRunError } from '../../errors.js';
import { validateFeatureSlug, validateMode } from '../plan/feature-slug.js';
import type { RaceMode } from '../race-types.js';
import { runRoot } from '../workspace/repo.js';
import { ManifestStore, loadManifest, type Clock } from './manifest-store.js';

/**
 * Opens the run of `feature` in `mode`; with no mode, the only run the feature has. Both modes present and no
 * mode given is an error that names the choice.
 */
export async function findRun(
  repoDir: string,
  feature: string,
  mode?: RaceMode,
  now?: Clock,
): Promise<ManifestStore> {
  validateFeatureSlug(feature);
  const root = await runRoot(repoDir);
  if (mode !== undefined) {
    return recoverInterrupted(await ManifestStore.open(root, feature, validateMode(mode), now));
  }
  const [race, anyPercent] = await Promise.all([
    loadManifest(root, feature, 'race'),
    loadManifest(root, feature, 'any-percent'),
  ]);
  if (race && anyPercent) {
    throw new SpeedRunError('invalid_input', `Feature "${feature}" has both a race and an any-percent run.`, {
      field: 'mode',
      hint: 'Say which one: mode "race" or mode "any-percent" (CLI: --mode).',
    });
  }
  if (!race && !anyPercent) {
    throw new SpeedRunError(
      'invalid_input',
      `There is no race or any-percent run for feature "${feature}" in ${root}.`,
      {
        field: 'feature',
        hint: 'Start one with race / any_percent (CLI: speed-run race / speed-run any); `speed-run runs` lists runs.',
      },
    );
  }
  return recoverInterrupted(await ManifestStore.open(root, feature, race ? 'race' : 'any-percent', now));
}

/**
 * A run still marked running whose owning process (on this host) is gone was interrupted — a crash or a restart
 * mid-race. Its unfinished runners are marked failed and the run becomes ready, so the agent can test, judge and
 * finish with what exists.
 */
export async function recoverInterrupted(store: ManifestStore): Promise<ManifestStore> {
  const { status, owner } = store.record;
  if (status !== 'running' || !owner || ownerAlive(owner)) return store;
  await store.update(
    (m) => {
      for (const runner of m.runners) {
        if (runner.status === 'passed' || runner.status === 'failed' || runner.status === 'generated')
          continue;
        runner.failure = {
          stage: runner.generation ? 'tests' : 'generation',
          message: `interrupted while ${runner.status}`,
        };
        runner.status = 'failed';
      }
      m.status = 'ready';
      m.owner = null;
    },
    { type: 'interrupted', runner: null, message: `process ${owner.pid} ended before the run did` },
  );
  return store;
}

/** Whether the process carrying a run may still be at work: alive on this host, or on another host (unknowable). */
export function ownerAlive(owner: { pid: number; host: string } | null | undefined): boolean {
  if (!owner) return false;
  return owner.host !== hostname() || isAlive(owner.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Accepts `runner-2`, `2`, `variant-rest`, or `rest`; the runner must be in the record. */
export function resolveRunnerId(store: ManifestStore, given: string, field = 'runner'): string {
  const ids = store.record.runners.map((runner) => runner.id);
  const wanted = given.trim();
  const candidates = [wanted, `runner-${wanted}`, `variant-${wanted}`];
  const found = candidates.find((candidate) => ids.includes(candidate));
  if (found === undefined) {
    throw new SpeedRunError(
      'invalid_input',
      `"${given}" is not a runner of the ${store.record.mode} run "${store.record.feature}".`,
      { field, hint: `Use one of: ${ids.join(', ')}.` },
    );
  }
  return found;
}
