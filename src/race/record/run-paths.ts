import path from 'node:path';
import { validateFeatureSlug, validateMode } from '../plan/feature-slug.js';
import type { RaceMode } from '../race-types.js';

/**
 * The one convention for where a run's record lives: `docs/plans/<feature>/speed-run/<mode>/` under the
 * repository root, holding manifest.json, result.md, judge-worksheet.json, prompts/ and logs/.
 */
export const RUN_RECORDS_DIR = 'docs/plans';
export const MANIFEST_FILE = 'manifest.json';
export const RESULT_FILE = 'result.md';
export const WORKSHEET_FILE = 'judge-worksheet.json';
export const PROMPTS_DIR = 'prompts';
export const LOGS_DIR = 'logs';

/** The run's record directory relative to the repository root, with `/` separators. */
export function runRecordDir(feature: string, mode: RaceMode): string {
  return `${RUN_RECORDS_DIR}/${validateFeatureSlug(feature)}/speed-run/${validateMode(mode)}`;
}

/** Whether a repository-relative path lies in some run's record (speed-run's own files, not the user's work). */
export function isRunRecordPath(relativePath: string): boolean {
  return /^docs\/plans\/[^/]+\/speed-run\//.test(relativePath);
}

/** Absolute paths of one run's record. */
export interface RunPaths {
  dir: string;
  manifest: string;
  result: string;
  worksheet: string;
  prompts: string;
  logs: string;
}

export function runPaths(root: string, feature: string, mode: RaceMode): RunPaths {
  const dir = path.join(root, ...runRecordDir(feature, mode).split('/'));
  return {
    dir,
    manifest: path.join(dir, MANIFEST_FILE),
    result: path.join(dir, RESULT_FILE),
    worksheet: path.join(dir, WORKSHEET_FILE),
    prompts: path.join(dir, PROMPTS_DIR),
    logs: path.join(dir, LOGS_DIR),
  };
}

/** The run's directory (manifest, result.md, prompts/, logs/), absolute. */
export function runDir(root: string, feature: string, mode: RaceMode): string {
  return runPaths(root, feature, mode).dir;
}

export function manifestPath(root: string, feature: string, mode: RaceMode): string {
  return runPaths(root, feature, mode).manifest;
}

/** Relative to the root, with forward slashes: how paths are kept in the record. */
export function relativeToRoot(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
