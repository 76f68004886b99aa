import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'plugin/dist/**',
      '.worktrees/**',
      'docs/plans/**',
      'examples/*/out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Library code talks through return values and stderr loggers, never console: stdout belongs to MCP.
  { files: ['src/**/*.ts'], ignores: ['src/cli/**'], rules: { 'no-console': 'error' } },
  // Pure cores take data and return data: no disk, process, network or clock I/O.
  {
    files: ['src/race/plan/**/*.ts', 'src/race/judge/**/*.ts', 'src/extract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(node:)?(fs|fs/promises|child_process|os|net|http|https|dgram|worker_threads|readline)$',
              message: 'Pure folders do no I/O: take the data as a parameter instead.',
            },
            {
              regex: '/(workspace|test-phase)/|/record/manifest-store',
              message: 'Pure folders do not reach into the I/O edges of the race engine.',
            },
          ],
        },
      ],
    },
  },
  // Presenters stay apart: the CLI calls the use cases, never an MCP tool module. (status.ts still borrows
  // check_status's output shaping; it moves out of mcp/tools/ with the tool-surface work.)
  {
    files: ['src/cli/**/*.ts'],
    ignores: ['src/cli/commands/status.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/mcp/tools/**'], message: 'cli/ calls the use cases, not mcp/tools/.' }] },
      ],
    },
  },
);
