import { SpeedRunError } from '../errors.js';
import type { LedgerEntry } from './ledger-entry.js';

/** USD per million tokens: prompt (input) and generated (output). */
export interface Price {
  input: number;
  output: number;
}

export interface StatsRow {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  model: string;
  route: string;
  calls: number;
  failures: number;
  files: number;
  generated_tokens: number;
  agent_tokens_avoided: number;
  /**
   * Calls that wrote files but whose provider reported no usage (Ollama, some servers): their tokens are unknown,
   * so `generated_tokens` (and the cost) leave them out rather than count them as 0.
   */
  unreported_usage: number;
  /** Only when a price is configured; calls whose provider reported no usage add nothing. */
  cost_usd?: number;
}

export interface LedgerStats {
  since: string | null;
  rows: StatsRow[];
  totals: Omit<StatsRow, 'day' | 'model' | 'route'>;
}

/** Totals per day, model and route, newest day first; entries before `since` are left out. */
export function ledgerStats(
  entries: LedgerEntry[],
  options: { since?: Date; price?: Price } = {},
): LedgerStats {
  const zero = (): LedgerStats['totals'] => ({
    calls: 0,
    failures: 0,
    files: 0,
    generated_tokens: 0,
    agent_tokens_avoided: 0,
    unreported_usage: 0,
    ...(options.price ? { cost_usd: 0 } : {}),
  });
  const rows = new Map<string, StatsRow>();
  const totals = zero();
  for (const entry of entries) {
    const time = new Date(entry.ts);
    if (options.since && time < options.since) continue;
    const day = entry.ts.slice(0, 10);
    const key = `${day}\u0000${entry.model}\u0000${entry.route}`;
    let row = rows.get(key);
    if (!row) {
      row = { day, model: entry.model, route: entry.route, ...zero() };
      rows.set(key, row);
    }
    const cost = options.price
      ? ((entry.prompt_tokens ?? 0) * options.price.input +
          (entry.generated_tokens ?? 0) * options.price.output) /
        1_000_000
      : 0;
    for (const target of [row, totals]) {
      target.calls += 1;
      if (!entry.ok) target.failures += 1;
      target.files += entry.files;
      target.generated_tokens += entry.generated_tokens ?? 0;
      if (entry.generated_tokens === null && entry.files > 0) target.unreported_usage += 1;
      target.agent_tokens_avoided += entry.agent_tokens_avoided;
      if (target.cost_usd !== undefined) target.cost_usd += cost;
    }
  }
  const sorted = [...rows.values()].sort(
    (a, b) => b.day.localeCompare(a.day) || a.model.localeCompare(b.model) || a.route.localeCompare(b.route),
  );
  return { since: options.since?.toISOString() ?? null, rows: sorted, totals };
}

/** `7d`, `24h`, `30m` (before `now`), or a date such as `2026-11-01`. */
export function parseSince(value: string, now: Date): Date {
  const relative = /^(\d+)\s*([dhm])$/.exec(value.trim());
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as 'd' | 'h' | 'm'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim()) && !Number.isNaN(Date.parse(value.trim()))) {
    return new Date(value.trim());
  }
  throw new SpeedRunError('invalid_input', `--since "${value}" is not a duration or a date.`, {
    field: '--since',
    hint: 'Use e.g. 7d, 24h, 30m, or a date such as 2026-11-01.',
  });
}

/** `0.35` (one price for both) or `0.35/0.75` (input/output), in USD per million tokens. */
export function parsePrice(value: string, source: string): Price {
  const parts = value.split('/').map((part) => Number(part.trim()));
  const valid = parts.length >= 1 && parts.length <= 2 && parts.every((n) => Number.isFinite(n) && n >= 0);
  if (!valid || value.trim() === '') {
    throw new SpeedRunError('invalid_input', `${source} "${value}" is not a price.`, {
      field: source,
      hint: 'Give USD per million tokens: one number for input and output (0.6), or input/output (0.35/0.75).',
    });
  }
  return { input: parts[0]!, output: parts[1] ?? parts[0]! };
}
