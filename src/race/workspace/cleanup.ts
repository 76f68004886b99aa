import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { RunManifest } from '../record/manifest-schema.js';
import {
  LOGS_DIR,
  MANIFEST_FILE,
  PROMPTS_DIR,
  RESULT_FILE,
  WORKSHEET_FILE,
  runDir,
} from '../record/run-paths.js';
import type { RepoInfo } from './repo.js';
import {
  legacyWorkspacePlan,
  planWorkspaces,
  removeWorkspace,
  type RemovalExpectation,
  type RemovalOutcome,
  type WorkspacePlan,
} from './workspaces.js';

/** The repository as the run recorded it. */
export function recordedRepo(manifest: RunManifest): RepoInfo {
  return {
    root: manifest.repo.root,
    git: manifest.repo.git,
    baseBranch: manifest.repo.baseBranch,
    baseCommit: manifest.repo.baseCommit,
    uncommitted: [],
  };
}

/**
 * The workspace a recorded runner may have: recomputed from the feature and runner name, and used only when the
 * record agrees with it. A record edited to point anywhere else yields null, so nothing is touched.
 */
export function recordedWorkspace(manifest: RunManifest, runnerId: string): WorkspacePlan | null {
  const runner = manifest.runners.find((r) => r.id === runnerId);
  if (!runner) return null;
  const repo = recordedRepo(manifest);
  try {
    const [current] = planWorkspaces(repo, manifest.feature, [runnerId]);
    const legacy = legacyWorkspacePlan(repo, manifest.feature, runnerId);
    const plan = [current, legacy].find((p) => p?.relDir === runner.workspace.dir);
    return plan && plan.branch === runner.workspace.branch ? plan : null;
  } catch {
    return null; // a runner or feature name no run could have made
  }
}

/** The commit a runner's branch tip should be at: the winner's final commit, its generation commit, or the base. */
export function recordedTip(manifest: RunManifest, runnerId: string): string | null {
  const runner = manifest.runners.find((r) => r.id === runnerId);
  const final = manifest.finish?.winner === runnerId ? manifest.finish.winnerCommit : null;
  return final ?? runner?.commit ?? manifest.repo.baseCommit;
}

/** Removes the workspace and branch of each named runner, proving each is the run's own first. */
export async function removeRunnerWorkspaces(
  manifest: RunManifest,
  runnerIds: string[],
  expect: Omit<RemovalExpectation, 'commit'> = {},
): Promise<RemovalOutcome[]> {
  const repo = recordedRepo(manifest);
  const outcomes: RemovalOutcome[] = [];
  for (const id of runnerIds) {
    const plan = recordedWorkspace(manifest, id);
    const runner = manifest.runners.find((r) => r.id === id);
    if (!plan) {
      outcomes.push({
        runner: id,
        dir: runner?.workspace.dir ?? '',
        branch: runner?.workspace.branch ?? null,
        removedDir: false,
        removedBranch: false,
        skipped: ['the record does not match the workspace this run would have made'],
      });
      continue;
    }
    outcomes.push(
      await removeWorkspace(
        repo,
        plan,
        { feature: manifest.feature, mode: manifest.mode },
        { ...expect, commit: recordedTip(manifest, id) },
      ),
    );
  }
  return outcomes;
}

/** Deletes the files speed-run keeps in the run's directory (manifest, result, prompts, logs), nothing else. */
export async function removeRunRecord(manifest: RunManifest): Promise<void> {
  const dir = runDir(manifest.repo.root, manifest.feature, manifest.mode);
  for (const entry of [PROMPTS_DIR, LOGS_DIR, RESULT_FILE, WORKSHEET_FILE, MANIFEST_FILE]) {
    await rm(path.join(dir, entry), { recursive: true, force: true });
  }
  // Empty parents up to docs/plans/<feature> go too; a non-empty one stays.
  for (let current = dir, i = 0; i < 2; current = path.dirname(current), i += 1) {
    const removed = await rmdir(current).then(
      () => true,
      () => false,
    );
    if (!removed) break;
  }
}
