import { Transform, type TransformCallback } from 'node:stream';

/** The SDK's own read-buffer limit: one JSON-RPC message over it used to hang the server. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const SNIFF_BYTES = 4096;

export interface OversizedMessage {
  /** Its length in bytes, without the newline. */
  bytes: number;
  /** The request id, when it could be read from the start or the end of the message; null otherwise. */
  id: string | number | null;
}

/**
 * Passes newline-delimited messages through, each whole, and drops any message longer than `maxBytes` without
 * buffering more than that: the message is skipped up to its newline and reported, so the server keeps reading
 * (and answering) the messages after it.
 */
export class BoundedLines extends Transform {
  private parts: Buffer[] = [];
  private length = 0;
  private discarding = false;
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly onOversized: (message: OversizedMessage) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.append(chunk.subarray(start, end));
      if (newline === -1) break;
      this.endLine();
      start = newline + 1;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.discarding) this.report();
    else if (this.length > 0) this.push(Buffer.concat(this.parts));
    done();
  }

  private append(segment: Buffer): void {
    if (segment.length === 0) return;
    if (!this.discarding && this.length + segment.length > this.maxBytes) {
      const sofar = Buffer.concat([...this.parts, segment]);
      this.head = sofar.subarray(0, SNIFF_BYTES);
      this.tail = Buffer.from(sofar.subarray(-SNIFF_BYTES));
      this.parts = [];
      this.discarding = true;
      this.length += segment.length;
      return;
    }
    this.length += segment.length;
    if (this.discarding) {
      this.tail = Buffer.concat([this.tail, segment]).subarray(-SNIFF_BYTES);
    } else {
      this.parts.push(segment);
    }
  }

  private endLine(): void {
    if (this.discarding) this.report();
    else this.push(Buffer.concat([...this.parts, Buffer.from('\n')]));
    this.parts = [];
    this.length = 0;
  }

  private report(): void {
    const bytes = this.length;
    const id = requestId(this.head.toString('utf8'), this.tail.toString('utf8'));
    this.discarding = false;
    this.head = Buffer.alloc(0);
    this.tail = Buffer.alloc(0);
    this.onOversized({ bytes, id });
  }
}

const ID = String.raw`"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})`;
const STRING = String.raw`"(?:[^"\\]|\\.){0,200}"`;
// Top-level id first (after "jsonrpc"/"method"), or last (the SDK client puts it at the end).
const AT_START = new RegExp(String.raw`^\s*\{(?:\s*"(?:jsonrpc|method)"\s*:\s*${STRING}\s*,)*\s*${ID}`);
const AT_END = new RegExp(String.raw`,\s*${ID}\s*\}\s*$`);

/** The id of a JSON-RPC request cut down to its first and last few KiB, or null. */
export function requestId(head: string, tail: string): string | number | null {
  const match = AT_START.exec(head) ?? AT_END.exec(tail.replace(/\r$/, ''));
  if (!match?.[1]) return null;
  try {
    return JSON.parse(match[1]) as string | number;
  } catch {
    return null;
  }
}
