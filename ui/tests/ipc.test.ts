import { describe, expect, it } from 'vitest';
import { BackendError, toBackendError } from '../src/lib/backend/ipc';

describe('toBackendError', () => {
  it('keeps the code and message of a command error', () => {
    const error = toBackendError({ code: 'invalid_input', message: 'Pick an expiry.' });
    expect(error).toBeInstanceOf(BackendError);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Pick an expiry.');
  });

  it('reports anything else as unreachable without losing the cause', () => {
    const error = toBackendError(new Error('ipc channel closed'));
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('ipc channel closed');
  });

  it('does not mistake an object without a string code for a command error', () => {
    expect(toBackendError({ code: 7, message: 'x' }).code).toBe('unreachable');
  });
});
