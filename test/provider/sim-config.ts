import type { ProviderConfig } from '../../src/config/config-types.js';
import type { Simulator } from '../support/openai-simulator.js';

/** A provider config pointing at the simulator, with small timeouts suited to tests. */
export function simConfig(sim: Simulator, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    provider: 'cerebras',
    baseUrl: sim.baseUrl,
    apiKey: sim.apiKey,
    apiKeyVariable: 'CEREBRAS_API_KEY',
    model: 'gpt-oss-120b',
    timeoutMs: 30_000,
    idleTimeoutMs: 5_000,
    maxRetries: 2,
    maxInFlight: 4,
    maxOutputTokens: 16_384,
    ...overrides,
  };
}
