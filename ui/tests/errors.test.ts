import { describe, expect, it } from 'vitest';
import { BackendError, type BackendCode } from '../src/lib/backend/ipc';
import { ERROR_WORDS, explain } from '../src/lib/errors';
import { format, i18n } from '../src/lib/i18n/i18n.svelte';

const fallback = format('en', 'error.fallback.title');

describe('explain', () => {
  it('chooses the words by code, not by message', () => {
    const a = explain(new BackendError('secret_gone', 'anything at all'));
    const b = explain(new BackendError('secret_gone', 'something else'));
    expect(a.title).toBe(b.title);
    expect(a.title).toBe(format('en', 'error.secret_gone.title'));
    expect(a.detail).toBeNull();
  });

  it('says what to do next for the common failures', () => {
    for (const code of ['server_unreachable', 'bad_credentials', 'wrong_passphrase', 'rate_limited', 'keyring_unavailable', 'invalid_url', 'unreachable'] satisfies BackendCode[]) {
      const problem = explain(new BackendError(code, 'x'));
      expect(problem.title, code).not.toBe(fallback);
      expect(problem.next.length, code).toBeGreaterThan(10);
    }
  });

  it('gives codes that mean the same thing the same words', () => {
    expect(ERROR_WORDS.receipt_gone.id).toBe(ERROR_WORDS.secret_gone.id);
    expect(ERROR_WORDS.timeout.id).toBe(ERROR_WORDS.server_unreachable.id);
  });

  it('keeps the field detail of invalid input', () => {
    expect(explain(new BackendError('invalid_input', 'The label is too long.')).detail).toBe('The label is too long.');
  });

  it('falls back to a generic sentence for unknown codes and non-backend errors', () => {
    expect(explain(new BackendError('brand_new_code' as BackendCode, 'x')).title).toBe(fallback);
    expect(explain(new TypeError('boom')).code).toBe('internal');
  });

  it('speaks the chosen language', () => {
    i18n.choose('de');
    try {
      expect(explain(new BackendError('secret_gone', 'x')).title).toBe(format('de', 'error.secret_gone.title'));
      expect(format('de', 'error.secret_gone.title')).not.toBe(format('en', 'error.secret_gone.title'));
    } finally {
      i18n.choose(null);
    }
  });
});
