// A simulator that answers each race runner by what its prompt asks for, and the config that points at it.
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { SpeedRunConfig } from '../../src/config/config-types.js';
import { RequestLimiter } from '../../src/provider/request-limiter.js';
import type { RaceContext } from '../../src/race/race-context.js';
import {
  startSimulator,
  type RecordedRequest,
  type SimulatedReply,
  type Simulator,
} from '../support/openai-simulator.js';

export const CONTRACT =
  'Write src/sum.mjs exporting sum(a, b) that returns a + b, and test/sum.test.mjs testing it with node:test.';

export const TEST_COMMAND = 'node --test test/sum.test.mjs';

const TEST_FILE = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { sum } from '../src/sum.mjs';",
  "test('adds', () => assert.equal(sum(2, 3), 5));",
  "test('adds negatives', () => assert.equal(sum(-2, -3), -5));",
  "test('adds zero', () => assert.equal(sum(0, 7), 7));",
  '',
].join('\n');

/** A reply implementing the contract; `broken` makes sum subtract, so all three tests fail. */
export function sumReply(options: { broken?: boolean; comment?: string } = {}): string {
  const body = options.broken ? 'return a - b;' : 'return a + b;';
  return [
    'Here are the files.',
    '<file path="src/sum.mjs">',
    `// ${options.comment ?? 'sum'}`,
    `export function sum(a, b) {\n  ${body}\n}`,
    '</file>',
    '<file path="test/sum.test.mjs">',
    TEST_FILE,
    '</file>',
    '',
  ].join('\n');
}

/** The user message of a chat request, where the runner's prompt is. */
export function promptOf(request: RecordedRequest): string {
  const messages = (request.body?.messages ?? []) as { role: string; content: string }[];
  return messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
}

export type Responder = (prompt: string, request: RecordedRequest) => SimulatedReply | undefined;

/** runner-2 of a briefs race (the "defensive" brief) gets a broken implementation unless `allGood`. */
export const defaultResponder: Responder = (prompt) => {
  if (prompt.includes('Be defensive and robust'))
    return { content: sumReply({ broken: true, comment: 'defensive' }) };
  const approach = /## Approach for this implementation: ([a-z0-9-]+)/.exec(prompt)?.[1];
  return { content: sumReply({ comment: approach ?? 'plain' }) };
};

export async function raceSimulator(
  respond: Responder = defaultResponder,
  tokensPerSecond = 20_000,
): Promise<Simulator> {
  const simulator = await startSimulator({ tokensPerSecond, firstTokenDelayMs: 5 });
  simulator.respond = (request) => respond(promptOf(request), request);
  return simulator;
}

export function simulatorEnv(simulator: Simulator, root: string): Record<string, string> {
  return {
    SPEED_RUN_BASE_URL: simulator.baseUrl,
    SPEED_RUN_API_KEY: simulator.apiKey,
    SPEED_RUN_MODEL: 'gpt-oss-120b',
    SPEED_RUN_ALLOWED_DIRS: root,
    SPEED_RUN_MAX_RETRIES: '6',
  };
}

export function raceConfig(simulator: Simulator, root: string): SpeedRunConfig {
  return resolveConfig({ env: simulatorEnv(simulator, root), cwd: root });
}

/** The race use cases' context for a test: the config, its own test slots, and whatever else is given. */
export function raceContext(config: SpeedRunConfig, extra: Partial<RaceContext> = {}): RaceContext {
  return { config, testSlots: new RequestLimiter(), ...extra };
}
