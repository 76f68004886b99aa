import { readProjectFile } from '../../codegen/context-files.js';
import { SpeedRunError } from '../../errors.js';

/** Largest contract file read. */
export const MAX_CONTRACT_BYTES = 256 * 1024;

/**
 * The contract text: given inline, or read from `contractFile` (relative to `baseDir`, inside an allowed root).
 * Exactly one of the two.
 */
export async function readContract(options: {
  contract?: string | undefined;
  contractFile?: string | undefined;
  baseDir: string;
  allowedRoots: string[];
}): Promise<{ text: string; file: string | null }> {
  const { contract, contractFile } = options;
  if ((contract === undefined) === (contractFile === undefined)) {
    throw new SpeedRunError(
      'invalid_input',
      'Give the contract inline or as a file, exactly one of the two.',
      {
        field: 'contract',
        hint: 'Pass contract (the text) or contract_file (a path relative to the repository).',
      },
    );
  }
  if (contract !== undefined) {
    if (contract.trim() === '') {
      throw new SpeedRunError('invalid_input', 'contract is empty.', {
        field: 'contract',
        hint: 'Write the contract: files, DATA CONTRACT, API CONTRACT, RULES, tests to pass.',
      });
    }
    return { text: contract, file: null };
  }
  // The one read policy for files sent to the model: allowed roots, links, secret names and contents.
  const { content: text } = await readProjectFile(contractFile!, {
    cwd: options.baseDir,
    allowedRoots: options.allowedRoots,
    maxBytes: MAX_CONTRACT_BYTES,
    field: 'contract_file',
    tooBig: (bytes) =>
      `contract_file "${contractFile}" is ${bytes} bytes, larger than ${MAX_CONTRACT_BYTES}; a contract is a spec, not the code.`,
  });
  if (text.trim() === '') {
    throw new SpeedRunError('invalid_input', `contract_file "${contractFile}" is empty.`, {
      field: 'contract_file',
    });
  }
  return { text, file: contractFile! };
}
