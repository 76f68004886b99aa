import { fileURLToPath } from 'node:url';
import type { McpServer } from '@modelcontextprotocol/server';

/** How long to wait for the client to answer `roots/list`. */
export const ROOTS_TIMEOUT_MS = 2_000;

export interface ClientRoots {
  /** The directories the client declared as roots (absolute paths); [] when it declares none or cannot. */
  get(): Promise<string[]>;
}

/**
 * Asks the client for its roots once (if it declared the capability), caches them, and asks again after a
 * `roots/list_changed`. Any failure — no capability, timeout, a 2026-era connection with no server→client
 * requests — counts as "no roots": the server cwd and SPEED_RUN_ALLOWED_DIRS still apply.
 */
export function createClientRoots(server: McpServer, log: (line: string) => void): ClientRoots {
  let cached: Promise<string[]> | undefined;
  server.server.setNotificationHandler('notifications/roots/list_changed', () => {
    cached = undefined;
  });

  async function fetchRoots(): Promise<string[]> {
    if (!server.server.getClientCapabilities()?.roots) return [];
    try {
      const { roots } = await server.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
      return roots.flatMap((root) => {
        if (!root.uri.startsWith('file://')) return [];
        try {
          return [fileURLToPath(root.uri)];
        } catch {
          return [];
        }
      });
    } catch (error) {
      log(`client roots unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  return {
    get: () => (cached ??= fetchRoots()),
  };
}
