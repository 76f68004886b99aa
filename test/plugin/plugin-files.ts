/** Paths and readers shared by the plugin tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PLUGIN_DIR = join(REPO_ROOT, 'plugin');
export const BUNDLE_ENTRY = 'dist/speed-run.mjs';

/** How Claude Code names a tool of the plugin's MCP server. */
export const TOOL_PREFIX = 'mcp__plugin_speed-run_hosted-llm-codegen__';

export const SKILL_NAMES = ['any-percent', 'judge', 'race', 'speed-run', 'turbo'];

export interface Skill {
  dir: string;
  frontmatter: Record<string, string>;
  body: string;
}

/** Every `plugin/skills/<dir>/SKILL.md`, with its flat `key: value` frontmatter. */
export function readSkills(): Skill[] {
  const skillsDir = join(PLUGIN_DIR, 'skills');
  return readdirSync(skillsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const text = readFileSync(join(skillsDir, entry.name, 'SKILL.md'), 'utf8');
      const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`plugin/skills/${entry.name}/SKILL.md has no frontmatter`);
      const frontmatter: Record<string, string> = {};
      for (const line of (match[1] ?? '').split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) frontmatter[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
      return { dir: entry.name, frontmatter, body: match[2] ?? '' };
    });
}

/** The tool names a text refers to by their full Claude Code name. */
export function toolsNamedIn(text: string): string[] {
  const pattern = new RegExp(`${TOOL_PREFIX}([a-z0-9_]+)`, 'g');
  return [...text.matchAll(pattern)].map((match) => match[1] ?? '');
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
