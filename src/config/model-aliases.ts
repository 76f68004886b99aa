import { SpeedRunError } from '../errors.js';

/**
 * Short names for model ids (`"modelAliases": {"fast": "gpt-oss-120b"}` in a config file). An alias only swaps
 * one model name for another on the provider the user configured, so a project file may set it too: it cannot
 * change where requests or keys go.
 */
export type ModelAliases = Readonly<Record<string, string>>;

/** One config file's aliases, and the file they came from (for messages). */
export interface AliasSource {
  path: string;
  aliases: Readonly<Record<string, string>> | undefined;
}

/** The real model id `name` stands for: its alias target, or the name itself. */
export function resolveModelAlias(name: string, aliases: ModelAliases | undefined): string {
  return aliases !== undefined && Object.hasOwn(aliases, name) ? aliases[name]! : name;
}

/** The model a call uses: the one it asked for (an alias resolved), else the configured one. */
export function modelForCall(
  config: { provider: { model: string }; modelAliases?: ModelAliases },
  requested: string | undefined,
): string {
  return requested === undefined ? config.provider.model : resolveModelAlias(requested, config.modelAliases);
}

/**
 * Every file's aliases in one map, later sources overriding earlier ones (pass the user file, then the project
 * file). An empty target, or a target that is itself an alias (a chain, or a loop), is a `config` error naming
 * the file and the key: one lookup always ends at a real model id.
 */
export function mergeModelAliases(sources: AliasSource[]): ModelAliases {
  const merged: Record<string, string> = {};
  const from = new Map<string, string>();
  for (const source of sources) {
    for (const [alias, target] of Object.entries(source.aliases ?? {})) {
      merged[alias] = target;
      from.set(alias, source.path);
    }
  }
  for (const [alias, target] of Object.entries(merged)) {
    const path = from.get(alias)!;
    if (target.trim() === '') {
      throw aliasError(path, alias, 'is empty', 'Give it the model id it stands for, or remove it.');
    }
    if (Object.hasOwn(merged, target)) {
      const where = from.get(target) === path ? '' : ` (in ${from.get(target)})`;
      throw aliasError(
        path,
        alias,
        `maps to "${target}", which is itself an alias${where}`,
        `Point it at a real model id${target === alias ? '' : ` (e.g. "${merged[target]}")`}: an alias never names another alias.`,
      );
    }
  }
  return merged;
}

function aliasError(path: string, alias: string, problem: string, hint: string): SpeedRunError {
  return new SpeedRunError('config', `${path}: modelAliases.${alias} ${problem}.`, {
    field: `modelAliases.${alias}`,
    hint,
  });
}
