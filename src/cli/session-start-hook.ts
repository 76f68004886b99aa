#!/usr/bin/env node
// The Claude Code plugin's SessionStart hook (bundled to plugin/dist/session-start.mjs): when speed-run has no
// key or a configuration problem, one line for the user as `{"systemMessage": …}` on stdout, the hook output
// Claude Code shows (stderr reaches only its debug log). Silent when the setup is usable. Always exits 0.
import { setupWarning } from './setup-warning.js';

try {
  const line = setupWarning(process.env, process.cwd());
  if (line !== null) process.stdout.write(`${JSON.stringify({ systemMessage: line })}\n`);
} catch {
  // A warning hook must never get in the way of a session.
}
process.exitCode = 0;
