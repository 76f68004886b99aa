/** Library entry: the pipeline a presenter (CLI, MCP server, race engine) builds on. */
export { SpeedRunError, isSpeedRunError, type SpeedRunErrorKind } from './errors.js';
export { resolveConfig, type ResolveConfigInput } from './config/resolve-config.js';
export type { ConfigOverrides, ProviderConfig, SpeedRunConfig, WriteLimits } from './config/config-types.js';
export { requireApiKey } from './config/require-api-key.js';
export { setupHint } from './config/setup-hint.js';
export { redactSecrets } from './config/redact.js';
export { checkStatus, type StatusReport } from './provider/check-status.js';
export {
  streamCompletion,
  type CompletionRequest,
  type CompletionResult,
} from './provider/stream-completion.js';
export {
  FileStreamExtractor,
  extractFiles,
  type ExtractedFile,
  type UnclosedFile,
} from './extract/file-stream-extractor.js';
export { buildPrompt, DEFAULT_SYSTEM_PROMPT, OUTPUT_FORMAT_INSTRUCTIONS } from './codegen/build-prompt.js';
export {
  generateFiles,
  type GenerateFilesHooks,
  type GenerateFilesRequest,
  type GenerateFilesResult,
  type GeneratedFile,
} from './codegen/generate-files.js';
export { generationReport, type GenerationReport } from './codegen/generation-report.js';
export { DEFAULT_GENERATE_MAX_TOKENS } from './codegen/token-budgets.js';
export { createServer, SERVER_NAME, type CreateServerOptions } from './mcp/server.js';
