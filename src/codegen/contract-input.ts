import { SpeedRunError } from '../errors.js';
import { readProjectFile } from './context-files.js';

/** Largest contract file read; a contract is a page or a few, not a code base. */
export const MAX_CONTRACT_FILE_BYTES = 256 * 1024;

/**
 * The contract of a generation: `prompt` inline, or `contractFile` read server-side, exactly one. A contract
 * file is read through the same policy as context files (allowed roots, secret-looking files refused, size
 * bounded, text only), so naming a file can never send more than passing it as context would.
 */
export async function readContractInput(
  input: { prompt?: string | undefined; contractFile?: string | undefined },
  options: { cwd: string; allowedRoots: string[] },
): Promise<{ text: string; file: string | null }> {
  const { prompt, contractFile } = input;
  if ((prompt === undefined) === (contractFile === undefined)) {
    throw new SpeedRunError(
      'invalid_input',
      'Give the contract as prompt or as contract_file, exactly one.',
      {
        field: 'prompt',
        hint: 'Pass prompt (the contract text) or contract_file (a file holding it, e.g. a plan or spec).',
      },
    );
  }
  if (prompt !== undefined) return { text: prompt, file: null };
  // The one read policy for files sent to the model, naming contract_file in its refusals.
  const { content: text } = await readProjectFile(contractFile!, {
    ...options,
    maxBytes: MAX_CONTRACT_FILE_BYTES,
    field: 'contract_file',
  });
  if (text.trim() === '') {
    throw new SpeedRunError('invalid_input', `contract_file "${contractFile}" is empty.`, {
      field: 'contract_file',
      hint: 'Write the contract first: file paths, DATA CONTRACT, API CONTRACT, ALGORITHM, RULES.',
    });
  }
  return { text, file: contractFile! };
}
