/**
 * End-to-end decryption for the relay's recipient page (format `hushlink-e2e:v1`, shared with
 * `src-tauri/hushlink-client/src/e2e.rs`; `tests/fixtures/e2e-vectors.json` pins it):
 *
 * - value: PREFIX + base64url-no-pad(12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag), no AAD;
 *   the prefix is defined once, in `hushlink_protocol::e2e::PREFIX`: the relay renders it into
 *   each page (`<body data-e2e-prefix>`) and the page script passes it in here;
 * - key: 32 bytes, base64url-no-pad, in the link's `#fragment` (never sent to any server).
 *
 * A relay page on a plain-HTTP LAN address is not a secure context, so `crypto.subtle` is not
 * there: AES-GCM comes from `@noble/ciphers` (audited, pure JS), bundled into the page script.
 */
import { gcm } from '@noble/ciphers/aes.js';

const KEY_LEN = 32;
const NONCE_LEN = 12;
const TAG_LEN = 16;

/** The same cases, in the same order of checking, as the Rust `E2eError`. */
export type E2eErrorCode = 'not_encrypted' | 'missing_key' | 'bad_key' | 'bad_value' | 'tampered' | 'not_text';

/**
 * Why a value could not be decrypted. `code` is stable; the page shows the relay's text for it
 * (`e2e.<code>` in the page's language), so the message here is the code itself.
 */
export class E2eError extends Error {
  readonly code: E2eErrorCode;

  constructor(code: E2eErrorCode) {
    super(code);
    this.name = 'E2eError';
    this.code = code;
  }
}

/** Whether a revealed value is end-to-end ciphertext (`prefix`: the page's `data-e2e-prefix`). */
export function isEncrypted(value: string, prefix: string): boolean {
  return prefix !== '' && value.startsWith(prefix);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * Strict base64url without padding, as Rust's `URL_SAFE_NO_PAD` decodes it: only the URL-safe
 * alphabet, no `=`, no impossible length, and unused trailing bits must be zero. `null` if
 * the text is not canonical.
 */
export function decodeBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const c of text) {
    const v = LOOKUP.get(c);
    if (v === undefined) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) return null;
  return out;
}

/** The 32-byte key in a link fragment (without the `#`). */
export function parseKey(fragment: string): Uint8Array {
  const text = fragment.trim();
  if (text === '') throw new E2eError('missing_key');
  const key = decodeBase64Url(text);
  if (key === null || key.length !== KEY_LEN) throw new E2eError('bad_key');
  return key;
}

/** Decrypts a revealed `value` with the link's `fragment` (without the `#`). */
export function decrypt(value: string, fragment: string, prefix: string): string {
  if (!isEncrypted(value, prefix)) throw new E2eError('not_encrypted');
  const key = parseKey(fragment);
  try {
    const joined = decodeBase64Url(value.slice(prefix.length).trim());
    if (joined === null || joined.length < NONCE_LEN + TAG_LEN) throw new E2eError('bad_value');
    let plain: Uint8Array;
    try {
      plain = gcm(key, joined.subarray(0, NONCE_LEN)).decrypt(joined.subarray(NONCE_LEN));
    } catch {
      throw new E2eError('tampered');
    }
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plain);
    } catch {
      throw new E2eError('not_text');
    } finally {
      plain.fill(0);
    }
  } finally {
    key.fill(0);
  }
}
