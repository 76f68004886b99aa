import { usageReport, type UsageReport } from '../provider/usage.js';
import type { GenerateFilesResult } from './generate-files.js';
import type { TestsResult } from './verify-and-repair.js';
import { generationReceipt, type Receipt } from './receipt.js';

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
  /** Follow-up calls made for missing or unfinished files after a reply stopped short. */
  continuations?: number;
  /** Which fallback provider served the call, and why: never silent. */
  fallback?: string;
  limit_reached?: string;
  /** The test command's outcome after writing, and each repair round (only with a test command). */
  tests?: TestsReport;
  /** What to do next, when something needs attention. */
  hint?: string;
  receipt: Receipt;
}

/**
 * The MCP result: only what the agent acts on. No output_dir (it sent it), no `created` status, no false flags,
 * no `stop` finish reason, one attempt unsaid; usage and timings folded into the receipt.
 */
export interface LeanGenerationReport {
  files: {
    path: string;
    lines: number;
    /** Absent for a created file. */
    status?: 'overwritten' | 'edited';
    attempt?: number;
    added?: number;
    removed?: number;
    hunks?: number;
  }[];
  files_omitted?: number;
  rejected?: { path: string; reason: string }[];
  rejected_omitted?: number;
  unclosed?: { path: string; bytes: number }[];
  truncated?: true;
  finish_reason?: string;
  attempts?: number;
  continuations?: number;
  /** "groq (llama-3.3-70b): cerebras (gpt-oss-120b) failed: …" when a fallback provider served the call. */
  fallback?: string;
  limit_reached?: string;
  tests?: TestsReport;
  hint?: string;
  receipt: Receipt;
}

export interface TestsReport {
  command: string;
  passed: number;
  failed: number;
  /** Every test run: the first after generation, then one per repair round. */
  rounds: { passed: number; failed: number; edited_files: string[] }[];
  status: 'passed' | 'failed';
  failure?: string;
  failing_tail?: string;
}

type VerifiedResult = GenerateFilesResult & { tests?: TestsResult };

/** The receipt of a generation whose prompt (the contract the agent wrote) had `promptBytes` bytes. */
export function receiptFor(result: GenerateFilesResult, promptBytes: number): Receipt {
  return generationReceipt({
    model: result.model,
    generatedTokens: result.usage?.completionTokens ?? null,
    writtenBytes: result.files.reduce((sum, file) => sum + file.bytes, 0),
    promptBytes,
    wallMs: result.generationMs,
  });
}

export function leanGenerationReport(result: VerifiedResult, promptBytes: number): LeanGenerationReport {
  const full = generationReport(result, promptBytes);
  const retried = result.attempts > 1;
  const lean: LeanGenerationReport = {
    files: full.files.map((file) => ({
      path: file.path,
      lines: file.lines,
      ...(file.status !== 'created' ? { status: file.status } : {}),
      ...(retried ? { attempt: file.attempt ?? 1 } : {}),
      ...(file.added !== undefined ? { added: file.added, removed: file.removed ?? 0 } : {}),
      ...(file.hunks !== undefined ? { hunks: file.hunks } : {}),
    })),
  } as LeanGenerationReport;
  if (full.files_omitted !== undefined) lean.files_omitted = full.files_omitted;
  if (full.rejected.length > 0) lean.rejected = full.rejected;
  if (full.rejected_omitted !== undefined) lean.rejected_omitted = full.rejected_omitted;
  if (full.unclosed) lean.unclosed = full.unclosed;
  if (full.truncated) lean.truncated = true;
  if (full.finish_reason !== null && full.finish_reason !== 'stop') lean.finish_reason = full.finish_reason;
  if (retried) lean.attempts = result.attempts;
  if (full.continuations !== undefined) lean.continuations = full.continuations;
  if (full.fallback !== undefined) lean.fallback = full.fallback;
  if (full.limit_reached) lean.limit_reached = full.limit_reached;
  if (full.tests) lean.tests = full.tests;
  if (full.hint) lean.hint = full.hint;
  lean.receipt = full.receipt;
  return lean;
}

export function generationReport(result: VerifiedResult, promptBytes: number): GenerationReport {
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
    receipt: receiptFor(result, promptBytes),
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
  if (result.continuations > 0) report.continuations = result.continuations;
  if (result.fallback) {
    report.fallback =
      `${result.fallback.provider} (${result.fallback.model}): ${result.fallback.reason}`.slice(0, 400);
  }
  if (result.limitReached) report.limit_reached = result.limitReached;
  if (result.tests) report.tests = testsReport(result.tests);
  const hint = hintFor(result);
  if (hint) report.hint = hint;
  return report;
}

function testsReport(tests: TestsResult): TestsReport {
  const report: TestsReport = {
    command: tests.command,
    passed: tests.passed,
    failed: tests.failed,
    rounds: tests.rounds.map((round) => ({
      passed: round.passed,
      failed: round.failed,
      edited_files: round.editedFiles.slice(0, MAX_REPORTED_REJECTED),
    })),
    status: tests.status,
  };
  if (tests.failure !== undefined) report.failure = tests.failure;
  if (tests.failingTail !== undefined) report.failing_tail = tests.failingTail;
  return report;
}

function hintFor(result: VerifiedResult): string | undefined {
  if (result.tests?.status === 'failed') {
    return 'Tests still fail after the repair rounds: fix what failing_tail shows, then run the test command.';
  }
  if (result.finishReason === 'length') {
    const after = result.continuations > 0 ? ` even after ${result.continuations} continuations` : '';
    return `The reply hit max_tokens${after}: files after the cut are missing. Raise max_tokens or split the contract.`;
  }
  if (result.unclosed.length > 0) return 'A file was left unclosed and was not written; generate it again.';
  if (result.files.length === 0 && result.rejected.length > 0) {
    return 'Every file in the reply was refused (see rejected); fix what the reasons say and generate again.';
  }
  if (result.files.length === 0) {
    return 'No <FILE path="..."> blocks were found in the reply. Name each file and its path in the contract.';
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text;
}
