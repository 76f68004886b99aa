import type { SpeedRunConfig } from '../config/config-types.js';
import type { ProviderScheduler } from '../provider/provider-scheduler.js';
import type { RequestLimiter } from '../provider/request-limiter.js';
import type { CommandSeal } from '../race/record/command-seal.js';
import type { Ledger } from '../ledger/ledger-file.js';

/** What every tool module receives from `createServer`. */
export interface ToolDeps {
  /**
   * The server's settings. Throws the held `config` SpeedRunError when the server started with a configuration
   * problem: every tool then answers with that one error (the shared wrapper in server.ts turns it into a tool
   * error), and `check_status` reports it as its status.
   */
  readonly config: SpeedRunConfig;
  /** Replaces global fetch for provider calls (tests, benchmarks). */
  fetch?: typeof fetch;
  /** The one provider scheduler of this server: every tool's provider calls are paced together. */
  scheduler: ProviderScheduler;
  /** Directories the MCP client declared as roots; [] when none or unsupported. */
  clientRoots(): Promise<string[]>;
  /** One line to the server log (stderr). */
  log(line: string): void;
  /** Bounds race setup/test commands across every call this server serves. */
  testSlots: RequestLimiter;
  /** The savings ledger each generation is recorded in; none in most tests. */
  ledger?: Ledger;
  /** Seals the commands race records keep; default: this process's key. */
  seal?: CommandSeal;
}
