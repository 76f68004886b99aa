/**
 * Does a file's text contain a well-known secret shape? Pure. A file is refused on its content, not only its name,
 * because a secret can sit under any name (a hard link to .env, a key pasted into notes.md).
 *
 * Each pattern is anchored on a distinctive prefix and a minimum length of random-looking characters, so prose
 * that merely mentions "sk-" or "AKIA" passes, and so do placeholders (`${NPM_TOKEN}`, `user:pass@`-style
 * examples with a template variable).
 */
export function secretContentReason(text: string): string | null {
  for (const { pattern, reason } of SHAPES) {
    const match = pattern.exec(text);
    if (match && !isPlaceholder(match[0])) return `${reason} (line ${lineOf(text, match.index)})`;
  }
  return null;
}

const SHAPES: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/,
    reason: 'it contains a private key block',
  },
  { pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/, reason: 'it contains a GitHub token' },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{40,}\b/, reason: 'it contains a GitHub token' },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/, reason: 'it contains a GitLab token' },
  { pattern: /\bcsk-[A-Za-z0-9]{20,}\b/, reason: 'it contains a Cerebras API key' },
  { pattern: /\bsk-(?:proj-|ant-|or-v1-)?[A-Za-z0-9_-]{20,}\b/, reason: 'it contains an API key (sk-…)' },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, reason: 'it contains an AWS access key id' },
  { pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}\b/, reason: 'it contains a Slack token' },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, reason: 'it contains a Google API key' },
  { pattern: /\bgsk_[A-Za-z0-9]{40,}\b/, reason: 'it contains a Groq API key' },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/, reason: 'it contains an npm token' },
  { pattern: /_authToken\s*=\s*[^\s$]\S{7,}/, reason: 'it contains a registry auth token (_authToken=)' },
  {
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/,
    reason: 'it contains a JSON Web Token',
  },
  {
    pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"`]{1,100}:[^\s:/@'"`]{3,200}@[^\s/'"`]+/i,
    reason: 'it contains a URL with credentials',
  },
];

/** Template placeholders and obvious examples: `${VAR}`, `{{var}}`, `<password>`, `user:password@`, `xxxx`. */
function isPlaceholder(found: string): boolean {
  return (
    /\$\{|\{\{|<[^>]*>|%[sd(]/.test(found) ||
    /:(?:pass(?:word)?|secret|changeme|example|x{3,}|\*{3,})@/i.test(found) ||
    /x{8,}|X{8,}|\.{3}|…/.test(found)
  );
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
