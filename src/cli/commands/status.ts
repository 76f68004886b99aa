import { Command } from 'commander';
import { redactSecrets } from '../../config/redact.js';
import type { StatusReport } from '../../provider/check-status.js';
import { LIVE_PROBE_MAX_TOKENS } from '../../provider/live-probe.js';
import { statusOutput } from '../../mcp/tools/check-status.js';
import type { SpeedRunConfig } from '../../config/config-types.js';
import {
  EXIT_CONFIG,
  EXIT_FAILURE,
  EXIT_OK,
  knownSecrets,
  loadConfig,
  reportFailure,
  reportFailureAsJson,
} from '../cli-context.js';

/** `speed-run status [--live] [--json]`: is the provider usable as configured? */
export function createStatusCommand(): Command {
  return new Command('status')
    .description('Check the API key, endpoint, model and rate limits (uses no tokens unless --live).')
    .option('--live', `also make one ${LIVE_PROBE_MAX_TOKENS}-token completion to prove generation works`)
    .option('--json', 'print the report as JSON on stdout')
    .action(async (options: { json?: boolean; live?: boolean }) => {
      let config: SpeedRunConfig | undefined;
      try {
        config = loadConfig();
        const { checkStatus } = await import('../../provider/check-status.js');
        const report = await checkStatus(config.provider, { live: options.live === true });
        process.exitCode = printStatus(report, options.json === true, knownSecrets(config));
      } catch (error) {
        process.exitCode = options.json ? reportFailureAsJson(error, config) : reportFailure(error, config);
      }
    });
}

/** Exit 0 when usable, 2 when there is no key (a configuration problem), 1 for any other failure. */
function printStatus(report: StatusReport, json: boolean, secrets: string[]): number {
  const code = report.status === 'ok' ? EXIT_OK : report.errorKind === 'no_key' ? EXIT_CONFIG : EXIT_FAILURE;
  const print = (stream: NodeJS.WriteStream, text: string) =>
    stream.write(`${redactSecrets(text, secrets)}\n`);
  if (json) {
    print(process.stdout, JSON.stringify(statusOutput(report), null, 2));
    if (report.setupHint) print(process.stderr, report.setupHint);
    return code;
  }
  const lines = [
    `status     ${report.status}`,
    `provider   ${report.provider} (${report.baseUrl})`,
    `model      ${report.model}${availability(report)}`,
  ];
  if (report.latencyMs !== null) lines.push(`latency    ${Math.round(report.latencyMs)} ms`);
  for (const [bucket, window] of Object.entries(report.rateLimit ?? {})) {
    const figures = [
      window.remaining !== undefined && window.limit !== undefined
        ? `${window.remaining}/${window.limit} left`
        : window.remaining !== undefined
          ? `${window.remaining} left`
          : undefined,
      window.resetSeconds !== undefined ? `resets in ${Math.round(window.resetSeconds)} s` : undefined,
    ].filter(Boolean);
    lines.push(`rate limit ${bucket}: ${figures.join(', ')}`);
  }
  const live = report.live;
  if (live) {
    lines.push(
      `live       ${live.ok ? `ok (${live.model} generated, ${Math.round(live.latencyMs)} ms)` : `failed (${live.errorKind})`}`,
    );
  }
  print(process.stdout, lines.join('\n'));
  if (report.errorKind) {
    print(
      process.stderr,
      [`error (${report.errorKind}): ${report.message ?? ''}`, report.setupHint ?? ''].join('\n').trim(),
    );
  }
  if (live && !live.ok) {
    print(
      process.stderr,
      [`live probe failed (${live.errorKind}): ${live.message}`, live.hint ?? ''].join('\n').trim(),
    );
  }
  return code;
}

function availability(report: StatusReport): string {
  if (report.modelAvailable === true) return ' (available)';
  if (report.modelAvailable === false) {
    const some = report.availableModels.slice(0, 10).join(', ');
    return ` (NOT served; available: ${some}${report.availableModels.length > 10 ? ', …' : ''})`;
  }
  return '';
}
