// Plain words for every failure, chosen by the stable `code` only (never by message text).
// The words live in the catalogues (i18n/*.json, keys `error.<words>.title` and `.next`),
// filled with the error's `args` (a token's name, a port). The backend's own sentence is
// English, for its log: it never reaches a screen.
import { BackendError, type BackendCode } from './backend/ipc';
import type { ErrorArgs } from './bindings/ErrorArgs';
import { t, type MessageKey } from './i18n/i18n.svelte';

export type Problem = {
  /** What happened, in a person's words. */
  title: string;
  /** What to do next. */
  next: string;
  code: BackendCode;
};

/** The catalogue entries a code's words are under: `error.<words>.title` / `.next`. */
type WordsId = MessageKey extends infer K ? (K extends `error.${infer W}.title` ? W : never) : never;
type Words = { id: WordsId };

const FALLBACK: Words = { id: 'fallback' };
const own = (id: WordsId): Words => ({ id });

// Every code has its words: a code added in Rust fails `npm run check` until it is here.
export const ERROR_WORDS: Record<BackendCode, Words> = {
  server_unreachable: own('server_unreachable'),
  // The app reports these as `server_unreachable` and `secret_gone`; only the CLI tells them apart.
  timeout: own('server_unreachable'),
  receipt_gone: own('secret_gone'),
  unreachable: own('unreachable'),
  tls_error: own('tls_error'),
  bad_credentials: own('bad_credentials'),
  credentials_required: own('credentials_required'),
  auth_disabled: own('auth_disabled'),
  secret_gone: own('secret_gone'),
  secret_gone_or_wrong_passphrase: own('secret_gone_or_wrong_passphrase'),
  wrong_passphrase: own('wrong_passphrase'),
  passphrase_required: own('passphrase_required'),
  rate_limited: own('rate_limited'),
  keyring_unavailable: own('keyring_unavailable'),
  keyring_error: own('keyring_error'),
  invalid_input: own('invalid_input'),
  invalid_url: own('invalid_url'),
  insecure_url: own('insecure_url'),
  invalid_link: own('invalid_link'),
  tls_pin_mismatch: own('tls_pin_mismatch'),
  invite_link_invalid: own('invite_link_invalid'),
  invite_not_found: own('invite_not_found'),
  invite_used: own('invite_used'),
  invite_withdrawn: own('invite_withdrawn'),
  invite_expired: own('invite_expired'),
  invite_undecryptable: own('invite_undecryptable'),
  invite_without_tls: own('invite_without_tls'),
  not_onetime: own('not_onetime'),
  redirected: own('redirected'),
  invalid_key: own('invalid_key'),
  storage_error: own('storage_error'),
  io_error: own('io_error'),
  data_key_missing: own('data_key_missing'),
  server_error: own('server_error'),
  rejected: own('rejected'),
  unsupported: own('unsupported'),
  e2e_unsupported: own('e2e_unsupported'),
  profile_not_found: own('profile_not_found'),
  profile_read_only: own('profile_read_only'),
  entry_not_found: own('entry_not_found'),
  decrypt_failed: own('decrypt_failed'),
  autostart_failed: own('autostart_failed'),
  relay_off: own('relay_off'),
  relay_failed: own('relay_failed'),
  relay_data_dir_in_use: own('relay_data_dir_in_use'),
  not_found: own('not_found'),
  notification_failed: own('notification_failed'),
  invalid_port: own('invalid_port'),
  relay_same_port: own('relay_same_port'),
  name_required: own('name_required'),
  token_name_invalid: own('token_name_invalid'),
  token_name_taken: own('token_name_taken'),
  secret_empty: own('secret_empty'),
  sender_note_too_long: own('sender_note_too_long'),
  sender_note_not_plain: own('sender_note_not_plain'),
  password_length: own('password_length'),
  password_kinds: own('password_kinds'),
  passphrase_words: own('passphrase_words'),
  language_unsupported: own('language_unsupported'),
  profile_name_invalid: own('profile_name_invalid'),
  expiry_too_short: own('expiry_too_short'),
  default_profile_required: own('default_profile_required'),
  invite_fingerprint_invalid: own('invite_fingerprint_invalid'),
  system_folder_missing: own('system_folder_missing'),
  password_too_short: own('password_too_short'),
  // No words of their own (yet): the generic sentence.
  invalid_config: FALLBACK,
  recent_unavailable: FALLBACK,
  setup: FALLBACK,
  invite_malformed: FALLBACK,
  invalid_file: FALLBACK,
  relay_port_busy: FALLBACK,
  internal: FALLBACK,
};

/** The words for a failure of any kind, in the current language. */
export function explain(error: unknown): Problem {
  const code = error instanceof BackendError ? error.code : 'internal';
  // A code this build does not know (never from its own backend) still gets a sentence.
  const words = (ERROR_WORDS as Partial<Record<string, Words>>)[code] ?? FALLBACK;
  const values = argValues(error instanceof BackendError ? error.args : {});
  return {
    title: t(`error.${words.id}.title`, values),
    next: t(`error.${words.id}.next`, values),
    code,
  };
}

/** The args as message values; a port as typed (7143, never "7,143"). Every arg has a value,
 *  so words naming one that did not come still render (without it) instead of throwing. */
function argValues(args: ErrorArgs): Record<string, string> {
  const values: Record<string, string> = { name: '', port: '', min: '', max: '' } satisfies Record<keyof ErrorArgs, string>;
  for (const [name, value] of Object.entries(args)) {
    if (value !== undefined && value !== null) values[name] = String(value);
  }
  return values;
}
