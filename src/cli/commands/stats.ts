import { Command, InvalidArgumentError, Option } from 'commander';
import { isSpeedRunError } from '../../errors.js';
import { ledgerPath, openLedger } from '../../ledger/ledger-file.js';
import {
  ledgerStats,
  parsePrice,
  parseSince,
  type LedgerStats,
  type Price,
} from '../../ledger/ledger-stats.js';
import { EXIT_OK, reportFailure } from '../cli-context.js';

interface StatsOptions {
  since?: Date;
  json?: boolean;
  price?: Price;
}

/** A flag value that does not parse is a usage error (exit 2) whose message commander prefixes with the flag. */
function flagParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(isSpeedRunError(error) ? (error.hint ?? error.message) : String(error));
    }
  };
}

/** `speed-run stats [--since 7d] [--json]`: totals from the local savings ledger. */
export function createStatsCommand(): Command {
  return new Command('stats')
    .description('Totals from the local savings ledger, per day, model and route.')
    .addOption(
      new Option('--since <when>', 'only calls since then: 7d, 24h, 30m, or a date (2026-11-01)').argParser(
        flagParser((value) => parseSince(value, new Date())),
      ),
    )
    .addOption(
      new Option(
        '--price <usd>',
        'USD per million tokens, input/output (0.35/0.75) or one for both (default SPEED_RUN_PRICE_PER_MTOK)',
      ).argParser(flagParser((value) => parsePrice(value, '--price'))),
    )
    .option('--json', 'print the totals as JSON')
    .action(async (options: StatsOptions) => {
      try {
        process.exitCode = await printStats(options);
      } catch (error) {
        process.exitCode = reportFailure(error);
      }
    });
}

async function printStats(options: StatsOptions): Promise<number> {
  const file = ledgerPath(process.env);
  const since = options.since;
  const fromEnv = process.env.SPEED_RUN_PRICE_PER_MTOK?.trim();
  const price = options.price ?? (fromEnv ? parsePrice(fromEnv, 'SPEED_RUN_PRICE_PER_MTOK') : undefined);
  const entries = file ? await openLedger(file).read() : [];
  const stats = ledgerStats(entries, { ...(since ? { since } : {}), ...(price ? { price } : {}) });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ledger: file, ...stats }, null, 2)}\n`);
    return EXIT_OK;
  }
  process.stdout.write(`${formatStats(stats, file)}\n`);
  return EXIT_OK;
}

export function formatStats(stats: LedgerStats, file: string | null): string {
  if (file === null) return 'The ledger is off (SPEED_RUN_LEDGER=off, or no home directory).';
  if (stats.totals.calls === 0) return `No calls recorded${stats.since ? ' in that period' : ''} (${file}).`;
  const n = (value: number) => value.toLocaleString('en-US');
  const cost = stats.totals.cost_usd !== undefined;
  const header = [
    'day',
    'model',
    'route',
    'calls',
    'failed',
    'files',
    'generated tok',
    'agent tok avoided (est.)',
  ];
  if (cost) header.push('cost USD');
  const line = (cells: (string | number)[]) => cells.join('  ');
  const rows = stats.rows.map((row) => {
    const cells = [
      row.day,
      row.model,
      row.route,
      n(row.calls),
      n(row.failures),
      n(row.files),
      n(row.generated_tokens),
      n(row.agent_tokens_avoided),
    ];
    if (cost) cells.push((row.cost_usd ?? 0).toFixed(4));
    return cells;
  });
  const t = stats.totals;
  const total = [
    'total',
    '',
    '',
    n(t.calls),
    n(t.failures),
    n(t.files),
    n(t.generated_tokens),
    n(t.agent_tokens_avoided),
  ];
  if (cost) total.push((t.cost_usd ?? 0).toFixed(4));
  const table = [header, ...rows, total];
  const widths = header.map((_, column) =>
    Math.max(...table.map((cells) => String(cells[column] ?? '').length)),
  );
  const render = (cells: (string | number)[]) =>
    line(
      cells.map((cell, column) =>
        column < 3 ? String(cell).padEnd(widths[column]!) : String(cell).padStart(widths[column]!),
      ),
    );
  const unreported =
    t.unreported_usage > 0
      ? [
          `${n(t.unreported_usage)} ${t.unreported_usage === 1 ? 'call' : 'calls'} wrote files without the provider ` +
            'reporting usage: their tokens are unknown and not in generated tok' +
            (cost ? ' or cost' : ''),
        ]
      : [];
  return [
    ...table.map(render),
    '',
    ...unreported,
    `agent tok avoided = (bytes written - contract bytes) / 4, per call; ledger: ${file}`,
  ].join('\n');
}
