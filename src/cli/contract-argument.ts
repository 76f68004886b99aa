import { readFile } from 'node:fs/promises';
import { text as readStream } from 'node:stream/consumers';
import { SpeedRunError } from '../errors.js';

/** The contract named on the command line: a file, or `-` for stdin. Unreadable or empty is a usage error. */
export async function readContractArgument(
  contractPath: string,
): Promise<{ text: string; file: string | null }> {
  let text: string;
  try {
    text = contractPath === '-' ? await readStream(process.stdin) : await readFile(contractPath, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
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
