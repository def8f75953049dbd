// The relay panel's words: networks as a person knows them, and the activity log as sentences
// ("VPN password for Sam — opened from 10.77.0.4, 14:05"). Pure functions, unit-tested.
import type { ActivityAction } from './bindings/ActivityAction';
import type { ActivityLine } from './bindings/ActivityLine';
import type { InterfaceKind } from './bindings/InterfaceKind';
import type { NetworkInterface } from './bindings/NetworkInterface';
import { dateWords } from './format';

export const INTERFACE_WORDS: Record<InterfaceKind, string> = {
  ethernet: 'Ethernet',
  wifi: 'Wi-Fi',
  vpn: 'VPN',
  other: 'Network',
  virtual: 'Virtual network',
  loopback: 'This computer only',
};

/** "Wi-Fi (wlp2s0) — 192.168.1.20 · recommended", or "This computer only". */
export function interfaceLabel(i: NetworkInterface): string {
  if (i.kind === 'loopback') return INTERFACE_WORDS.loopback;
  const label = `${INTERFACE_WORDS[i.kind]} (${i.name}) — ${i.address}`;
  return i.isDefault ? `${label} · recommended` : label;
}

/** What happened, as the tail of a sentence about a secret. */
export const ACTIVITY_VERBS: Record<ActivityAction, string> = {
  create: 'shared',
  viewPage: 'link visited (not revealed yet)',
  reveal: 'opened',
  failedPassphrase: 'wrong passphrase tried',
  burn: 'burned',
  expire: 'expired unopened',
};

/** "14:05" today, "yesterday 09:12" or "3 Mar 2026, 09:12" before. */
export function clockWords(ms: number, now: number): string {
  const words = dateWords(ms, now);
  return words.startsWith('today ') ? words.slice('today '.length) : words;
}

export type ActivityParts = {
  /** Who the secret is: the user's label, a colleague's token, or "A secret". */
  subject: string;
  /** The user's own secret, to open its detail; `null` for others'. */
  entryId: string | null;
  /** " — opened from 10.77.0.4, 14:05". */
  rest: string;
};

/** A log line in parts, so the screen can make the user's own secrets clickable. */
export function activityParts(line: ActivityLine, now: number): ActivityParts {
  const s = line.subject;
  const subject =
    s.kind === 'own' ? s.label : s.kind === 'colleague' ? `A secret from ${s.tokenName}'s token` : 'A secret';
  const from = line.fromIp ? ` from ${line.fromIp}` : '';
  return {
    subject,
    entryId: s.kind === 'own' ? s.entryId : null,
    rest: ` — ${ACTIVITY_VERBS[line.action]}${from}, ${clockWords(line.at, now)}`,
  };
}

/** "VPN password for Sam — opened from 10.77.0.4, 14:05". */
export function activitySentence(line: ActivityLine, now: number): string {
  const parts = activityParts(line, now);
  return parts.subject + parts.rest;
}
