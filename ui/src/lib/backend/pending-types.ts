// Boundary types the Rust side has not generated yet. Each one is a promise to the lead
// engineer: generate a Rust twin with this exact name and shape (ts-rs, camelCase), then
// delete it here and import it from `../bindings/` instead.
import type { AccessLogEntry } from '../bindings/AccessLogEntry';
import type { AppEvent } from '../bindings/AppEvent';
import type { Entry } from '../bindings/Entry';
import type { RelayStatus } from '../bindings/RelayStatus';

// TODO(generated): replace with bindings/CreateRequest
/** What "Create link" sends. One link is made per recipient; no recipient => one link. */
export type CreateRequest = {
  /** The secret itself. */
  text: string;
  /** Optional passphrase the recipient must type. */
  passphrase: string | null;
  /** Lifetime in seconds (one of the presets, at most the server's maximum). */
  ttlSeconds: number;
  /** Who each link is for (free text or e-mail); empty = one link for nobody in particular. */
  recipients: string[];
  /** The user's own label, e.g. "VPN password for Sam". */
  label: string;
  /** Server profile; `null` = the default profile. */
  profileId: string | null;
  /** Encrypt in the app, key only in the link's fragment (Hushlink relays only). */
  endToEnd: boolean;
};

// TODO(generated): replace with bindings/CreatedSecret
/** One created link. The share screen asks `copy_link` for it; creating copies nothing. */
export type CreatedSecret = {
  /** The tracked entry. */
  entry: Entry;
  /** The share link. */
  link: string;
  /** QR code of the link, a complete `<svg>` document rendered in Rust. */
  qrSvg: string;
};

// TODO(generated): replace with bindings/ShareView
/** The link of an active secret, shown again. */
export type ShareView = {
  link: string;
  qrSvg: string;
  /** Unix ms. */
  expiresAt: number;
};

// TODO(generated): replace with bindings/ReceivedSecret
/** A secret someone sent us, revealed (and so destroyed on the server). */
export type ReceivedSecret = {
  text: string;
};

// TODO(generated): replace with bindings/ConnectionCheck
/** Result of "Check connection" on a profile. A failure is a `BackendError`, not this. */
export type ConnectionCheck = {
  /** The server answered as an Onetime server. */
  ok: boolean;
  /** The credentials were accepted (false when the profile has none). */
  authenticated: boolean;
  /** Round trip in milliseconds. */
  latencyMs: number;
  /** Longest lifetime the server accepts for this profile, in seconds. */
  maxTtlSecs: number;
};

// TODO(generated): replace with bindings/RelayPanelStatus
/**
 * The app's relay as the Relay screen shows it. Named apart from the relay crate's
 * `RelayStatus` (its counts), which it carries while running.
 */
export type RelayPanelStatus = {
  running: boolean;
  /** The address other people use, e.g. `http://192.168.1.20:7143/`; null when off. */
  url: string | null;
  /** The address it listens on (or will), e.g. `192.168.1.20`. */
  bind: string;
  port: number;
  /** QR code of `url`, an `<svg>` document; null when off. */
  qrSvg: string | null;
  /** Counts from the relay crate while running. */
  counts: RelayStatus | null;
};

// TODO(generated): replace with bindings/NetworkInterface
/** A network interface the relay can listen on. */
export type NetworkInterface = {
  /** System name, e.g. `enp3s0`. */
  name: string;
  /** Its IP address (the `bind` value for `set_relay`). */
  address: string;
  /** Loopback: only this computer can reach it. */
  loopback: boolean;
};

// TODO(generated): replace with bindings/NewToken
/** A token just created: the only time the secret part is shown. */
export type NewToken = {
  /** Public id, used to revoke it. */
  id: string;
  name: string;
  /** The token to hand to a colleague's app. Never shown again. */
  token: string;
  /** Unix seconds. */
  created_at: number;
};

/** Screens the shell can ask for (tray "New secret…" sends `newSecret`). */
export type Screen = 'newSecret' | 'secrets' | 'open' | 'relay' | 'history' | 'settings';

// TODO(generated): replace with bindings/AppEvent (these variants added to it)
/** Every event on `hushlink://event`: the generated ones plus those still to come. */
export type HushlinkEvent =
  | AppEvent
  | { type: 'secretChanged'; entry: Entry }
  | { type: 'secretForgotten'; id: string }
  | { type: 'relayChanged'; status: RelayPanelStatus }
  | { type: 'accessLogged'; entry: AccessLogEntry }
  | { type: 'navigate'; screen: Screen };
