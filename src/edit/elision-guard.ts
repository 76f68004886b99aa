/**
 * Spots a whole-file overwrite that leaves parts out (pure): much shorter than the file it replaces and holding a
 * placeholder line where code was elided (`// ... existing code ...`, `# rest unchanged`, `/* … *\/` or `...`
 * alone). Writing it would silently delete the elided code, so such a file is refused unless the caller allows it.
 */

/** The new content must have fewer than this share of the original's lines to count as "much shorter". */
const SHORTER_RATIO = 0.7;
/** ... and at least this many lines fewer. */
const MIN_LINES_LOST = 5;

const COMMENT = String.raw`(?:\/\/+|#+|--|;+|\/\*+|\*|<!--|\{\/\*|%)`;
const ELLIPSIS = String.raw`(?:\.{3,}|…)`;
const ELIDED_WORDS = String.raw`(?:existing|unchanged|rest of|remaining|remains|same as (?:before|above)|as before|omitted|elided|previous (?:code|content|implementation)|other (?:code|methods|functions|imports|tests)|keep (?:the )?(?:rest|existing))`;
const PLACEHOLDERS = [
  // `...` or `…` alone, or wrapped in a comment: `/* ... */`, `// ...`, `# …`, `<!-- ... -->`, `{/* ... */}`.
  new RegExp(String.raw`^${COMMENT}?\s*${ELLIPSIS}\s*(?:\*\/|-->|\*\/\})?$`, 'i'),
  // A comment naming the elision: `// ... existing code ...`, `# rest unchanged`, `/* remaining methods */`.
  new RegExp(String.raw`^${COMMENT}\s*${ELLIPSIS}?.*\b${ELIDED_WORDS}\b.*$`, 'i'),
];

/** Why writing `replacement` over `original` looks like an elided rewrite; null when it does not. */
export function elisionReason(original: string, replacement: string): string | null {
  const before = lineCount(original);
  const after = lineCount(replacement);
  if (!(after < before * SHORTER_RATIO && before - after >= MIN_LINES_LOST)) return null;
  const placeholder = replacement
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line.length > 0 && line.length <= 120 && isPlaceholder(line));
  if (placeholder === undefined) return null;
  return (
    `it looks elided: ${after} lines replacing ${before}, with the placeholder line ${JSON.stringify(placeholder)}; ` +
    'the original is kept (send an EDIT for the changed part, or allow elided overwrites)'
  );
}

export function isPlaceholder(line: string): boolean {
  const trimmed = line.trim();
  return PLACEHOLDERS.some((pattern) => pattern.test(trimmed));
}

function lineCount(text: string): number {
  if (text.length === 0) return 0;
  const breaks = text.match(/\n/g)?.length ?? 0;
  return text.endsWith('\n') ? breaks : breaks + 1;
}
