import type { GenerateFilesResult } from '../codegen/generate-files.js';
import { receiptFor } from '../codegen/generation-report.js';
import { isSpeedRunError } from '../errors.js';
import type { LedgerEntry, LedgerRoute } from './ledger-entry.js';
import type { Ledger } from './ledger-file.js';

/** The ledger line of a generation that wrote files (even a partial one). */
export function generationEntry(
  route: LedgerRoute,
  provider: string,
  result: GenerateFilesResult,
  promptBytes: number,
  now: Date,
): LedgerEntry {
  const receipt = receiptFor(result, promptBytes);
  return {
    ts: now.toISOString(),
    route,
    provider,
    model: result.model,
    ok: result.files.length > 0 && !result.truncated,
    files: result.files.length,
    generated_tokens: receipt.generated_tokens,
    prompt_tokens: result.usage?.promptTokens ?? null,
    agent_tokens_avoided: receipt.agent_tokens_avoided,
    ms: receipt.wall_ms,
  };
}

/**
 * The ledger line of one race or any-percent runner's generation. A run of N runners replaces the one
 * implementation the agent would have written, so each runner's line counts 1/N of its estimate; a repair round
 * (`repair: true`) fixes a runner the agent could have dropped, so it counts none, and its files are the ones it
 * edited.
 */
export function runnerEntry(
  route: 'race' | 'any-percent',
  provider: string,
  result: GenerateFilesResult,
  promptBytes: number,
  now: Date,
  share: { runners: number } | { repairedFiles: number },
): LedgerEntry {
  const entry = generationEntry(route, provider, result, promptBytes, now);
  if ('repairedFiles' in share) {
    return { ...entry, ok: result.files.length > 0, files: share.repairedFiles, agent_tokens_avoided: 0 };
  }
  return {
    ...entry,
    agent_tokens_avoided: Math.round(entry.agent_tokens_avoided / Math.max(1, share.runners)),
  };
}

/**
 * Whether a failure happened at the provider or later (worth a ledger line), rather than in the arguments or
 * the setup, which never reached the hosted model.
 */
export function reachedProvider(error: unknown): boolean {
  if (!isSpeedRunError(error)) return true;
  return !['config', 'invalid_input', 'path_rejected'].includes(error.kind);
}

/** The ledger line of a call that failed before it had a result. */
export function failureEntry(
  route: LedgerRoute,
  provider: string,
  model: string,
  error: unknown,
  ms: number,
  now: Date,
): LedgerEntry {
  return {
    ts: now.toISOString(),
    route,
    provider,
    model,
    ok: false,
    files: 0,
    generated_tokens: null,
    prompt_tokens: null,
    agent_tokens_avoided: 0,
    ms: Math.round(ms),
    error_kind: isSpeedRunError(error) ? error.kind : 'internal',
  };
}

/** Appends an entry; a ledger that cannot be written is logged and never fails the call it records. */
export async function recordCall(
  ledger: Ledger | undefined,
  entry: LedgerEntry,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  if (!ledger) return;
  try {
    await ledger.append(entry);
  } catch (error) {
    log(`ledger not written (${ledger.path}): ${error instanceof Error ? error.message : String(error)}`);
  }
}
