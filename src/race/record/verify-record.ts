import path from 'node:path';
import { SpeedRunError } from '../../errors.js';
import { checkRelativePath } from '../../write/path-policy.js';
import {
  branchName,
  legacyWorkspaceRelDir,
  validateRunnerName,
  workspaceRelDir,
} from '../plan/feature-slug.js';
import type { RaceMode } from '../race-types.js';
import type { RunManifest } from './manifest-schema.js';

/**
 * A run record is data, not authority. Where it lies says which repository, feature and mode it belongs to;
 * every workspace and branch follows from the naming convention. A record that says otherwise (another
 * repository root, a workspace elsewhere, an odd runner name) is refused, so nothing is run, merged or removed
 * on its word.
 */
export function verifyRecord(
  manifest: RunManifest,
  where: { root: string; feature: string; mode: RaceMode; file: string },
): RunManifest {
  const problems: string[] = [];
  if (manifest.feature !== where.feature) problems.push(`feature is "${manifest.feature}"`);
  if (manifest.mode !== where.mode) problems.push(`mode is "${manifest.mode}"`);
  if (path.resolve(manifest.repo.root) !== path.resolve(where.root)) {
    problems.push(`repo.root is ${manifest.repo.root}, but the record lies in ${where.root}`);
  }
  const seen = new Set<string>();
  for (const runner of manifest.runners) {
    const problem = runnerProblem(manifest, where, runner, seen);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) {
    throw new SpeedRunError(
      'invalid_input',
      `The run record ${where.file} does not match where it lies: ${problems.slice(0, 3).join('; ')}.`,
      {
        field: 'feature',
        hint:
          'speed-run acts only on the workspaces and repository its naming convention gives. Restore the record, ' +
          'or remove its directory and start the run again.',
      },
    );
  }
  return manifest;
}

function runnerProblem(
  manifest: RunManifest,
  where: { feature: string },
  runner: RunManifest['runners'][number],
  seen: Set<string>,
): string | null {
  try {
    validateRunnerName(runner.id);
  } catch {
    return `runner "${runner.id}" is not a runner name`;
  }
  if (seen.has(runner.id)) return `runner "${runner.id}" appears twice`;
  seen.add(runner.id);
  const expected = [workspaceRelDir(where.feature, runner.id), legacyWorkspaceRelDir(runner.id)];
  if (!expected.includes(runner.workspace.dir)) {
    return `${runner.id}'s workspace is "${runner.workspace.dir}", not ${expected[0]}`;
  }
  const branch = manifest.repo.git ? branchName(where.feature, runner.id) : null;
  if (runner.workspace.branch !== branch) {
    return `${runner.id}'s branch is ${JSON.stringify(runner.workspace.branch)}, not ${JSON.stringify(branch)}`;
  }
  if (runner.workspace.outputDir !== '.' && !checkRelativePath(runner.workspace.outputDir).ok) {
    return `${runner.id}'s output directory "${runner.workspace.outputDir}" is not a relative path inside it`;
  }
  return null;
}
