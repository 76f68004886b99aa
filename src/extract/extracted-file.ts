export interface ExtractedFile {
  path: string;
  content: string;
}

export interface UnclosedFile {
  path: string;
  /** UTF-8 bytes of content received before the stream ended. */
  bytes: number;
}

/** One search/replace hunk of an `<EDIT>` block, byte-exact as the reply gave it. */
export interface EditHunk {
  /** The existing text to find: the lines between `<<<<<<< SEARCH` and `=======`, each with its line break. */
  search: string;
  /** What replaces it: the lines between `=======` and `>>>>>>> REPLACE`. */
  replace: string;
}

/** An `<EDIT path="...">` block: hunks to apply to an existing file, in order. */
export interface ExtractedEdit {
  path: string;
  hunks: EditHunk[];
  /** Set when the block is not well-formed (then it must not be applied); says what is wrong. */
  malformed?: string;
}

/** What the extractor emits as each block closes: a whole file, or an edit. */
export type ExtractedBlock = ExtractedFile | ExtractedEdit;

export function isEdit(block: ExtractedBlock): block is ExtractedEdit {
  return 'hunks' in block;
}
