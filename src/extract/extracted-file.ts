export interface ExtractedFile {
  path: string;
  content: string;
}

export interface UnclosedFile {
  path: string;
  /** UTF-8 bytes of content received before the stream ended. */
  bytes: number;
}
