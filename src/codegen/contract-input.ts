import { SpeedRunError } from '../errors.js';
import { readProjectFile } from './context-files.js';

/** Largest contract file read; a contract is a page or a few, not a code base. */
export const MAX_CONTRACT_FILE_BYTES = 256 * 1024;

/**
 * The contract of a generation or a run: given inline (`prompt` for turbo, `contract` for a race; `inlineField`
 * names it in errors), or `contractFile` read server-side, exactly one. A contract file is read through the same
 * policy as context files (allowed roots, links, secret-looking names and contents refused, size bounded, text
 * only), so naming a file can never send more than passing it as context would.
 */
export async function readContractInput(
  input: { inline?: string | undefined; contractFile?: string | undefined },
  options: { cwd: string; allowedRoots: string[]; inlineField: 'prompt' | 'contract' },
): Promise<{ text: string; file: string | null }> {
  const { inline, contractFile } = input;
  const { inlineField } = options;
  if ((inline === undefined) === (contractFile === undefined)) {
    throw new SpeedRunError(
      'invalid_input',
      `Give the contract as ${inlineField} or as contract_file, exactly one.`,
      {
        field: inlineField,
        hint: `Pass ${inlineField} (the contract text) or contract_file (a file holding it, e.g. a plan or spec).`,
      },
    );
  }
  if (inline !== undefined) return { text: inline, file: null };
  const { content: text } = await readProjectFile(contractFile!, {
    cwd: options.cwd,
    allowedRoots: options.allowedRoots,
    maxBytes: MAX_CONTRACT_FILE_BYTES,
    field: 'contract_file',
    tooBig: (bytes) =>
      `contract_file "${contractFile}" is ${bytes} bytes, larger than ${MAX_CONTRACT_FILE_BYTES}; a contract is a spec, not the code.`,
  });
  if (text.trim() === '') {
    throw new SpeedRunError('invalid_input', `contract_file "${contractFile}" is empty.`, {
      field: 'contract_file',
      hint: 'Write the contract first: file paths, DATA CONTRACT, API CONTRACT, ALGORITHM, RULES.',
    });
  }
  return { text, file: contractFile! };
}
