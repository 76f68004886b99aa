import { existsSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SpeedRunError } from '../errors.js';
import { usableValue } from './read-setting.js';
import {
  settingsSchema,
  TRUSTED_SETTING_VARIABLES,
  TRUSTED_SETTINGS,
  type ConfigFileSettings,
} from './settings-schema.js';

export type { ConfigFileProvider, ConfigFileSettings } from './settings-schema.js';

/** The project-level file, read from the working directory: harmless settings only. */
export const CONFIG_FILE_NAME = 'speed-run.config.json';

export interface LoadedConfigFile {
  path: string;
  /** `user`: named by the user (trusted settings allowed); `project`: found in the working directory. */
  scope: 'user' | 'project';
  settings: ConfigFileSettings;
}

export interface ConfigFiles {
  user: LoadedConfigFile | undefined;
  project: LoadedConfigFile | undefined;
}

/**
 * The user-level config file: `explicitPath` (SPEED_RUN_CONFIG or an option, which must exist), else
 * `$XDG_CONFIG_HOME/speed-run/config.json` (default `~/.config/speed-run/config.json`).
 */
export function userConfigPath(
  env: Record<string, string | undefined>,
  cwd: string,
  explicitPath?: string,
): { path: string; explicit: boolean } {
  if (explicitPath !== undefined) return { path: resolve(cwd, explicitPath), explicit: true };
  const home = usableValue(env.HOME) ?? usableValue(env.USERPROFILE) ?? os.homedir();
  const base = usableValue(env.XDG_CONFIG_HOME) ?? join(home, '.config');
  return { path: join(resolve(cwd, base), 'speed-run', 'config.json'), explicit: false };
}

/**
 * Reads both config files. The user-level one may set anything; `./speed-run.config.json` may set harmless
 * settings only, and a trusted setting there is a `config` error that says where it belongs.
 */
export function loadConfigFiles(
  env: Record<string, string | undefined>,
  cwd: string,
  explicitPath: string | undefined,
): ConfigFiles {
  const where = userConfigPath(env, cwd, explicitPath);
  const user = readConfigFile(where.path, 'user', where.explicit);
  const projectPath = resolve(cwd, CONFIG_FILE_NAME);
  // The user may name the project's own file as theirs (SPEED_RUN_CONFIG=./speed-run.config.json).
  const project = user && samePath(user.path, projectPath) ? undefined : readProjectFile(projectPath);
  return { user, project };
}

function readProjectFile(path: string): LoadedConfigFile | undefined {
  const file = readConfigFile(path, 'project', false);
  if (file === undefined) return undefined;
  const trusted = Object.keys(file.settings).filter((key) => TRUSTED_SETTINGS.has(key));
  if (trusted.length > 0) throw trustedInProject(path, trusted);
  return file;
}

function trustedInProject(path: string, keys: string[]): SpeedRunError {
  const names = keys.map((key) => `"${key}"`).join(', ');
  const variables = keys.map((key) => TRUSTED_SETTING_VARIABLES[key] ?? key).join(', ');
  return new SpeedRunError(
    'config',
    `${path} sets ${names}, which only you may set: a file in the project (which anyone, or a model, may have ` +
      'written) cannot decide where your API key is sent, where files may be written, or what runs.',
    {
      field: path,
      hint:
        `Move ${keys.length === 1 ? 'it' : 'them'} to your user config file ~/.config/speed-run/config.json ` +
        `($XDG_CONFIG_HOME/speed-run/config.json, or a file named by SPEED_RUN_CONFIG), or set ${variables} ` +
        'in the environment. The project file may keep model, timeouts, retries and limits (docs/security.md).',
    },
  );
}

function readConfigFile(
  path: string,
  scope: LoadedConfigFile['scope'],
  mustExist: boolean,
): LoadedConfigFile | undefined {
  if (!existsSync(path)) {
    if (!mustExist) return undefined;
    throw new SpeedRunError('config', `Config file ${path} does not exist.`, {
      field: 'SPEED_RUN_CONFIG',
      hint: 'Point SPEED_RUN_CONFIG at an existing config file, or unset it.',
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
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new SpeedRunError('config', `Config file ${path} is invalid: ${problems.join('; ')}.`, {
      field: path,
      hint: 'See docs/configuration.md for the config file format.',
    });
  }
  return { path, scope, settings: parsed.data };
}

/** Directories from the file, absolute. */
export function configFileDirs(file: LoadedConfigFile): string[] | undefined {
  return file.settings.allowedDirs?.map((dir) => resolve(dirname(file.path), dir));
}

function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
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
