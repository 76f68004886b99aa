/**
 * A state directory for the processes a test file starts (`XDG_STATE_HOME`), so the savings ledger of a spawned
 * CLI or server never lands in the real home. One per test process, removed when it exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let dir: string | undefined;

export function testStateHome(): string {
  if (dir === undefined) {
    const created = mkdtempSync(path.join(tmpdir(), 'speed-run-state-'));
    dir = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return dir;
}
