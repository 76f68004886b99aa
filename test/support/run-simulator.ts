/**
 * Runs the OpenAI-compatible simulator by hand: `node --import tsx test/support/run-simulator.ts`.
 * Settings: SIMULATOR_PORT (default random), SIMULATOR_API_KEY, SIMULATOR_CONTENT (the default reply),
 * SIMULATOR_TOKENS_PER_SECOND. Prints the base URL and key to stderr; Ctrl-C stops it.
 */
import { startSimulator } from './openai-simulator.js';

const env = process.env;
const simulator = await startSimulator({
  port: env.SIMULATOR_PORT ? Number(env.SIMULATOR_PORT) : 0,
  ...(env.SIMULATOR_API_KEY ? { apiKey: env.SIMULATOR_API_KEY } : {}),
  ...(env.SIMULATOR_TOKENS_PER_SECOND ? { tokensPerSecond: Number(env.SIMULATOR_TOKENS_PER_SECOND) } : {}),
  defaultReply: {
    content:
      env.SIMULATOR_CONTENT ?? '<file path="hello.txt">\nHello from the speed-run simulator.\n</file>\n',
  },
  rateLimitHeaders: true,
});
process.stderr.write(
  `speed-run simulator listening\n` +
    `  SPEED_RUN_BASE_URL=${simulator.baseUrl}\n` +
    `  SPEED_RUN_API_KEY=${simulator.apiKey}\n` +
    `  SPEED_RUN_MODEL=${simulator.models[0]}\n` +
    `  models: ${simulator.models.join(', ')}\n`,
);
const stop = () => void simulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
