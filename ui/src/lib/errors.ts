// Plain words for every failure, chosen by the stable `code` only (never by message text).
import { BackendError, type BackendCode } from './backend/ipc';

export type Problem = {
  /** What happened, in a person's words. */
  title: string;
  /** What to do next. */
  next: string;
  /** The backend's own sentence, kept only where it names the field at fault. */
  detail: string | null;
  code: BackendCode;
};

type Words = { title: string; next: string; withDetail?: boolean };

const FALLBACK: Words = {
  title: 'Something went wrong inside Hushlink.',
  next: 'Try again. If it keeps happening, restart Hushlink and tell your IT contact what you were doing.',
};

const SERVER_UNREACHABLE: Words = {
  title: 'The server could not be reached.',
  next: 'Check that this computer is online (or on the office network), then try again.',
};

const SECRET_GONE: Words = {
  title: 'This secret has already been viewed, or it never existed.',
  next: 'A link works only once. Ask the person who sent it to share a new one.',
};

// Every code has its words: a code added in Rust fails `npm run check` until it is here.
const WORDS: Record<BackendCode, Words> = {
  server_unreachable: SERVER_UNREACHABLE,
  // The app reports these as `server_unreachable` and `secret_gone`; only the CLI tells them apart.
  timeout: SERVER_UNREACHABLE,
  receipt_gone: SECRET_GONE,
  unreachable: {
    title: "Hushlink's background service did not answer.",
    next: 'Close Hushlink from the tray menu and open it again.',
  },
  tls_error: {
    title: 'The connection to the server is not secure.',
    next: "Ask whoever runs the server to check its certificate, or check the server's address in Settings.",
  },
  bad_credentials: {
    title: 'The server did not accept your account e-mail or API token.',
    next: 'Open Settings, edit the server profile and enter the token again.',
  },
  credentials_required: {
    title: 'This server needs an account.',
    next: 'Open Settings, edit the server profile and add your account e-mail and API token.',
  },
  auth_disabled: {
    title: 'This server does not accept accounts.',
    next: 'Open Settings and remove the account e-mail and token from this profile.',
  },
  secret_gone: SECRET_GONE,
  secret_gone_or_wrong_passphrase: {
    title: 'Either the passphrase is wrong, or this secret was already viewed.',
    next: 'Check the passphrase with the sender. If it is right, ask them for a new link.',
  },
  wrong_passphrase: {
    title: 'That passphrase is not right.',
    next: 'Check it with the person who sent the link (by phone or chat) and try again. Too many tries destroy the secret.',
  },
  passphrase_required: {
    title: 'This secret is protected by a passphrase.',
    next: 'Type the passphrase the sender gave you, then press Reveal.',
  },
  rate_limited: {
    title: 'The server asked us to slow down.',
    next: 'Wait a minute, then try again.',
  },
  keyring_unavailable: {
    title: "The system's password keyring is not available.",
    next: 'Log out and in again so the keyring unlocks, or ask IT to set one up. Tokens cannot be stored until then.',
  },
  keyring_error: {
    title: "The system's password keyring refused the request.",
    next: 'Unlock the keyring (it may ask for your login password), then try again.',
  },
  invalid_input: {
    title: 'Something in the form needs another look.',
    next: 'Correct the highlighted field and try again.',
    withDetail: true,
  },
  invalid_url: {
    title: "That server address doesn't look right.",
    next: 'Type it like https://secrets.example.com or http://192.168.1.20:7143.',
  },
  insecure_url: {
    title: 'That server address is not encrypted (http://).',
    next: 'Use an https:// address, or a relay on your own office network.',
  },
  invalid_link: {
    title: "That doesn't look like a secret link.",
    next: 'Paste the whole link exactly as you received it, starting with https:// or http://.',
  },
  tls_pin_mismatch: {
    title: 'This is not the relay you were invited to: its certificate changed.',
    next: 'Nothing was sent. Someone may be intercepting the connection, or the relay was set up again. Ask the person who runs it for a new invite.',
  },
  invite_link_invalid: {
    title: 'That is not a whole invite link.',
    next: 'Paste the whole link you were given, including everything after the # sign.',
  },
  invite_not_found: {
    title: 'The relay does not know this invite.',
    next: 'Check that the whole link was pasted, or ask the person who runs the relay for a new invite.',
  },
  invite_used: {
    title: 'This invite was already used.',
    next: 'An invite works once. Ask the person who runs the relay for a new one, and tell them: if it was not you, someone else has it.',
  },
  invite_withdrawn: {
    title: 'This invite was withdrawn.',
    next: 'Ask the person who runs the relay for a new invite.',
  },
  invite_expired: {
    title: 'This invite has expired.',
    next: 'Ask the person who runs the relay for a new invite.',
  },
  invite_undecryptable: {
    title: 'This invite could not be unlocked.',
    next: 'The link was damaged or cut short, and it is now used up. Ask for a new invite and paste it whole.',
  },
  invite_without_tls: {
    title: 'This relay offers no encrypted connection for colleagues, so its token would cross the network readable by anyone.',
    next: 'Nothing was saved. Ask the person who runs it to turn on HTTPS for colleagues and to send a new invite.',
  },
  not_onetime: {
    title: 'That address answered, but it is not a secret-sharing server.',
    next: "Check the server's address in Settings.",
  },
  redirected: {
    title: 'The server sent Hushlink somewhere else.',
    next: "The server's address may have changed. Check it in Settings (for example https:// instead of http://).",
  },
  invalid_key: {
    title: 'That link is incomplete.',
    next: 'Paste the whole link again, exactly as you received it.',
  },
  storage_error: {
    title: 'Hushlink could not read or save its list on this computer.',
    next: 'Check that the disk is not full, then restart Hushlink.',
  },
  io_error: {
    title: 'Hushlink could not read or write a file on this computer.',
    next: 'Check that the disk is not full and that you may write to your Downloads folder, then try again.',
  },
  data_key_missing: {
    title: "Hushlink's key for your saved links is missing from the system keyring.",
    next: 'Links of earlier secrets cannot be shown again. New secrets work as usual.',
  },
  server_error: {
    title: 'The server had a problem on its side.',
    next: 'Try again in a few minutes. If it keeps happening, pick another server in Settings.',
  },
  rejected: {
    title: 'The server refused the request.',
    next: 'Check the text, expiry and passphrase, then try again.',
    withDetail: true,
  },
  unsupported: {
    title: 'This server does not support that.',
    next: 'Pick another server profile, or leave that option out.',
  },
  e2e_unsupported: {
    title: 'End-to-end encryption needs a Hushlink relay.',
    next: 'Choose a Hushlink relay as the server, or turn end-to-end encryption off.',
  },
  profile_not_found: {
    title: 'That server profile no longer exists.',
    next: 'Pick another server.',
  },
  profile_read_only: {
    title: 'Built-in server profiles cannot be changed.',
    next: 'Add your own profile instead.',
  },
  entry_not_found: {
    title: 'This secret is no longer in your list.',
    next: 'It may have been forgotten from another window. Go back to My secrets.',
  },
  decrypt_failed: {
    title: 'This secret could not be unlocked.',
    next: 'The link may be incomplete. Paste the whole link, including everything after the # sign.',
  },
  autostart_failed: {
    title: 'Your settings were saved, but starting Hushlink at login could not be changed.',
    next: 'This desktop may not allow it. Start Hushlink from the applications menu instead.',
  },
  relay_off: {
    title: 'The office relay is switched off.',
    next: 'Switch it on at the top of this screen, then try again.',
  },
  relay_failed: {
    title: 'The office relay could not start.',
    next: 'Pick another network in the list, or close another program that may be using the same port.',
  },
  relay_data_dir_in_use: {
    title: 'Another Hushlink relay is already running with this relay data.',
    next: 'Stop the other relay (hushlink-relay in a terminal or a service), then switch this one on again.',
  },
  not_found: {
    title: 'That no longer exists.',
    next: 'It may have been removed in the meantime. The list has been brought up to date.',
  },
  notification_failed: {
    title: 'The desktop notification could not be shown.',
    next: 'Nothing is lost; check My secrets for the status.',
  },
  // No words of their own (yet): the generic sentence.
  invalid_config: FALLBACK,
  recent_unavailable: FALLBACK,
  setup: FALLBACK,
  invite_malformed: FALLBACK,
  invalid_file: FALLBACK,
  relay_port_busy: FALLBACK,
  internal: FALLBACK,
};

/** The words for a failure of any kind. */
export function explain(error: unknown): Problem {
  const code = error instanceof BackendError ? error.code : 'internal';
  // A code this build does not know (never from its own backend) still gets a sentence.
  const words = (WORDS as Partial<Record<string, Words>>)[code] ?? FALLBACK;
  const detail = words.withDetail && error instanceof BackendError && error.message ? error.message : null;
  return { title: words.title, next: words.next, detail, code };
}
