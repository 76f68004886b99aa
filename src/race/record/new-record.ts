import { createHash } from 'node:crypto';
import type { GenerateFilesResult } from '../../codegen/generate-files.js';
import { nonEmpty } from '../plan/run-request.js';
import type { RunnerPlan } from '../plan/runner-prompts.js';
import type { RaceMode } from '../race-types.js';
import type { RepoInfo } from '../workspace/repo.js';
import type { GenerationRecord, RunManifest, RunnerRecord } from './manifest-schema.js';

/** What a new record is made from. */
export interface NewRunRequest {
  mode: RaceMode;
  contract: string;
  contractFile?: string | null | undefined;
  plans: RunnerPlan[];
  variation?: string | null | undefined;
  setupCommand?: string | undefined;
  testCommand?: string | undefined;
  repairRounds?: number | undefined;
}

/** A generation's outcome as the record keeps it (metadata only). */
export function generationRecord(result: GenerateFilesResult): GenerationRecord {
  return {
    model: result.model,
    files: result.files.map((file) => ({ path: file.path, lines: file.lines, bytes: file.bytes })),
    rejected: result.rejected.map((file) => ({ path: file.path, reason: file.reason })),
    unclosed: result.unclosed.map((file) => file.path),
    truncated: result.truncated,
    finishReason: result.finishReason,
    lines: result.files.reduce((sum, file) => sum + file.lines, 0),
    bytes: result.files.reduce((sum, file) => sum + file.bytes, 0),
    tokens: result.usage
      ? {
          prompt: result.usage.promptTokens,
          completion: result.usage.completionTokens,
          total: result.usage.totalTokens,
        }
      : null,
    durationMs: result.generationMs,
    timeToFirstFileMs: result.timeToFirstFileMs,
    llmCalls: result.attempts,
    limitReached: result.limitReached,
  };
}

/** A runner's first record, queued. */
export function newRunnerRecord(
  plan: RunnerPlan,
  index: number,
  promptFile: string,
  workspace: { relDir: string; branch: string | null },
  outputSubdir: string | null,
): RunnerRecord {
  return {
    id: plan.runner,
    index: index + 1,
    approach: plan.variation.approach ?? null,
    variation: {
      kind: plan.variation.kind,
      brief: plan.variation.brief ?? null,
      temperature: plan.temperature ?? null,
      model: plan.model ?? null,
    },
    promptFile,
    promptChars: plan.prompt.length,
    workspace: { dir: workspace.relDir, branch: workspace.branch, outputDir: outputSubdir ?? '.' },
    status: 'queued',
    failure: null,
    generation: null,
    commit: null,
    setup: null,
    tests: null,
    fixCycles: 0,
  };
}

/** A new run's record: status running, owned by this process. */
export function newManifest(
  request: NewRunRequest,
  repo: RepoInfo,
  settled: {
    at: string;
    owner: { pid: number; host: string };
    feature: string;
    outputSubdir: string | null;
    timeoutS: number;
    gitignoreUpdated: boolean;
    uncommitted: string[];
  },
  runners: RunnerRecord[],
): RunManifest {
  const at = settled.at;
  return {
    schemaVersion: 1,
    feature: settled.feature,
    mode: request.mode,
    status: 'running',
    owner: settled.owner,
    createdAt: at,
    updatedAt: at,
    repo: {
      root: repo.root,
      git: repo.git,
      baseBranch: repo.baseBranch,
      baseCommit: repo.baseCommit,
      uncommittedAtStart: settled.uncommitted.slice(0, 50),
      gitignoreUpdated: settled.gitignoreUpdated,
    },
    contract: {
      source: request.contractFile ? 'file' : 'inline',
      file: request.contractFile ?? null,
      chars: request.contract.length,
      sha256: createHash('sha256').update(request.contract).digest('hex'),
    },
    options: {
      variation: request.variation ?? null,
      outputSubdir: settled.outputSubdir,
      setupCommand: nonEmpty(request.setupCommand),
      testCommand: nonEmpty(request.testCommand),
      timeoutS: settled.timeoutS,
      repairRounds: request.repairRounds ?? 0,
      models: [...new Set(request.plans.flatMap((plan) => (plan.model ? [plan.model] : [])))],
    },
    runners,
    events: [],
    finish: null,
  };
}
