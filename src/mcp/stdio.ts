import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { SpeedRunConfig } from '../config/config-types.js';
import { redactDeep, redactSecrets } from '../config/redact.js';
import type { Ledger } from '../ledger/ledger-file.js';
import { BoundedLines, MAX_MESSAGE_BYTES } from './bounded-lines.js';
import { createServer } from './server.js';

/** JSON-RPC "Invalid Request". */
const INVALID_REQUEST = -32600;

/**
 * Serves the MCP server over stdin/stdout until the client closes stdin, the transport fails or a signal arrives.
 * stdout carries only the protocol; logs go to stderr. Everything sent or logged passes through redaction of
 * every configured key. A message over `maxMessageBytes` is skipped and answered with an error, never buffered.
 */
export function startStdioServer(options: {
  config: SpeedRunConfig;
  version: string;
  maxMessageBytes?: number;
  ledger?: Ledger;
}): Promise<void> {
  const secrets = options.config.secrets ?? [];
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const cleanups: (() => Promise<void>)[] = [];
  const log = (line: string) => void process.stderr.write(`[speed-run] ${redactSecrets(line, secrets)}\n`);

  const input = new BoundedLines(maxBytes, ({ bytes, id }) => {
    log(
      `refused a ${bytes}-byte message (limit ${maxBytes} bytes)${id === null ? '' : ` for request ${id}`}`,
    );
    if (id === null) return;
    void wire
      .send({
        jsonrpc: '2.0',
        id,
        error: {
          code: INVALID_REQUEST,
          message:
            `Message of ${bytes} bytes is over the server's limit of ${maxBytes} bytes; it was not read. ` +
            'Send less: name files by path (context_files, contract_file) instead of inlining them.',
        },
      })
      .catch((error: unknown) => log(`could not answer the oversized request: ${String(error)}`));
  });
  process.stdin.pipe(input);
  // Lines reaching the SDK are bounded above, so its own buffer limit is never the one that trips.
  const wire = new StdioServerTransport(input, process.stdout, { maxBufferSize: 4 * maxBytes });
  const send = wire.send.bind(wire);
  wire.send = (message) => send(redactDeep(message, secrets));

  return new Promise((resolve) => {
    const handle = serveStdio(
      () => {
        const { server, cleanup } = createServer({ ...options, log });
        cleanups.push(cleanup);
        return server;
      },
      { transport: wire, onerror: (error) => log(`transport error: ${error.message}`) },
    );
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await handle.close().catch(() => undefined);
      await Promise.all(cleanups.map((cleanup) => cleanup().catch(() => undefined)));
      resolve();
    };
    // A transport that closes for any reason ends the process, so the client restarts it instead of hanging.
    const onclose = wire.onclose;
    wire.onclose = () => {
      onclose?.();
      void stop();
    };
    process.stdin.once('end', () => void stop());
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });
}
