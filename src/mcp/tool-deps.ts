import type { SpeedRunConfig } from '../config/config-types.js';
import type { RequestLimiter } from '../provider/request-limiter.js';
import type { Ledger } from '../ledger/ledger-file.js';

/** What every tool module receives from `createServer`. */
export interface ToolDeps {
  config: SpeedRunConfig;
  /** Replaces global fetch for provider calls (tests, benchmarks). */
  fetch?: typeof fetch;
  /** Directories the MCP client declared as roots; [] when none or unsupported. */
  clientRoots(): Promise<string[]>;
  /** One line to the server log (stderr). */
  log(line: string): void;
  /** Bounds race setup/test commands across every call this server serves. */
  testSlots: RequestLimiter;
  /** The savings ledger each generation is recorded in; none in most tests. */
  ledger?: Ledger;
}
