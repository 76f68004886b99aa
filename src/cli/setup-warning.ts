import { usableValue } from '../config/read-setting.js';
import { resolveConfig } from '../config/resolve-config.js';
import { isSpeedRunError } from '../errors.js';

/**
 * The one line the plugin's SessionStart hook shows when the server would start without a usable setup: no
 * key, or a configuration problem (the same `resolveConfig` the server runs, so the two never disagree).
 * Null when the setup looks usable. Never throws for a configuration problem: it describes it.
 */
export function setupWarning(env: Record<string, string | undefined>, cwd: string): string | null {
  // The hook sees the plugin prompt's key as CLAUDE_PLUGIN_OPTION_API_KEY; the server gets it as
  // SPEED_RUN_API_KEY (plugin/.mcp.json), unless SPEED_RUN_API_KEY is exported.
  const pluginKey = usableValue(env.CLAUDE_PLUGIN_OPTION_API_KEY);
  const serverEnv =
    usableValue(env.SPEED_RUN_API_KEY) === undefined && pluginKey !== undefined
      ? { ...env, SPEED_RUN_API_KEY: pluginKey }
      : env;
  try {
    const config = resolveConfig({ env: serverEnv, cwd: usableValue(env.CLAUDE_PROJECT_DIR) ?? cwd });
    if (config.provider.apiKey !== undefined) return null;
    return (
      `speed-run: no API key (${config.provider.apiKeyVariable} is not set). Run /plugin configure ` +
      `speed-run@speed-run or export ${config.provider.apiKeyVariable}, then restart Claude Code.`
    );
  } catch (error) {
    const detail = isSpeedRunError(error)
      ? [error.message, error.hint?.split('\n')[0]].filter(Boolean).join(' ')
      : String(error);
    return `speed-run: configuration problem, its tools will only report it: ${detail.replace(/\s+/g, ' ')}`;
  }
}
