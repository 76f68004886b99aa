/** Where a live line is drawn: process.stderr, or a stand-in with `isTTY` in tests. */
export interface LineStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

import type { GenerationProgress } from '../codegen/generation-progress.js';

export type { GenerationPhase, GenerationProgress } from '../codegen/generation-progress.js';

export interface LiveLine {
  update(progress: GenerationProgress): void;
  /** Prints a permanent line above the live one (e.g. "wrote a.ts"), on the given stream. */
  print(line: string, stream: { write(text: string): unknown }): void;
  /** Removes the live line; nothing is drawn after. */
  stop(): void;
}

const REDRAW_MS = 100;

/**
 * A one-line status redrawn in place on a terminal: phase, tokens so far, elapsed seconds, so a long wait
 * never looks like a hang. Off a terminal it draws nothing and `print` writes plain lines, as before.
 */
export function createLiveLine(stream: LineStream, now: () => number = Date.now): LiveLine {
  if (!stream.isTTY) {
    return {
      update: () => undefined,
      print: (line, out) => void out.write(`${line}\n`),
      stop: () => undefined,
    };
  }
  const started = now();
  let progress: GenerationProgress = { phase: 'waiting for the first token', tokens: 0 };
  let stopped = false;
  const text = () => {
    const seconds = ((now() - started) / 1000).toFixed(1);
    const tokens = progress.tokens === 0 ? '' : ` · ${progress.tokens.toLocaleString('en-US')} tokens`;
    const line = `… ${progress.phase}${tokens} · ${seconds} s`;
    return line.slice(0, Math.max(20, (stream.columns || 80) - 1));
  };
  const draw = () => {
    if (!stopped) stream.write(`\r\x1b[2K${text()}`);
  };
  const clear = () => stream.write('\r\x1b[2K');
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  draw();
  return {
    update(next) {
      const phaseChanged = next.phase !== progress.phase;
      progress = next;
      if (phaseChanged) draw();
    },
    print(line, out) {
      if (stopped) return void out.write(`${line}\n`);
      clear();
      out.write(`${line}\n`);
      draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      clear();
    },
  };
}
