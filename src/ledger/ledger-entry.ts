/**
 * One line of the savings ledger: what a generation call cost and saved, and nothing else. Never a prompt, a
 * file path, code or a key: only the route, the provider's label, the model, counts and times.
 */
export type LedgerRoute = 'turbo' | 'race' | 'any-percent';

export interface LedgerEntry {
  /** ISO time the call ended. */
  ts: string;
  route: LedgerRoute;
  provider: string;
  model: string;
  ok: boolean;
  files: number;
  /** Completion tokens the hosted model reported; null when it reported none. */
  generated_tokens: number | null;
  prompt_tokens: number | null;
  /** The receipt's estimate of agent output tokens avoided. */
  agent_tokens_avoided: number;
  ms: number;
  /** The error kind of a failed call, e.g. `rate_limited`. */
  error_kind?: string;
}

const ROUTES: readonly string[] = ['turbo', 'race', 'any-percent'];

/**
 * The entry a line of the file holds, or null for a line that is not one (a torn write, a hand edit). Only the
 * known fields are kept, so whatever else a line carries never reaches a report.
 */
export function parseLedgerLine(line: string): LedgerEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const raw = value as Record<string, unknown>;
  const count = (field: unknown) =>
    typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : null;
  if (typeof raw.ts !== 'string' || Number.isNaN(Date.parse(raw.ts))) return null;
  if (typeof raw.route !== 'string' || !ROUTES.includes(raw.route)) return null;
  if (typeof raw.model !== 'string' || typeof raw.ok !== 'boolean') return null;
  return {
    ts: raw.ts,
    route: raw.route as LedgerRoute,
    provider: typeof raw.provider === 'string' ? raw.provider : '',
    model: raw.model,
    ok: raw.ok,
    files: count(raw.files) ?? 0,
    generated_tokens: count(raw.generated_tokens),
    prompt_tokens: count(raw.prompt_tokens),
    agent_tokens_avoided: count(raw.agent_tokens_avoided) ?? 0,
    ms: count(raw.ms) ?? 0,
    ...(typeof raw.error_kind === 'string' ? { error_kind: raw.error_kind } : {}),
  };
}
