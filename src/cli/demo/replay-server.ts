import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The model id the replay server answers as. */
export const REPLAY_MODEL = 'recorded-reply';

export interface ReplayServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  /** Chat completion requests it answered. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Characters per streamed delta and the pause between deltas: about 2,000 tokens per second. */
const CHARS_PER_DELTA = 64;
const DELTA_INTERVAL_MS = 8;

/**
 * A minimal OpenAI-compatible server on 127.0.0.1 (random port) that streams one recorded reply for every chat
 * completion, with usage, and lists one model. It exists for `speed-run demo`: the real provider client, extractor
 * and writer run against it, and nothing leaves the machine. It ignores the key it is sent.
 */
export async function startReplayServer(reply: string): Promise<ReplayServer> {
  let requests = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((request, response) => {
    const url = request.url ?? '';
    request.resume();
    if (request.method === 'GET' && url.endsWith('/models')) {
      return json(response, 200, { object: 'list', data: [{ id: REPLAY_MODEL, object: 'model' }] });
    }
    if (request.method === 'POST' && url.endsWith('/chat/completions')) {
      requests += 1;
      request.on('end', () => void stream(response, reply));
      return;
    }
    json(response, 404, { error: { message: `The replay server has no ${url}.`, type: 'not_found' } });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function stream(response: ServerResponse, reply: string): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const id = `chatcmpl-replay-${Date.now()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: REPLAY_MODEL, choices, ...extra })}\n\n`;
  response.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  for (let at = 0; at < reply.length; at += CHARS_PER_DELTA) {
    if (response.destroyed) return;
    const content = reply.slice(at, at + CHARS_PER_DELTA);
    response.write(chunk([{ index: 0, delta: { content }, finish_reason: null }]));
    await new Promise((resolve) => setTimeout(resolve, DELTA_INTERVAL_MS));
  }
  const completionTokens = Math.ceil(reply.length / 4);
  response.write(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
  response.write(
    chunk([], {
      usage: { prompt_tokens: 0, completion_tokens: completionTokens, total_tokens: completionTokens },
    }),
  );
  response.end('data: [DONE]\n\n');
}
