import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { raceSeal, scopedRunRoot, testPhaseOptions, type RaceContext } from './race-context.js';
import { sealedCommands } from './record/command-seal.js';
import type { RaceMode } from './race-types.js';
import { findRun, resolveRunnerId } from './record/find-run.js';
import { runnerScore, type RunnerScore } from './record/scoreboard.js';
import { testWorkspace } from './test-phase/test-workspace.js';
import { workspaceFingerprint } from './workspace/fingerprint.js';

export interface RerunRequest {
  /** Default: the configured cwd. Must lie inside the allowed roots. */
  repoDir?: string | undefined;
  feature: string;
  runner: string;
  mode?: RaceMode | undefined;
}

export interface RerunResult {
  feature: string;
  mode: RaceMode;
  runner: RunnerScore;
  /** The test outcome before this run, for comparison. */
  previous: RunnerScore['tests'];
  /** The last lines of the test output (the whole of it is in the log file). */
  tail: string;
}

/**
 * Re-runs one workspace's tests after the agent fixed something there; a call that finds the workspace changed
 * since its last test run counts a fix cycle. Setup runs again only if it has not yet succeeded there.
 */
export async function rerunTests(request: RerunRequest, ctx: RaceContext): Promise<RerunResult> {
  const repoDir = await scopedRunRoot(ctx, request.repoDir);
  const store = await findRun(repoDir, request.feature, request.mode, ctx.now);
  const manifest = store.record;
  const runnerId = resolveRunnerId(store, request.runner);
  const refuse = (state: string, field: string, hint: string) =>
    new SpeedRunError('invalid_input', `The ${manifest.mode} run "${manifest.feature}" ${state}.`, {
      field,
      hint,
    });
  if (manifest.options.testCommand === null) {
    throw refuse(
      'has no test command',
      'test_command',
      'Start the run with test_command (CLI: --test) to have speed-run run tests, or run them yourself.',
    );
  }
  if (manifest.status === 'finished') {
    throw refuse(
      'is already finished',
      'feature',
      'Its losing workspaces are gone; test the merged code in the repository itself.',
    );
  }
  if (manifest.status === 'running') {
    throw refuse(
      'is still running',
      'feature',
      'Wait for the race to report its scoreboard, then re-run tests.',
    );
  }
  if (!(await raceSeal(ctx).verify(sealedCommands(manifest), manifest.options.commandSeal))) {
    throw new SpeedRunError(
      'invalid_input',
      `The setup or test command in the run record of "${manifest.feature}" is not the one this run was started ` +
        'with (the record was edited, or written by another user or an older speed-run): speed-run does not run it.',
      {
        field: 'feature',
        hint:
          'Run the tests yourself in the workspace, or start the run again (replace: true / --replace) with the ' +
          'test command you want run.',
      },
    );
  }
  const before = runnerScore(store.runner(runnerId)).tests;
  // A fix cycle is a re-run after the workspace changed; a second look at the same files is not one.
  const last = store.runner(runnerId);
  const dir = path.join(manifest.repo.root, ...last.workspace.dir.split('/'));
  const now = await workspaceFingerprint(dir, manifest.repo.git);
  const changed = last.tests === null || !last.fingerprint || now === null || now !== last.fingerprint;
  if (changed) {
    await store.updateRunner(runnerId, (r) => void (r.fixCycles += 1), {
      type: 'fix-cycle',
      message: `run_tests #${last.fixCycles + 1}`,
    });
  } else {
    await store.event(
      're-test',
      runnerId,
      'the workspace is unchanged since its last test run: no fix cycle',
    );
  }
  await testWorkspace(store, runnerId, testPhaseOptions(ctx));
  const after = store.runner(runnerId);
  return {
    feature: manifest.feature,
    mode: manifest.mode,
    runner: runnerScore(after),
    previous: before,
    tail: after.tests?.tail ?? after.setup?.tail ?? '',
  };
}
