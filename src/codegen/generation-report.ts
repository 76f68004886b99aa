import { usageReport, type UsageReport } from '../provider/usage.js';
import type { GenerateFilesResult } from './generate-files.js';

/** Files listed in a report; the rest are counted in `files_omitted` so a result stays small. */
export const MAX_REPORTED_FILES = 200;
/** Rejected files listed in a report; the rest are counted in `rejected_omitted`. */
export const MAX_REPORTED_REJECTED = 50;
const MAX_REASON_CHARS = 300;

/**
 * What an agent is told about a generation (MCP result, `turbo --json`): snake_case, metadata only, bounded
 * size whatever the reply. Optional fields appear only when they say something.
 */
export interface GenerationReport {
  output_dir: string;
  files: {
    path: string;
    lines: number;
    bytes: number;
    status: 'created' | 'overwritten' | 'edited';
    attempt?: number;
    /** Lines added and removed, for a file that existed before (a created file adds `lines`). */
    added?: number;
    removed?: number;
    /** Search/replace hunks applied to an edited file. */
    hunks?: number;
  }[];
  files_omitted?: number;
  total_lines: number;
  rejected: { path: string; reason: string }[];
  rejected_omitted?: number;
  unclosed?: { path: string; bytes: number }[];
  truncated: boolean;
  finish_reason: string | null;
  model: string;
  /** null when the provider reported no usage. */
  usage: UsageReport | null;
  generation_ms: number;
  time_to_first_file_ms: number | null;
  attempts: number;
  limit_reached?: string;
  /** What to do next, when something needs attention. */
  hint?: string;
}

export function generationReport(result: GenerateFilesResult): GenerationReport {
  const retried = result.attempts > 1;
  const report: GenerationReport = {
    output_dir: result.outputDir,
    files: result.files.slice(0, MAX_REPORTED_FILES).map((file) => ({
      path: file.path,
      lines: file.lines,
      bytes: file.bytes,
      status: file.status,
      ...(retried ? { attempt: file.attempt } : {}),
      ...(file.added !== undefined ? { added: file.added, removed: file.removed ?? 0 } : {}),
      ...(file.hunks !== undefined ? { hunks: file.hunks } : {}),
    })),
    total_lines: result.files.reduce((sum, file) => sum + file.lines, 0),
    rejected: result.rejected.slice(0, MAX_REPORTED_REJECTED).map((file) => ({
      path: clip(file.path),
      reason: clip(file.reason),
    })),
    truncated: result.truncated,
    finish_reason: result.finishReason,
    model: result.model,
    usage: usageReport(result.usage),
    generation_ms: Math.round(result.generationMs),
    time_to_first_file_ms: result.timeToFirstFileMs === null ? null : Math.round(result.timeToFirstFileMs),
    attempts: result.attempts,
  };
  if (result.files.length > MAX_REPORTED_FILES)
    report.files_omitted = result.files.length - MAX_REPORTED_FILES;
  if (result.rejected.length > MAX_REPORTED_REJECTED) {
    report.rejected_omitted = result.rejected.length - MAX_REPORTED_REJECTED;
  }
  if (result.unclosed.length > 0) {
    report.unclosed = result.unclosed.slice(0, MAX_REPORTED_REJECTED).map((file) => ({
      path: clip(file.path),
      bytes: file.bytes,
    }));
  }
  if (result.limitReached) report.limit_reached = result.limitReached;
  const hint = hintFor(result);
  if (hint) report.hint = hint;
  return report;
}

function hintFor(result: GenerateFilesResult): string | undefined {
  if (result.finishReason === 'length') {
    return 'The reply hit max_tokens: files after the cut are missing. Raise max_tokens or split the contract.';
  }
  if (result.unclosed.length > 0) return 'A file was left unclosed and was not written; generate it again.';
  if (result.files.length === 0) {
    return 'No <FILE path="..."> blocks were found in the reply. Name each file and its path in the contract.';
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text;
}
