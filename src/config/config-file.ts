import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { SpeedRunError } from '../errors.js';

export const CONFIG_FILE_NAME = 'speed-run.config.json';

const positive = z.number().positive();
const count = z.number().int().min(1);

const providerEntrySchema = z.strictObject({
  baseUrl: z.string().min(1).describe('OpenAI-compatible base URL, e.g. https://api.groq.com/openai/v1'),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional()
    .describe('The environment variable holding the key. Literal keys are not accepted in config files.'),
  model: z.string().min(1).optional(),
});

const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  provider: z
    .string()
    .min(1)
    .optional()
    .describe('The provider to use: "cerebras" or a name under "providers".'),
  providers: z.record(z.string(), providerEntrySchema).optional(),
  timeoutSeconds: positive.optional(),
  idleTimeoutSeconds: positive.optional(),
  maxRetries: z.number().int().min(0).optional(),
  maxInFlight: count.optional(),
  maxOutputTokens: count.optional(),
  maxFiles: count.optional(),
  maxFileBytes: count.optional(),
  maxTotalBytes: count.optional(),
  allowedDirs: z
    .array(z.string().min(1))
    .optional()
    .describe('Resolved against the config file’s directory.'),
});

export type ConfigFileProvider = z.infer<typeof providerEntrySchema>;
export type ConfigFileSettings = z.infer<typeof configFileSchema>;

export interface LoadedConfigFile {
  path: string;
  settings: ConfigFileSettings;
}

/**
 * Reads the config file named by `explicitPath` (must exist), else `./speed-run.config.json` when present.
 * Returns undefined when there is none.
 */
export function loadConfigFile(cwd: string, explicitPath: string | undefined): LoadedConfigFile | undefined {
  const path = explicitPath === undefined ? resolve(cwd, CONFIG_FILE_NAME) : resolve(cwd, explicitPath);
  if (!existsSync(path)) {
    if (explicitPath === undefined) return undefined;
    throw new SpeedRunError('config', `Config file ${path} does not exist.`, {
      field: 'SPEED_RUN_CONFIG',
      hint: 'Point SPEED_RUN_CONFIG at an existing speed-run.config.json, or unset it.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SpeedRunError('config', `Config file ${path} is not valid JSON: ${(error as Error).message}`, {
      field: path,
      hint: 'Fix the JSON syntax (see docs/configuration.md for the format).',
    });
  }
  rejectLiteralKeys(path, json);
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new SpeedRunError('config', `Config file ${path} is invalid: ${problems.join('; ')}.`, {
      field: path,
      hint: 'See docs/configuration.md for the config file format.',
    });
  }
  return { path, settings: parsed.data };
}

/** Directories from the file, absolute. */
export function configFileDirs(file: LoadedConfigFile): string[] | undefined {
  return file.settings.allowedDirs?.map((dir) => resolve(dirname(file.path), dir));
}

// Config files get committed and shared, so a key must come from the environment.
function rejectLiteralKeys(path: string, json: unknown) {
  const providers = (json as { providers?: unknown } | null)?.providers;
  const top = json !== null && typeof json === 'object' && 'apiKey' in json;
  const named =
    providers !== null && typeof providers === 'object'
      ? Object.entries(providers as Record<string, unknown>).find(
          ([, entry]) => entry !== null && typeof entry === 'object' && 'apiKey' in entry,
        )?.[0]
      : undefined;
  if (!top && named === undefined) return;
  throw new SpeedRunError(
    'config',
    `Config file ${path} contains a literal API key${named === undefined ? '' : ` (providers.${named}.apiKey)`}.`,
    {
      field: path,
      hint: 'Remove it, and name the variable that holds the key instead: "apiKeyEnv": "MY_PROVIDER_API_KEY".',
    },
  );
}
