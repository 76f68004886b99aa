import { isPartialFolded, startsWithFolded } from './scan-text.js';

/** The longest opening tag recognised; a longer `<FILE ...` run is prose. Bounds what is held between chunks. */
export const MAX_OPEN_TAG_LENGTH = 1024;

export type OpenTagMatch =
  | { kind: 'tag'; path: string; end: number }
  /** The text ends before the tag could be decided: hold it and retry with more input. */
  | { kind: 'partial' }
  | { kind: 'none' };

const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const LESS_THAN = 60;
const GREATER_THAN = 62;

// One attribute at a time, anchored (sticky): name, then optionally `=` and a double-, single- or unquoted value.
const ATTRIBUTE = /[ \t\r]+([A-Za-z_:][-\w:.]*)(?:[ \t\r]*=[ \t\r]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;
const TRAILER = /[ \t\r]*$/y;

/** The block tags a reply may open: a whole file, or search/replace hunks for an existing file. */
export type BlockTagName = 'file' | 'edit';

/**
 * Matches `<FILE attr="..." path="...">` (or `<EDIT ...>` when `name` is 'edit') at `pos` (case-insensitive name,
 * attributes in any order, quotes single or double). The tag must fit on one line and contain no other `<`;
 * without a `path` attribute it is not a tag.
 */
export function matchOpenTag(text: string, pos: number, name: BlockTagName = 'file'): OpenTagMatch {
  if (isPartialFolded(text, pos, `<${name} `)) return { kind: 'partial' };
  if (!startsWithFolded(text, pos, `<${name}`)) return { kind: 'none' };
  const afterName = text.charCodeAt(pos + 5);
  if (afterName !== SPACE && afterName !== TAB && afterName !== CARRIAGE_RETURN) return { kind: 'none' };
  const limit = Math.min(text.length, pos + MAX_OPEN_TAG_LENGTH);
  for (let i = pos + 6; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === GREATER_THAN) {
      const path = readPathAttribute(text.slice(pos + 5, i));
      return path === null ? { kind: 'none' } : { kind: 'tag', path, end: i + 1 };
    }
    if (code === LESS_THAN || code === NEWLINE) return { kind: 'none' };
  }
  return limit === text.length && limit - pos < MAX_OPEN_TAG_LENGTH ? { kind: 'partial' } : { kind: 'none' };
}

/** The `path` attribute of an opening tag's attribute text (what follows `<FILE`), as written; null if absent. */
export function readPathAttribute(attributes: string): string | null {
  let path: string | null = null;
  let at = 0;
  for (;;) {
    ATTRIBUTE.lastIndex = at;
    const match = ATTRIBUTE.exec(attributes);
    if (match === null) break;
    at = ATTRIBUTE.lastIndex;
    if (path === null && match[1]!.toLowerCase() === 'path') path = match[2] ?? match[3] ?? match[4] ?? null;
  }
  TRAILER.lastIndex = at;
  return TRAILER.test(attributes) ? path : null;
}
