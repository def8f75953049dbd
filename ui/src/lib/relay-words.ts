// The relay panel's words: networks as a person knows them, and the activity log as sentences
// ("VPN password for Sam — opened from 10.77.0.4, 14:05"), in the current language. Unit-tested.
import type { ActivityAction } from './bindings/ActivityAction';
import type { ActivityLine } from './bindings/ActivityLine';
import type { InterfaceKind } from './bindings/InterfaceKind';
import type { NetworkInterface } from './bindings/NetworkInterface';
import { dateWords } from './format';
import { locale, t, type MessageKey } from './i18n/i18n.svelte';

const INTERFACE_KINDS: readonly InterfaceKind[] = ['ethernet', 'wifi', 'vpn', 'other', 'virtual', 'loopback'];
const ACTIONS: readonly ActivityAction[] = ['create', 'viewPage', 'reveal', 'failedPassphrase', 'burn', 'expire'];

/** A record whose values are read from the catalogue on each access, so they follow the language. */
function fromCatalogue<K extends string>(keys: readonly K[], key: (k: K) => MessageKey): Record<K, string> {
  const words = {} as Record<K, string>;
  for (const k of keys) Object.defineProperty(words, k, { enumerable: true, get: () => t(key(k)) });
  return words;
}

export const INTERFACE_WORDS: Record<InterfaceKind, string> = fromCatalogue(INTERFACE_KINDS, (k) => `network.${k}`);

/** "Wi-Fi (wlp2s0) — 192.168.1.20 · recommended", or "This computer only". */
export function interfaceLabel(i: NetworkInterface): string {
  if (i.kind === 'loopback') return INTERFACE_WORDS.loopback;
  const label = t('network.label', { kind: INTERFACE_WORDS[i.kind], name: i.name, address: i.address });
  return i.isDefault ? t('network.recommended', { label }) : label;
}

/** What happened, as the tail of a sentence about a secret (the vocabulary: docs/vocabulary.md). */
export const ACTIVITY_VERBS: Record<ActivityAction, string> = fromCatalogue(ACTIONS, (a) => `activity.${a}`);

/** "14:05" today, "yesterday 09:12" or "3 Mar 2026, 09:12" before. */
export function clockWords(ms: number, now: number): string {
  const d = new Date(ms);
  const today = new Date(now);
  if (d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate()) {
    return d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
  }
  return dateWords(ms, now);
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
    s.kind === 'own' ? s.label : s.kind === 'colleague' ? t('activity.colleague', { name: s.tokenName }) : t('activity.someone');
  const action = ACTIVITY_VERBS[line.action];
  const time = clockWords(line.at, now);
  return {
    subject,
    entryId: s.kind === 'own' ? s.entryId : null,
    rest: line.fromIp ? t('activity.restFrom', { action, ip: line.fromIp, time }) : t('activity.rest', { action, time }),
  };
}

/** "VPN password for Sam — opened from 10.77.0.4, 14:05". */
export function activitySentence(line: ActivityLine, now: number): string {
  const parts = activityParts(line, now);
  return parts.subject + parts.rest;
}
