/** Character-level helpers shared by the extractor's scanners. Tag words are matched ASCII case-insensitively. */

const UPPER_A = 65;
const UPPER_Z = 90;

function lowerCode(code: number): number {
  return code >= UPPER_A && code <= UPPER_Z ? code + 32 : code;
}

/** Whether `word` (given in lower case) occurs at `pos`, ignoring ASCII case. */
export function startsWithFolded(text: string, pos: number, word: string): boolean {
  if (pos + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (lowerCode(text.charCodeAt(pos + k)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** Whether the text from `pos` to its end is a proper prefix of `word`, i.e. more input could complete it. */
export function isPartialFolded(text: string, pos: number, word: string): boolean {
  const available = text.length - pos;
  if (available >= word.length) return false;
  for (let k = 0; k < available; k++) {
    if (lowerCode(text.charCodeAt(pos + k)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

export type LineRead =
  { kind: 'line'; line: string; end: number } | { kind: 'incomplete' } | { kind: 'too-long' };

/**
 * Reads the line starting at `pos` without its `\n` (a trailing `\r` is kept), or says that the text ends before
 * the line does. Lines longer than `maxLength` are never returned, which bounds what a caller holds back.
 */
export function readLine(text: string, pos: number, maxLength: number): LineRead {
  const limit = Math.min(text.length, pos + maxLength + 1);
  for (let i = pos; i < limit; i++) {
    if (text.charCodeAt(i) === 10) return { kind: 'line', line: text.slice(pos, i), end: i + 1 };
  }
  return limit === text.length && text.length - pos <= maxLength
    ? { kind: 'incomplete' }
    : { kind: 'too-long' };
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
