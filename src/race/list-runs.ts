import { scopedRunRoot, type RaceScope } from './race-context.js';
import type { RaceMode } from './race-types.js';
import { listRunManifests } from './record/manifest-store.js';
import { relativeToRoot } from './record/run-paths.js';

export interface RunSummary {
  feature: string;
  mode: RaceMode;
  /** running / ready / finished, or "unreadable" when the manifest cannot be used. */
  status: string;
  runners: { runner: string; status: string }[];
  winner: string | null;
  created_at: string | null;
  updated_at: string | null;
  manifest: string;
  error?: string;
}

/** Every race and any-percent run recorded in the repository, oldest feature name first. */
export async function listRuns(
  request: { repoDir?: string | undefined },
  scope: RaceScope,
): Promise<{ repo_root: string; runs: RunSummary[] }> {
  const root = await scopedRunRoot(scope, request.repoDir);
  const runs = (await listRunManifests(root)).map((listing): RunSummary => {
    const m = listing.manifest;
    return {
      feature: listing.feature,
      mode: listing.mode,
      status: m?.status ?? 'unreadable',
      runners: m?.runners.map((r) => ({ runner: r.id, status: r.status })) ?? [],
      winner: m?.finish?.winner ?? null,
      created_at: m?.createdAt ?? null,
      updated_at: m?.updatedAt ?? null,
      manifest: relativeToRoot(root, listing.file),
      ...(listing.error ? { error: listing.error } : {}),
    };
  });
  return { repo_root: root, runs };
}
