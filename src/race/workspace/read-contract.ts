import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../../errors.js';
import { realAllowedRoots } from '../../write/allowed-roots.js';
import { isWithin } from '../../write/path-policy.js';

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
  const target = path.resolve(options.baseDir, contractFile!);
  const real = await realpath(target).catch(() => null);
  const roots = await realAllowedRoots(options.allowedRoots, options.baseDir);
  if (real === null) {
    throw new SpeedRunError('invalid_input', `contract_file "${contractFile}" does not exist.`, {
      field: 'contract_file',
      hint: `Paths are relative to ${options.baseDir}.`,
    });
  }
  if (!roots.some((root) => isWithin(root, real))) {
    throw new SpeedRunError(
      'path_rejected',
      `contract_file "${contractFile}" is outside the allowed directories.`,
      {
        field: 'contract_file',
        hint: 'Put the contract inside the repository, or pass it inline.',
      },
    );
  }
  const stats = await stat(real);
  if (!stats.isFile() || stats.size > MAX_CONTRACT_BYTES) {
    throw new SpeedRunError(
      'invalid_input',
      `contract_file "${contractFile}" is ${stats.isFile() ? `larger than ${MAX_CONTRACT_BYTES} bytes` : 'not a file'}.`,
      { field: 'contract_file', hint: 'A contract is a spec, not the code: keep it short.' },
    );
  }
  const text = await readFile(real, 'utf8');
  if (text.trim() === '') {
    throw new SpeedRunError('invalid_input', `contract_file "${contractFile}" is empty.`, {
      field: 'contract_file',
    });
  }
  return { text, file: contractFile! };
}
