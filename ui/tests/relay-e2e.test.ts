// @vitest-environment node
// The relay page's end-to-end decryption against the vectors the Rust client is tested with
// (tests/fixtures/e2e-vectors.json, computed independently with Python's `cryptography`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { decodeBase64Url, decrypt, E2eError, type E2eErrorCode, isEncrypted, parseKey } from '../relay-page/e2e';

interface Vector {
  name: string;
  key_hex: string;
  nonce_hex: string;
  plaintext: string;
  fragment: string;
  value: string;
}
interface Invalid {
  name: string;
  value: string;
  fragment: string;
  error: E2eErrorCode;
}
const fixture = JSON.parse(readFileSync(new URL('../../tests/fixtures/e2e-vectors.json', import.meta.url), 'utf8')) as {
  format: string;
  vectors: Vector[];
  invalid: Invalid[];
};

/** What the relay renders into `<body data-e2e-prefix>` (`hushlink_protocol::e2e::PREFIX`). */
const PREFIX = `${fixture.format}:`;

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof E2eError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('hushlink-e2e:v1 in the relay page', () => {
  it('covers the fixture it claims to', () => {
    expect(fixture.format).toBe('hushlink-e2e:v1');
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(5);
    expect(fixture.invalid.length).toBeGreaterThanOrEqual(6);
  });

  for (const v of fixture.vectors) {
    it(`decrypts vector "${v.name}"`, () => {
      expect(isEncrypted(v.value, PREFIX)).toBe(true);
      expect(hex(parseKey(v.fragment))).toBe(v.key_hex);
      expect(decrypt(v.value, v.fragment, PREFIX)).toBe(v.plaintext);
    });

    it(`finds the nonce of "${v.name}" at the front of the value`, () => {
      const joined = decodeBase64Url(v.value.slice(PREFIX.length));
      expect(joined).not.toBeNull();
      expect(hex(joined!.subarray(0, 12))).toBe(v.nonce_hex);
      expect(joined!.length).toBe(12 + new TextEncoder().encode(v.plaintext).length + 16);
    });
  }

  for (const bad of fixture.invalid) {
    it(`refuses "${bad.name}" with ${bad.error}`, () => {
      expect(codeOf(() => decrypt(bad.value, bad.fragment, PREFIX))).toBe(bad.error);
    });
  }

  it('refuses a key from another vector and a flipped tag bit', () => {
    const [a, b] = fixture.vectors.slice(1, 3) as [Vector, Vector];
    expect(codeOf(() => decrypt(a.value, b.fragment, PREFIX))).toBe('tampered');
    const last = a.value.at(-1) === 'A' ? 'Q' : 'A';
    expect(codeOf(() => decrypt(a.value.slice(0, -1) + last, a.fragment, PREFIX))).toBe('tampered');
  });

  it('reports text that is not UTF-8 as not_text', async () => {
    // Encrypt invalid UTF-8 under a vector key with the same library, then decrypt it.
    const { gcm } = await import('@noble/ciphers/aes.js');
    const v = fixture.vectors[1]!;
    const nonce = new Uint8Array(12).fill(7);
    const sealed = gcm(parseKey(v.fragment), nonce).encrypt(new Uint8Array([0xff, 0xfe]));
    const joined = new Uint8Array([...nonce, ...sealed]);
    const value = PREFIX + Buffer.from(joined).toString('base64url');
    expect(codeOf(() => decrypt(value, v.fragment, PREFIX))).toBe('not_text');
  });

  it('decodes base64url strictly, like Rust URL_SAFE_NO_PAD', () => {
    expect(hex(decodeBase64Url('AAECAw')!)).toBe('00010203');
    expect(hex(decodeBase64Url('_-8')!)).toBe('ffef');
    expect(decodeBase64Url('')?.length).toBe(0);
    expect(decodeBase64Url('AAEC=')).toBeNull();
    expect(decodeBase64Url('AA+/')).toBeNull();
    expect(decodeBase64Url('AAECA')).toBeNull();
    expect(decodeBase64Url('AB')).toBeNull();
    expect(codeOf(() => parseKey('  '))).toBe('missing_key');
  });
});

describe('the prefix comes from the page', () => {
  it('uses only the prefix it is given', () => {
    const v = fixture.vectors[0]!;
    expect(isEncrypted(v.value, 'other-format:v9:')).toBe(false);
    expect(isEncrypted(v.value, '')).toBe(false);
    expect(codeOf(() => decrypt(v.value, v.fragment, 'other-format:v9:'))).toBe('not_encrypted');
  });
});
