import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mergeModelAliases, modelForCall, resolveModelAlias } from '../../src/config/model-aliases.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { SpeedRunError } from '../../src/errors.js';

const parent = mkdtempSync(join(tmpdir(), 'speed-run-aliases-'));
after(() => rmSync(parent, { recursive: true, force: true }));
let made = 0;
function dir(): string {
  const path = join(parent, `d${++made}`);
  mkdirSync(path);
  return path;
}

/** A project directory with this speed-run.config.json (none when undefined). */
function project(json?: unknown): string {
  const cwd = dir();
  if (json !== undefined) writeFileSync(join(cwd, 'speed-run.config.json'), JSON.stringify(json));
  return cwd;
}

/** An $XDG_CONFIG_HOME holding speed-run/config.json (empty when undefined). */
function userHome(json?: unknown): string {
  const home = dir();
  if (json === undefined) return home;
  mkdirSync(join(home, 'speed-run'));
  writeFileSync(join(home, 'speed-run', 'config.json'), JSON.stringify(json));
  return home;
}

const KEY = { SPEED_RUN_API_KEY: 'csk-alias-test-0123456789' };

function configError(run: () => unknown): SpeedRunError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SpeedRunError, String(error));
    assert.equal(error.kind, 'config');
    return error;
  }
  assert.fail('expected a config error');
}

test('resolveModelAlias: an alias gives its target, any other name is itself', () => {
  const aliases = { fast: 'gpt-oss-120b' };
  assert.equal(resolveModelAlias('fast', aliases), 'gpt-oss-120b');
  assert.equal(resolveModelAlias('gpt-oss-120b', aliases), 'gpt-oss-120b');
  assert.equal(resolveModelAlias('fast', undefined), 'fast');
  assert.equal(resolveModelAlias('toString', aliases), 'toString', 'only the map’s own keys are aliases');
  const config = { provider: { model: 'llama-3.3-70b' }, modelAliases: aliases };
  assert.equal(modelForCall(config, undefined), 'llama-3.3-70b');
  assert.equal(modelForCall(config, 'fast'), 'gpt-oss-120b');
});

test('a project file alias resolves SPEED_RUN_MODEL, the config model and an explicit --model', () => {
  const cwd = project({ modelAliases: { fast: 'gpt-oss-120b', big: 'qwen-3-235b' }, model: 'big' });
  const env = { ...KEY, XDG_CONFIG_HOME: userHome() };
  const fromFile = resolveConfig({ env, cwd });
  assert.equal(fromFile.provider.model, 'qwen-3-235b');
  assert.deepEqual(fromFile.modelAliases, { fast: 'gpt-oss-120b', big: 'qwen-3-235b' });
  assert.equal(
    resolveConfig({ env: { ...env, SPEED_RUN_MODEL: 'fast' }, cwd }).provider.model,
    'gpt-oss-120b',
  );
  assert.equal(resolveConfig({ env, cwd, overrides: { model: 'fast' } }).provider.model, 'gpt-oss-120b');
  assert.equal(
    resolveConfig({ env: { ...env, SPEED_RUN_MODEL: 'llama-3.3-70b' }, cwd }).provider.model,
    'llama-3.3-70b',
    'a name that is no alias is used as it is',
  );
  assert.equal(
    resolveConfig({ env, cwd: project() }).modelAliases,
    undefined,
    'none configured: none listed',
  );
});

test('user and project aliases merge, the project file winning a name; fallback models resolve too', () => {
  const home = userHome({
    modelAliases: { fast: 'llama-3.3-70b', local: 'qwen2.5-coder:14b' },
    providers: { ollama: { baseUrl: 'http://127.0.0.1:11434/v1', apiKeyEnv: 'OLLAMA_KEY', model: 'local' } },
    fallback: ['ollama'],
  });
  const cwd = project({ modelAliases: { fast: 'gpt-oss-120b' }, model: 'fast' });
  const config = resolveConfig({ env: { ...KEY, XDG_CONFIG_HOME: home, OLLAMA_KEY: 'ollama' }, cwd });
  assert.equal(config.provider.model, 'gpt-oss-120b');
  assert.deepEqual(config.modelAliases, { fast: 'gpt-oss-120b', local: 'qwen2.5-coder:14b' });
  assert.equal(config.fallbackProviders?.[0]?.model, 'qwen2.5-coder:14b');
});

test('an alias to another alias, or to nothing, is a config error naming the file and the key', () => {
  const env = { ...KEY, XDG_CONFIG_HOME: userHome() };
  const chained = project({ modelAliases: { fast: 'quick', quick: 'gpt-oss-120b' } });
  const chain = configError(() => resolveConfig({ env, cwd: chained }));
  assert.ok(chain.message.includes(join(chained, 'speed-run.config.json')), chain.message);
  assert.match(chain.message, /modelAliases\.fast maps to "quick", which is itself an alias/);
  assert.equal(chain.field, 'modelAliases.fast');
  assert.match(chain.hint ?? '', /"gpt-oss-120b"/);

  const looped = project({ modelAliases: { fast: 'fast' } });
  assert.match(
    configError(() => resolveConfig({ env, cwd: looped })).message,
    /modelAliases\.fast maps to "fast"/,
  );

  const empty = project({ modelAliases: { fast: '  ' } });
  const blank = configError(() => resolveConfig({ env, cwd: empty }));
  assert.match(blank.message, /modelAliases\.fast is empty/);
  assert.ok(blank.message.includes(join(empty, 'speed-run.config.json')));

  const notText = project({ modelAliases: { fast: 7 } });
  assert.match(configError(() => resolveConfig({ env, cwd: notText })).message, /modelAliases\.fast/);
});

test('a chain across the two files names both', () => {
  const home = userHome({ modelAliases: { fast: 'quick' } });
  const cwd = project({ modelAliases: { quick: 'gpt-oss-120b' } });
  const error = configError(() => resolveConfig({ env: { ...KEY, XDG_CONFIG_HOME: home }, cwd }));
  assert.ok(
    error.message.startsWith(`${join(home, 'speed-run', 'config.json')}: modelAliases.fast`),
    error.message,
  );
  assert.ok(error.message.includes(`(in ${join(cwd, 'speed-run.config.json')})`), error.message);
});

test('mergeModelAliases keeps later sources over earlier ones', () => {
  assert.deepEqual(
    mergeModelAliases([
      { path: 'user', aliases: { a: 'm1', b: 'm2' } },
      { path: 'project', aliases: { a: 'm3' } },
      { path: 'none', aliases: undefined },
    ]),
    { a: 'm3', b: 'm2' },
  );
});
