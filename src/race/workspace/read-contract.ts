import { readContractInput } from '../../codegen/contract-input.js';
import { SpeedRunError } from '../../errors.js';

/**
 * A run's contract text: given inline, or read from `contractFile` (relative to `baseDir`, inside an allowed
 * root) through the one contract read (codegen/contract-input.ts). An inline contract must not be blank.
 */
export async function readContract(options: {
  contract?: string | undefined;
  contractFile?: string | undefined;
  baseDir: string;
  allowedRoots: string[];
}): Promise<{ text: string; file: string | null }> {
  if (
    options.contract !== undefined &&
    options.contractFile === undefined &&
    options.contract.trim() === ''
  ) {
    throw new SpeedRunError('invalid_input', 'contract is empty.', {
      field: 'contract',
      hint: 'Write the contract: files, DATA CONTRACT, API CONTRACT, RULES, tests to pass.',
    });
  }
  return readContractInput(
    { inline: options.contract, contractFile: options.contractFile },
    { cwd: options.baseDir, allowedRoots: options.allowedRoots, inlineField: 'contract' },
  );
}
