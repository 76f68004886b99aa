import { runRoot } from './find-run.js';
import { listRunManifests, relativeToRoot } from './manifest-store.js';
import type { RaceMode } from './race-types.js';

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
export async function listRuns(repoDir: string): Promise<{ repo_root: string; runs: RunSummary[] }> {
  const root = await runRoot(repoDir);
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
