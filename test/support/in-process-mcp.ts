/**
 * A real SDK `Client` connected to `createServer()` in this process over a linked in-memory transport: the
 * protocol is the real one, without a child process.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { SpeedRunConfig } from '../../src/config/config-types.js';
import type { Ledger } from '../../src/ledger/ledger-file.js';
import { createServer } from '../../src/mcp/server.js';

export interface InProcessMcp {
  client: Client;
  /** Every line the server logged so far. */
  log(): string;
  close(): Promise<void>;
}

export async function connectInProcess(
  config: SpeedRunConfig,
  options: { fetch?: typeof fetch; ledger?: Ledger } = {},
): Promise<InProcessMcp> {
  const lines: string[] = [];
  const { server, cleanup } = createServer({
    config,
    version: '0.0.0-test',
    log: (line) => lines.push(line),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.ledger ? { ledger: options.ledger } : {}),
  });
  const client = new Client({ name: 'speed-run-test', version: '0.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    client,
    log: () => lines.join('\n'),
    close: async () => {
      await client.close();
      await server.close();
      await cleanup();
    },
  };
}
