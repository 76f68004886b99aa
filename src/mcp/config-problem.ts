import { SpeedRunError, isSpeedRunError } from '../errors.js';
import type { LeanStatusOutput } from './tools/check-status.js';

/** What to do once the setting is fixed: the server read its configuration once, at start. */
const RESTART =
  'Then restart the MCP server (Claude Code: /mcp, then reconnect hosted-llm-codegen; or restart Claude Code).';

/**
 * The configuration problem a server started with, as the one error every tool answers with: what is wrong,
 * how to fix it, and that the server must be restarted after. Not a crash: the server keeps running so the
 * agent can call `check_status` and show the user the fix.
 */
export function heldConfigProblem(error: unknown): SpeedRunError {
  const message = isSpeedRunError(error)
    ? error.message
    : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  const hint = isSpeedRunError(error) && error.hint ? `${error.hint}\n${RESTART}` : RESTART;
  return new SpeedRunError('config', `speed-run is not configured correctly: ${message}`, {
    hint,
    ...(isSpeedRunError(error) && error.field ? { field: error.field } : {}),
    cause: error,
  });
}

/** `check_status` on a server holding a configuration problem: the problem is its status, not a tool error. */
export function configProblemStatus(problem: SpeedRunError): LeanStatusOutput {
  return {
    status: 'error',
    provider: 'unknown',
    base_url: 'unknown',
    model: 'unknown',
    error_kind: 'config',
    message: problem.message,
    ...(problem.hint ? { setup_hint: problem.hint } : {}),
  };
}
