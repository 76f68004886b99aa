/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: streaming (SSE) and non-streaming chat completions,
 * GET /v1/models, API-key checks, Cerebras-style rate-limit headers, quota accounting by reservation (prompt +
 * max_completion_tokens, as Cerebras does), paced tokens, the wire dialects of other OpenAI-compatible servers
 * (raw SSE replay, mid-stream error objects, no finish_reason, usage elsewhere or absent) and injectable faults.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SimulatedReply {
  /** Assistant content, streamed as deltas of about 4 characters ("tokens"). */
  content?: string;
  /** Streamed before the content as `reasoning` (or `reasoning_content`) deltas. */
  reasoning?: string;
  reasoningField?: 'reasoning' | 'reasoning_content';
  /** Default 'stop'; null sends none (Snowflake, some vLLM builds): the stream just ends with [DONE]. */
  finishReason?: 'stop' | 'length' | null;
  /** Where usage goes: the last chunk (default), `x_groq.usage` (Groq), or nowhere (Ollama). */
  usage?: 'standard' | 'x_groq' | 'none';
  /** Reasoning tokens reported in usage.completion_tokens_details (they are also counted in completion_tokens). */
  reportReasoningTokens?: boolean;
  /**
   * An `error` object sent inside the 200 stream after about half the content (OpenRouter, Groq), optionally
   * after a chunk with `finishReasonBefore`; then the stream ends.
   */
  midStreamError?: { error: Record<string, unknown>; finishReasonBefore?: string };
  /**
   * Replay this exact SSE body (a recorded fixture) instead of generating one; written in pieces of
   * `sseSplitEvery` bytes (default: whole) so parsers meet arbitrary chunk boundaries.
   */
  sse?: string;
  sseSplitEvery?: number;
  /** The model named in the reply; defaults to the requested model. */
  model?: string;
  tokensPerSecond?: number;
  firstTokenDelayMs?: number;
  /** Answer with this HTTP error status and an OpenAI-style error body instead. */
  status?: number;
  errorBody?: unknown;
  /** Extra response headers (e.g. retry-after, x-ratelimit-*); they override the simulator's own. */
  headers?: Record<string, string>;
  /**
   * disconnect-mid-stream: close the connection after about half the content, mid chunked body.
   * hang: never answer. hang-mid-stream: stop sending after about half the content, keep the socket open.
   */
  fault?: 'disconnect-mid-stream' | 'hang' | 'hang-mid-stream';
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary request fields
  body: any;
  receivedAt: number;
}

export interface Simulator {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  /** The key it accepts; any other gets 401. */
  apiKey: string;
  /** Every request received, in order (chat completions, /models, rejected ones). */
  requests: RecordedRequest[];
  /** Chat requests refused with 429 by the quota (`options.quota`). */
  quotaRejections: number;
  /** FIFO of replies for chat completions; when empty, `respond` or the default reply is used. */
  enqueue(...replies: SimulatedReply[]): void;
  respond?: (request: RecordedRequest) => SimulatedReply | undefined;
  /** Served by GET /v1/models; a chat request for another model gets 404 model_not_found. */
  models: string[];
  /** Stops the server and ends every open (including hanging) response. */
  close(): Promise<void>;
}

export interface SimulatorOptions {
  apiKey?: string;
  models?: string[];
  defaultReply?: SimulatedReply;
  /** Default 2000. */
  tokensPerSecond?: number;
  /** Default 10. */
  firstTokenDelayMs?: number;
  /** Send Cerebras' x-ratelimit-* headers (requests per day, tokens per minute) on every response. Default false. */
  rateLimitHeaders?: boolean;
  /** Default 0: a random free port. */
  port?: number;
  /**
   * Enforce a Cerebras-style quota: each chat request reserves prompt + max_completion_tokens (or `defaultReserve`
   * when it sends none) from tokens per window, and one request from requests per window; a request that does not
   * fit gets 429. Every response (models too) carries x-ratelimit-{limit,remaining,reset}-{requests,tokens}-minute.
   * `windowMs` (default 60000) shortens "a minute" for tests.
   */
  quota?: { tokensPerMinute: number; requestsPerMinute: number; windowMs?: number; defaultReserve?: number };
}

export const SIMULATOR_DEFAULT_MODELS = ['gpt-oss-120b', 'llama-3.3-70b', 'qwen-3-32b'];

const CHARS_PER_TOKEN = 4;
const DAY_REQUEST_LIMIT = 14_400;
const MINUTE_TOKEN_LIMIT = 60_000;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const queue: SimulatedReply[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let completionCount = 0;
  let requestsToday = 0;
  let tokensThisMinute = 0;
  const minuteStartedAt = Date.now();
  const quota = options.quota;
  const quotaWindowMs = quota?.windowMs ?? 60_000;
  let quotaWindowStart = Date.now();
  let quotaTokensUsed = 0;
  let quotaRequestsUsed = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const simulator: Simulator = {
    baseUrl: '',
    apiKey: options.apiKey ?? 'sim-test-key-0123456789abcdef',
    requests: [],
    quotaRejections: 0,
    models: [...(options.models ?? SIMULATOR_DEFAULT_MODELS)],
    enqueue: (...replies) => void queue.push(...replies),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function rateLimitHeaders(): Record<string, string> {
    if (!options.rateLimitHeaders) return {};
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const minuteElapsed = ((Date.now() - minuteStartedAt) / 1000) % 60;
    return {
      'x-ratelimit-limit-requests-day': String(DAY_REQUEST_LIMIT),
      'x-ratelimit-remaining-requests-day': String(Math.max(0, DAY_REQUEST_LIMIT - requestsToday)),
      'x-ratelimit-reset-requests-day': ((midnight - now.getTime()) / 1000).toFixed(3),
      'x-ratelimit-limit-tokens-minute': String(MINUTE_TOKEN_LIMIT),
      'x-ratelimit-remaining-tokens-minute': String(Math.max(0, MINUTE_TOKEN_LIMIT - tokensThisMinute)),
      'x-ratelimit-reset-tokens-minute': (60 - minuteElapsed).toFixed(3),
    };
  }

  function rollQuotaWindow(): number {
    const now = Date.now();
    if (now - quotaWindowStart >= quotaWindowMs) {
      quotaWindowStart += Math.floor((now - quotaWindowStart) / quotaWindowMs) * quotaWindowMs;
      quotaTokensUsed = 0;
      quotaRequestsUsed = 0;
    }
    return (quotaWindowStart + quotaWindowMs - now) / 1000;
  }

  function quotaHeaders(): Record<string, string> {
    if (!quota) return {};
    const reset = rollQuotaWindow().toFixed(3);
    return {
      'x-ratelimit-limit-requests-minute': String(quota.requestsPerMinute),
      'x-ratelimit-remaining-requests-minute': String(
        Math.max(0, quota.requestsPerMinute - quotaRequestsUsed),
      ),
      'x-ratelimit-reset-requests-minute': reset,
      'x-ratelimit-limit-tokens-minute': String(quota.tokensPerMinute),
      'x-ratelimit-remaining-tokens-minute': String(Math.max(0, quota.tokensPerMinute - quotaTokensUsed)),
      'x-ratelimit-reset-tokens-minute': reset,
    };
  }

  /** Reserves the request's quota, or says which bucket is short. */
  function reserveQuota(body: Record<string, unknown>): 'requests' | 'tokens' | undefined {
    if (!quota) return undefined;
    rollQuotaWindow();
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const reserve =
      Math.ceil(promptChars(body.messages) / CHARS_PER_TOKEN) +
      (typeof maxTokens === 'number' ? maxTokens : (quota.defaultReserve ?? 65_536));
    if (quotaRequestsUsed + 1 > quota.requestsPerMinute) return 'requests';
    if (quotaTokensUsed + reserve > quota.tokensPerMinute) return 'tokens';
    quotaRequestsUsed += 1;
    quotaTokensUsed += reserve;
    return undefined;
  }

  function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function sendError(
    res: ServerResponse,
    status: number,
    error: { message: string; type: string; code: string | null; param?: string | null },
    headers: Record<string, string> = {},
  ) {
    sendJson(res, status, { error: { param: null, ...error } }, headers);
  }

  async function handleChat(req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) {
    const body = recorded.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') {
      sendError(res, 400, {
        message: 'Request body must be JSON.',
        type: 'invalid_request_error',
        code: null,
      });
      return;
    }
    const requestedModel = typeof body.model === 'string' ? body.model : '';
    if (simulator.models.length > 0 && !simulator.models.includes(requestedModel)) {
      sendError(res, 404, {
        message: `Model ${requestedModel} does not exist or you do not have access to it.`,
        type: 'not_found_error',
        param: 'model',
        code: 'model_not_found',
      });
      return;
    }
    const short = reserveQuota(body);
    if (short) {
      simulator.quotaRejections += 1;
      sendError(
        res,
        429,
        {
          message:
            short === 'tokens'
              ? 'Tokens per minute limit exceeded - too many tokens processed.'
              : 'Requests per minute limit exceeded - too many requests sent.',
          type: 'too_many_requests_error',
          code: short === 'tokens' ? 'token_quota_exceeded' : 'request_quota_exceeded',
        },
        quotaHeaders(),
      );
      return;
    }
    const reply = queue.shift() ?? simulator.respond?.(recorded) ?? options.defaultReply ?? {};
    requestsToday += 1;
    const headers = { ...rateLimitHeaders(), ...quotaHeaders(), ...reply.headers };

    if (reply.status !== undefined) {
      const body = reply.errorBody ?? defaultErrorBody(reply.status);
      sendJson(res, reply.status, body, headers);
      return;
    }
    if (reply.fault === 'hang') return; // closed by close()
    if (reply.sse !== undefined) return replaySse(res, reply.sse, reply.sseSplitEvery, headers);

    const id = `chatcmpl-sim-${++completionCount}`;
    const created = Math.floor(Date.now() / 1000);
    const model = reply.model ?? requestedModel;
    const reasoningTokens = splitTokens(reply.reasoning ?? '');
    const contentTokens = splitTokens(reply.content ?? '');
    const promptTokens = Math.ceil(promptChars(body.messages) / CHARS_PER_TOKEN);
    const completionTokens = reasoningTokens.length + contentTokens.length;
    tokensThisMinute += promptTokens + completionTokens;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      ...(reply.reportReasoningTokens
        ? { completion_tokens_details: { reasoning_tokens: reasoningTokens.length } }
        : {}),
    };
    const finishReason = reply.finishReason === undefined ? 'stop' : reply.finishReason;
    const tokensPerSecond = reply.tokensPerSecond ?? options.tokensPerSecond ?? 2000;
    const firstTokenDelayMs = reply.firstTokenDelayMs ?? options.firstTokenDelayMs ?? 10;

    if (body.stream !== true) {
      await sleep(firstTokenDelayMs + (completionTokens / tokensPerSecond) * 1000);
      if (closed || res.destroyed) return;
      if (reply.fault === 'disconnect-mid-stream') return void req.socket.destroy();
      if (reply.fault === 'hang-mid-stream') return;
      const message: Record<string, unknown> = { role: 'assistant', content: reply.content ?? '' };
      if (reply.reasoning) message[reply.reasoningField ?? 'reasoning'] = reply.reasoning;
      sendJson(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
          usage,
        },
        headers,
      );
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    res.flushHeaders();

    const chunk = (
      delta: Record<string, unknown>,
      finish: string | null = null,
      extra: Record<string, unknown> = {},
    ) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_simulator',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...extra,
      })}\n\n`;
    const reasoningField = reply.reasoningField ?? 'reasoning';
    const events = [
      chunk({ role: 'assistant', content: '' }),
      ...reasoningTokens.map((token) => chunk({ [reasoningField]: token })),
      ...contentTokens.map((token) => chunk({ content: token })),
    ];
    // Index in `events` at which a mid-stream fault strikes: after about half the content has gone out.
    const contentHalf =
      contentTokens.length > 1 ? Math.floor(contentTokens.length / 2) : contentTokens.length;
    const faultAt =
      reply.fault === 'disconnect-mid-stream' || reply.fault === 'hang-mid-stream' || reply.midStreamError
        ? 1 + reasoningTokens.length + contentHalf
        : Number.POSITIVE_INFINITY;

    await sleep(firstTokenDelayMs);
    const startedAt = Date.now();
    let sent = 0;
    while (sent < events.length) {
      if (closed || res.destroyed) return;
      const due = Math.min(
        events.length,
        1 + Math.floor(((Date.now() - startedAt) / 1000) * tokensPerSecond),
      );
      const until = Math.min(due, faultAt);
      if (until > sent) {
        res.write(events.slice(sent, until).join(''));
        sent = until;
      }
      if (sent >= faultAt && reply.midStreamError) {
        const { error, finishReasonBefore } = reply.midStreamError;
        if (finishReasonBefore) res.write(chunk({}, finishReasonBefore));
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, error })}\n\n`,
        );
        res.end();
        return;
      }
      if (sent >= faultAt) {
        // end(), not destroy(): a reset can discard bytes the client has not read yet (this process shares one
        // event loop with the client under test), so "the files that completed before the break" would vanish.
        // A FIN after the data still cuts the chunked body short, which is what a dropped connection looks like.
        if (reply.fault === 'disconnect-mid-stream') req.socket.end();
        return; // hang-mid-stream: leave the response open until close()
      }
      if (sent < events.length) await sleep(Math.max(1, 1000 / tokensPerSecond));
    }
    if (closed || res.destroyed) return;
    const usageWhere = reply.usage ?? 'standard';
    const tail = usageWhere === 'standard' ? { usage } : usageWhere === 'x_groq' ? { x_groq: { usage } } : {};
    res.write(chunk({}, finishReason, tail));
    res.end('data: [DONE]\n\n');
  }

  async function replaySse(
    res: ServerResponse,
    body: string,
    splitEvery: number | undefined,
    headers: Record<string, string>,
  ) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...headers });
    res.flushHeaders();
    const size = splitEvery ?? body.length;
    for (let at = 0; at < body.length; at += size) {
      if (closed || res.destroyed) return;
      res.write(body.slice(at, at + size));
      // A turn of the event loop between pieces, so they leave as separate writes.
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: { ...req.headers },
      body: parseBody(raw),
      receivedAt: Date.now(),
    };
    simulator.requests.push(recorded);

    const authorization = req.headers.authorization ?? '';
    const presented = authorization.replace(/^Bearer\s+/i, '');
    if (presented !== simulator.apiKey) {
      // Echo the presented key the way some providers do, so tests prove callers redact it.
      sendError(res, 401, {
        message: presented ? `Wrong API Key provided: ${presented}` : 'No API key provided.',
        type: 'invalid_request_error',
        code: 'wrong_api_key',
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      const created = Math.floor(Date.now() / 1000);
      sendJson(
        res,
        200,
        {
          object: 'list',
          data: simulator.models.map((id) => ({ id, object: 'model', created, owned_by: 'simulator' })),
        },
        { ...rateLimitHeaders(), ...quotaHeaders() },
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
      await handleChat(req, res, recorded);
      return;
    }
    sendError(res, 404, {
      message: `No route for ${req.method} ${url.pathname}.`,
      type: 'not_found_error',
      code: null,
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, 500, { message: String(error), type: 'server_error', code: null });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  simulator.baseUrl = `http://127.0.0.1:${port}/v1`;
  return simulator;
}

function splitTokens(text: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < text.length; i += CHARS_PER_TOKEN) tokens.push(text.slice(i, i + CHARS_PER_TOKEN));
  return tokens;
}

function promptChars(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let chars = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content))
      for (const part of content) chars += String((part as { text?: unknown } | null)?.text ?? '').length;
  }
  return chars;
}

function defaultErrorBody(status: number): unknown {
  const known: Record<number, [string, string, string]> = {
    400: ['Bad request.', 'invalid_request_error', 'bad_request'],
    401: ['Wrong API Key.', 'invalid_request_error', 'wrong_api_key'],
    403: ['Permission denied.', 'permission_error', 'permission_denied'],
    404: ['Not found.', 'not_found_error', 'not_found'],
    408: ['Request timed out.', 'timeout_error', 'request_timeout'],
    409: ['Conflict.', 'conflict_error', 'conflict'],
    422: ['Unprocessable entity.', 'invalid_request_error', 'unprocessable_entity'],
    429: [
      'Tokens per minute limit exceeded - too many tokens processed.',
      'too_many_requests_error',
      'token_quota_exceeded',
    ],
  };
  const [message, type, code] =
    known[status] ??
    (status >= 500
      ? ['The server had an error while processing your request.', 'server_error', 'internal_server_error']
      : [`Simulated error ${status}.`, 'invalid_request_error', 'simulated_error']);
  return { error: { message, type, param: null, code } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
