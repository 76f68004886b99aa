import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpeedRunError, isSpeedRunError } from '../src/errors.js';

test('SpeedRunError carries kind, field and hint into the user message', () => {
  const error = new SpeedRunError('invalid_input', 'output_dir must be a string.', {
    field: 'output_dir',
    hint: 'Pass a directory path relative to the working directory.',
  });
  assert.equal(error.kind, 'invalid_input');
  assert.equal(error.field, 'output_dir');
  assert.equal(error.retryable, false);
  assert.equal(
    error.userMessage,
    'output_dir must be a string.\nPass a directory path relative to the working directory.',
  );
  assert.ok(isSpeedRunError(error));
  assert.ok(!isSpeedRunError(new Error('plain')));
});
