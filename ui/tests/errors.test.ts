import { describe, expect, it } from 'vitest';
import { BackendError, type BackendCode } from '../src/lib/backend/ipc';
import { explain } from '../src/lib/errors';

describe('explain', () => {
  it('chooses the words by code, not by message', () => {
    const a = explain(new BackendError('secret_gone', 'anything at all'));
    const b = explain(new BackendError('secret_gone', 'something else'));
    expect(a.title).toBe(b.title);
    expect(a.title).toMatch(/already been viewed, or it never existed/);
    expect(a.detail).toBeNull();
  });

  it('says what to do next for the common failures', () => {
    for (const code of ['server_unreachable', 'bad_credentials', 'wrong_passphrase', 'rate_limited', 'keyring_unavailable', 'invalid_url', 'unreachable'] satisfies BackendCode[]) {
      const problem = explain(new BackendError(code, 'x'));
      expect(problem.title, code).not.toMatch(/inside Hushlink/);
      expect(problem.next.length, code).toBeGreaterThan(10);
    }
  });

  it('keeps the field detail of invalid input', () => {
    expect(explain(new BackendError('invalid_input', 'The label is too long.')).detail).toBe('The label is too long.');
  });

  it('falls back to a generic sentence for unknown codes and non-backend errors', () => {
    expect(explain(new BackendError('brand_new_code' as BackendCode, 'x')).title).toMatch(/inside Hushlink/);
    expect(explain(new TypeError('boom')).code).toBe('internal');
  });
});
