import { text as readStream } from 'node:stream/consumers';
import { readProjectFile } from '../codegen/context-files.js';
import { SpeedRunError, isSpeedRunError } from '../errors.js';

/** Largest contract file read. */
const MAX_CONTRACT_FILE_BYTES = 1024 * 1024;

/**
 * The contract named on the command line: a file, or `-` for stdin. Unreadable or empty is a usage error. A file
 * goes through the same read policy as every file sent to the model (a secret-looking file is refused); the user
 * typed its path, so it may lie outside the allowed directories.
 */
export async function readContractArgument(
  contractPath: string,
): Promise<{ text: string; file: string | null }> {
  let text: string;
  try {
    text =
      contractPath === '-'
        ? await readStream(process.stdin)
        : (
            await readProjectFile(contractPath, {
              cwd: process.cwd(),
              allowedRoots: 'any',
              maxBytes: MAX_CONTRACT_FILE_BYTES,
              field: 'contract',
            })
          ).content;
  } catch (error) {
    const missing = isSpeedRunError(error) && /was not found/.test(error.message);
    // The policy's own refusals (a secret, too big, a directory) are the message; unreadable keeps this one.
    if (isSpeedRunError(error) && error.kind !== 'io' && !missing) throw error;
    const cause = isSpeedRunError(error) ? error.cause : error;
    const code = missing ? 'ENOENT' : ((cause as { code?: string }).code ?? String(cause));
    throw new SpeedRunError('invalid_input', `Could not read the contract "${contractPath}" (${code}).`, {
      field: 'contract',
      hint: 'Pass a readable contract file, or - to read it from stdin.',
    });
  }
  if (text.trim() === '') {
    throw new SpeedRunError('invalid_input', `The contract "${contractPath}" is empty.`, {
      field: 'contract',
      hint: 'Write the contract first: file paths, DATA CONTRACT, API CONTRACT, ALGORITHM, RULES.',
    });
  }
  return { text, file: contractPath === '-' ? null : contractPath };
}
