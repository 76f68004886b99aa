import path from 'node:path';

/**
 * The user's own state directory for speed-run: `$XDG_STATE_HOME/speed-run`, else `~/.local/state/speed-run`;
 * null when there is no home to put it in. Nothing in a project can move it.
 */
export function userStateDir(env: Record<string, string | undefined>): string | null {
  const state = env.XDG_STATE_HOME?.trim();
  if (state && path.isAbsolute(state)) return path.join(state, 'speed-run');
  const home = env.HOME?.trim() || env.USERPROFILE?.trim();
  return home ? path.join(home, '.local', 'state', 'speed-run') : null;
}
