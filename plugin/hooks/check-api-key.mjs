#!/usr/bin/env node
// SessionStart hook: one line on stderr when speed-run has no API key. No dependencies; always exits 0.
// Mirrors src/config/resolve-config.ts: SPEED_RUN_API_KEY, then CEREBRAS_API_KEY, then the user config file's
// apiKeyEnv (only the user-level file may name providers; see docs/security.md).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Unset, blank, or a placeholder the host left unexpanded (`${...}`) is no value. */
function usable(value) {
  return typeof value === 'string' && value.trim() !== '' && !value.includes('${');
}

/** The variables the user config file names with `apiKeyEnv`; null when it exists but is unreadable. */
function configFileKeyVariables(env) {
  const dir = usable(env.CLAUDE_PROJECT_DIR) ? env.CLAUDE_PROJECT_DIR : process.cwd();
  const home = usable(env.HOME) ? env.HOME : homedir();
  const configHome = usable(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  const file = usable(env.SPEED_RUN_CONFIG)
    ? resolve(dir, env.SPEED_RUN_CONFIG)
    : join(resolve(dir, configHome), 'speed-run', 'config.json');
  if (!existsSync(file)) return [];
  try {
    const providers = JSON.parse(readFileSync(file, 'utf8')).providers ?? {};
    return Object.values(providers).map((entry) => entry?.apiKeyEnv);
  } catch {
    return null;
  }
}

function hasApiKey(env) {
  const names = ['SPEED_RUN_API_KEY', 'CLAUDE_PLUGIN_OPTION_API_KEY', 'CEREBRAS_API_KEY'];
  if (names.some((name) => usable(env[name]))) return true;
  const fromFile = configFileKeyVariables(env);
  // An unreadable config file is the server's to report, with a better message than this hook could give.
  return fromFile === null || fromFile.some((name) => typeof name === 'string' && usable(env[name]));
}

try {
  if (!hasApiKey(process.env)) {
    process.stderr.write(
      'speed-run: no API key. Run /plugin configure speed-run@speed-run or export CEREBRAS_API_KEY ' +
        '(free key: https://cloud.cerebras.ai), then restart Claude Code.\n',
    );
  }
} catch {
  // A warning hook must never get in the way of a session.
}
process.exitCode = 0;
