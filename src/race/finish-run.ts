import { lstat, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { SafeFileWriter } from '../write/safe-file-writer.js';
import { measurableGate } from './judge/judge-worksheet.js';
import { renderResultTable, type ResultRow } from './judge/result-table.js';
import { measureRun } from './judge-run.js';
import { scopedRunRoot, type RaceScope } from './race-context.js';
import type { RaceMode } from './race-types.js';
import { findRun, resolveRunnerId } from './record/find-run.js';
import type { FinishRecord, RunManifest, RunnerRecord } from './record/manifest-schema.js';
import type { ManifestStore } from './record/manifest-store.js';
import { relativeToRoot, runPaths } from './record/run-paths.js';
import { variationLabel } from './record/scoreboard.js';
import { recordedWorkspace, removeRunnerWorkspaces } from './workspace/cleanup.js';
import {
  commitStaged,
  currentBranch,
  git,
  gitOrThrow,
  listWorktrees,
  speedRunIdentityEnv,
} from './workspace/git.js';
import { DEPENDENCY_DIRS, runnerPaths, workspaceDir } from './workspace/runner-files.js';

export interface FinishRequest {
  /** Default: the configured cwd. Must lie inside the allowed roots. */
  repoDir?: string | undefined;
  feature: string;
  /** `runner-2`, `2`, `variant-trie` or `trie`: it must be a runner of this run. */
  winner: string;
  mode?: RaceMode | undefined;
  /** Promote a winner whose generation failed or that changed nothing. */
  force?: boolean | undefined;
  /** Keep the winner's branch after merging (its worktree still goes). */
  keepBranch?: boolean | undefined;
}

export interface FinishResult {
  feature: string;
  mode: RaceMode;
  winner: string;
  /** git: what was merged where. */
  merged: {
    branch: string;
    into: string;
    merge_commit: string | null;
    /** The commit of the winner's worktree state (the agent's fixes) made before merging; null when clean. */
    winner_commit: string | null;
  } | null;
  /** Outside git: the files copied into the project, relative to it. */
  copied_files: string[] | null;
  /** Outside git: the winner's files the safe writer refused, with the reason. */
  refused_files?: { path: string; reason: string }[];
  /** Every loser's workspace and branch, and whether each was removed. */
  removed: FinishRecord['removed'];
  /** What is left of the winner: its workspace and branch when kept (null when removed), and why. */
  kept: { workspace: string | null; branch: string | null; why: string[] };
  result_file: string;
  manifest: string;
}

/**
 * Promotes the winner and clears away the rest: commits the winner's worktree as it stands (the agent's fixes go
 * with it), merges its branch into the branch the run started from (or, outside git, copies its files into the
 * project), removes every loser's worktree and branch that this run created, and writes result.md.
 */
export async function finishRun(request: FinishRequest, scope: RaceScope): Promise<FinishResult> {
  const repoDir = await scopedRunRoot(scope, request.repoDir);
  const store = await findRun(repoDir, request.feature, request.mode, scope.now);
  const manifest = store.record;
  const winner = resolveRunnerId(store, request.winner, 'winner');
  if (manifest.status !== 'ready') {
    throw new SpeedRunError(
      'invalid_input',
      `The ${manifest.mode} run "${manifest.feature}" is ${manifest.status === 'finished' ? 'already finished' : 'still running'}.`,
      {
        field: 'feature',
        hint:
          manifest.status === 'finished'
            ? `Its winner was ${manifest.finish?.winner ?? 'chosen'}; start a new run with replace: true to race again.`
            : 'Wait for the scoreboard before finishing.',
      },
    );
  }
  const winnerRecord = store.runner(winner);
  if (!recordedWorkspace(manifest, winner)) {
    throw new SpeedRunError(
      'invalid_input',
      `The record's workspace for ${winner} is not the one this run made.`,
      {
        field: 'winner',
        hint: 'The manifest was edited; restore it, or promote the winner by hand.',
      },
    );
  }
  // Measured before the losers' workspaces go: result.md needs their lines of code.
  const { evidence, files } = await measureRun(manifest);
  const nothing = winnerProblem(winnerRecord, files.get(winner)?.length ?? 0);
  if (nothing && !request.force) {
    throw new SpeedRunError('invalid_input', `${winner} cannot win: ${nothing}.`, {
      field: 'winner',
      hint: `Pick a runner judge lists as a contender, or pass force: true (CLI: --force) to promote ${winner} anyway.`,
    });
  }

  let merged: FinishResult['merged'] = null;
  let copied: string[] | null = null;
  let refused: { path: string; reason: string }[] = [];
  if (manifest.repo.git) merged = await mergeWinner(store, winner);
  else ({ copied, refused } = await copyWinner(store, winner, scope));

  const losers = manifest.runners.map((r) => r.id).filter((id) => id !== winner);
  const removed = await removeRunnerWorkspaces(manifest, losers);
  // The winner's work is merged (or copied): its worktree goes, and its branch once merged, unless asked to keep.
  const finalManifest = {
    ...manifest,
    finish: { winner, winnerCommit: merged?.winner_commit ?? null } as RunManifest['finish'],
  };
  const [winnerRemoval] =
    refused.length > 0
      ? [null]
      : await removeRunnerWorkspaces(finalManifest, [winner], {
          onlyIfMerged: true,
          keepBranch: request.keepBranch,
        });

  const at = store.stamp();
  const rows: ResultRow[] = manifest.runners.map((runner, index) => {
    const found = evidence[index]!;
    const gate = measurableGate(found);
    return {
      runner: runner.id,
      approach: runner.approach
        ? `${runner.approach.slug}: ${runner.approach.description}`
        : variationLabel(runner),
      tests: found.tests?.summary ?? null,
      linesOfCode: found.metrics?.linesOfCode ?? null,
      llmCalls: found.generation.llmCalls,
      tokens: found.generation.tokens,
      generationMs: found.generation.durationMs,
      fixCycles: runner.fixCycles,
      outcome:
        runner.id === winner
          ? { kind: 'winner' }
          : gate
            ? { kind: 'gated', reason: gate }
            : { kind: 'not-chosen' },
    };
  });
  const resultFile = runPaths(manifest.repo.root, manifest.feature, manifest.mode).result;
  await writeFile(
    resultFile,
    renderResultTable({ feature: manifest.feature, mode: manifest.mode, date: at, winner, rows }),
  );

  const finish: FinishRecord = {
    at,
    winner,
    winnerCommit: merged?.winner_commit ?? null,
    mergedBranch: merged?.branch ?? null,
    into: merged?.into ?? null,
    mergeCommit: merged?.merge_commit ?? null,
    copiedFiles: copied ?? [],
    removed: winnerRemoval ? [...removed, winnerRemoval] : removed,
  };
  await store.update(
    (m) => {
      m.status = 'finished';
      m.finish = finish;
    },
    {
      type: 'finished',
      runner: winner,
      message: merged
        ? `merged ${merged.branch} into ${merged.into}; removed ${removed.filter((r) => r.removedDir).length} workspaces`
        : `copied ${copied?.length ?? 0} files; removed ${removed.filter((r) => r.removedDir).length} workspaces`,
    },
  );
  return {
    feature: manifest.feature,
    mode: manifest.mode,
    winner,
    merged,
    copied_files: copied,
    ...(refused.length > 0 ? { refused_files: refused } : {}),
    removed,
    kept: {
      workspace: winnerRemoval?.removedDir ? null : winnerRecord.workspace.dir,
      branch:
        winnerRemoval?.removedBranch || !winnerRecord.workspace.branch ? null : winnerRecord.workspace.branch,
      why: winnerRemoval
        ? winnerRemoval.skipped
        : ['some of its files were refused; they are still in the workspace'],
    },
    result_file: relativeToRoot(manifest.repo.root, resultFile),
    manifest: relativeToRoot(manifest.repo.root, store.file),
  };
}

async function mergeWinner(
  store: ManifestStore,
  winner: string,
): Promise<NonNullable<FinishResult['merged']>> {
  const manifest = store.record;
  const runner = store.runner(winner);
  const root = manifest.repo.root;
  const branch = runner.workspace.branch!;
  const into = manifest.repo.baseBranch!;
  const dir = workspaceDir(manifest, runner);

  const checkedOut = await currentBranch(root);
  if (checkedOut !== into) {
    throw new SpeedRunError(
      'invalid_input',
      `The run started from ${into}, but ${checkedOut ?? 'a detached HEAD'} is checked out in ${root}.`,
      { field: 'winner', hint: `Check out ${into} there (git switch ${into}), then finish again.` },
    );
  }
  const worktree = (await listWorktrees(root)).find((w) => path.resolve(w.path) === path.resolve(dir));
  if (!worktree || worktree.branch !== branch) {
    throw new SpeedRunError(
      'invalid_input',
      `The winner's worktree ${runner.workspace.dir} is not on ${branch}.`,
      {
        field: 'winner',
        hint: 'Check `git worktree list`; speed-run merges only the branch it created for the winner.',
      },
    );
  }

  // The agent's fixes: everything changed in the winner's worktree, installed dependencies excepted.
  const excludes = DEPENDENCY_DIRS.filter((d) => d !== '.git').flatMap((d) => [
    `:(exclude)${d}`,
    `:(exclude)**/${d}`,
  ]);
  await gitOrThrow(dir, ['add', '--all', '--', '.', ...excludes]);
  const winnerCommit = await commitStaged(
    dir,
    `speed-run ${manifest.mode} ${manifest.feature}: ${winner} final state\n\nThe winner's worktree as finish found it (the agent's fixes included).\n`,
  );
  if (winnerCommit) {
    await store.update(() => undefined, { type: 'winner-committed', runner: winner, message: winnerCommit });
  }

  const merge = await git(
    root,
    [
      '-c',
      'commit.gpgsign=false',
      'merge',
      '--no-ff',
      '--no-edit',
      '-m',
      `speed-run ${manifest.mode} ${manifest.feature}: merge winner ${winner} (${branch})`,
      branch,
    ],
    { env: speedRunIdentityEnv() },
  );
  if (merge.failed) {
    const inProgress = !(await git(root, ['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'])).failed;
    if (inProgress) await git(root, ['merge', '--abort']);
    throw new SpeedRunError(
      'io',
      `Merging ${branch} into ${into} failed${inProgress ? ' (conflicts; the merge was aborted)' : ''}: ${merge.stderr.trim().split('\n').slice(0, 4).join(' / ') || merge.stdout.trim()}`,
      {
        hint:
          `Nothing was removed. Commit or stash your uncommitted changes, or merge by hand (git merge ${branch}), ` +
          'then call finish again to clean up.',
      },
    );
  }
  const mergeCommit = (await git(root, ['rev-parse', 'HEAD'])).stdout.trim() || null;
  await store.event('merged', winner, `${branch} into ${into} (${mergeCommit?.slice(0, 8) ?? '?'})`);
  return { branch, into, merge_commit: mergeCommit, winner_commit: winnerCommit };
}

/**
 * Outside git: the winner's files (new or changed against the copy it started from) go into the project through
 * the same safe writer as generation: path policy, no writing through symlinks, limits, atomic replace.
 */
async function copyWinner(
  store: ManifestStore,
  winner: string,
  scope: RaceScope,
): Promise<{ copied: string[]; refused: { path: string; reason: string }[] }> {
  const manifest = store.record;
  const runner = store.runner(winner);
  const from = workspaceDir(manifest, runner);
  const writer = new SafeFileWriter(manifest.repo.root, scope.config.limits);
  const copied: string[] = [];
  const refused: { path: string; reason: string }[] = [];
  for (const name of await runnerPaths(manifest, runner)) {
    const source = path.join(from, ...name.split('/'));
    const stats = await lstat(source).catch(() => null);
    if (!stats?.isFile()) continue;
    const content = await readFile(source, 'utf8');
    const outcome = await writer.write({ path: name, content });
    if (outcome.written) copied.push(name);
    else refused.push({ path: name, reason: outcome.reason });
  }
  await store.event(
    'copied',
    winner,
    `${copied.length} files into ${manifest.repo.root}${refused.length > 0 ? `; ${refused.length} refused` : ''}`,
  );
  return { copied, refused };
}

/** Why a runner has nothing to promote, or null when it has. */
function winnerProblem(runner: RunnerRecord, files: number): string | null {
  if (runner.failure && ['workspace', 'generation', 'commit'].includes(runner.failure.stage)) {
    return `its ${runner.failure.stage} failed (${runner.failure.message})`;
  }
  if (runner.generation === null || runner.generation.files.length === 0) return 'it generated no file';
  if (files === 0) return 'its files equal the starting point (nothing to promote)';
  return null;
}
