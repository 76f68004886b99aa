import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createServer, type CreateServerOptions } from './server.js';

/**
 * Serves the MCP server over stdin/stdout until the client closes stdin or a signal arrives. stdout carries
 * only the protocol; logs go to stderr.
 */
export function startStdioServer(options: Omit<CreateServerOptions, 'log'>): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  const log = (line: string) => void process.stderr.write(`[speed-run] ${line}\n`);
  return new Promise((resolve) => {
    const handle = serveStdio(
      () => {
        const { server, cleanup } = createServer({ ...options, log });
        cleanups.push(cleanup);
        return server;
      },
      { onerror: (error) => log(`transport error: ${error.message}`) },
    );
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await handle.close().catch(() => undefined);
      await Promise.all(cleanups.map((cleanup) => cleanup().catch(() => undefined)));
      resolve();
    };
    process.stdin.once('end', () => void stop());
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });
}
