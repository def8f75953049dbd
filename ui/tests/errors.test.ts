import { describe, expect, it } from 'vitest';
import { BackendError, toBackendError, type BackendCode } from '../src/lib/backend/ipc';
import { ERROR_WORDS, explain } from '../src/lib/errors';
import { format, i18n, LANGUAGES, type MessageKey } from '../src/lib/i18n/i18n.svelte';
import { CATALOGUES } from './catalogues';

const fallback = format('en', 'error.fallback.title');

describe('explain', () => {
  it('chooses the words by code, not by message', () => {
    const a = explain(new BackendError('secret_gone', 'anything at all'));
    const b = explain(new BackendError('secret_gone', 'something else'));
    expect(a.title).toBe(b.title);
    expect(a.title).toBe(format('en', 'error.secret_gone.title'));
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

  it('never passes on the backend sentence, even for refusals of input', () => {
    for (const code of ['invalid_input', 'rejected', 'token_name_taken'] satisfies BackendCode[]) {
      const problem = explain(new BackendError(code, 'The label is too long.', { name: 'Sam' }));
      expect(Object.keys(problem).sort(), code).toEqual(['code', 'next', 'title']);
      expect(`${problem.title} ${problem.next}`, code).not.toContain('The label is too long.');
    }
  });

  it('keeps the data of a command failure through to the words', () => {
    const refused = toBackendError({ code: 'token_name_taken', message: 'taken', args: { name: 'Desk 4' } });
    expect(refused.args).toEqual({ name: 'Desk 4' });
    expect(explain(refused).title).toBe(format('en', 'error.token_name_taken.title', { name: 'Desk 4' }));
    expect(toBackendError({ code: 'invalid_input', message: 'x' }).args, 'none sent').toEqual({});
  });

  it('fills the words with the data the backend sent', () => {
    const taken = explain(new BackendError('token_name_taken', 'x', { name: 'Front desk PC' }));
    expect(taken.title).toBe(format('en', 'error.token_name_taken.title', { name: 'Front desk PC' }));
    expect(taken.title).toContain('Front desk PC');
    // A port is a number as typed, never grouped ("7,143").
    const same = explain(new BackendError('relay_same_port', 'x', { port: 7143 }));
    expect(same.title).toBe(format('en', 'error.relay_same_port.title', { port: '7143' }));
    expect(same.title).toContain('7143');
  });

  it('gives the tracker refusals their own words, filled with the limits sent', () => {
    for (const code of ['profile_name_invalid', 'expiry_too_short', 'default_profile_required', 'invite_fingerprint_invalid', 'system_folder_missing', 'password_too_short'] satisfies BackendCode[]) {
      expect(ERROR_WORDS[code].id, code).toBe(code);
      expect(explain(new BackendError(code, 'x')).title, code).not.toBe(fallback);
    }
    const name = explain(new BackendError('profile_name_invalid', 'x', { min: 1, max: 80 }));
    expect(name.next).toBe(format('en', 'error.profile_name_invalid.next', { min: 1, max: 80 }));
    expect(name.next).toContain('80');
    // The least lifetime comes in minutes and is counted in the language's plural forms.
    for (const lang of LANGUAGES) {
      const one = format(lang, 'error.expiry_too_short.next', { min: 1 });
      expect(one, lang).not.toBe(format(lang, 'error.expiry_too_short.next', { min: 5 }));
    }
    expect(explain(new BackendError('expiry_too_short', 'x', { min: 1 })).next).toBe(format('en', 'error.expiry_too_short.next', { min: 1 }));
    expect(explain(new BackendError('password_too_short', 'x', { min: 4 })).next).toContain('4');
  });

  it('has words for every code in every language, naming only the data the backend sends', () => {
    const sent = new Set(['name', 'port', 'min', 'max']);
    for (const lang of LANGUAGES) {
      for (const [code, words] of Object.entries(ERROR_WORDS)) {
        for (const part of ['title', 'next'] as const) {
          const key = `error.${words.id}.${part}` as MessageKey;
          const text = CATALOGUES[lang][key];
          expect(text, `${lang} ${code} ${part}`).toMatch(/\S/);
          for (const [, arg] of text.matchAll(/\{(\w+)/g)) expect(sent, `${lang} ${key}`).toContain(arg);
        }
      }
    }
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
