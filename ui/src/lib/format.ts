// Time, expiry and strength in plain words, in the current language (i18n/). Unit-tested.
import type { Entry } from './bindings/Entry';
import type { Profile } from './bindings/Profile';
import type { SecretState } from './bindings/SecretState';
import { locale, t } from './i18n/i18n.svelte';

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;

/** The expiry choices of the New secret screen, shortest first; `label` is in the current language. */
export const EXPIRY_PRESETS: { seconds: number; readonly label: string }[] = [
  5 * MIN,
  15 * MIN,
  HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
].map((seconds) => ({
  seconds,
  get label() {
    return durationWords(seconds);
  },
}));

/**
 * Longest lifetime a profile's server accepts. `Profile` does not carry it yet, so it follows
 * the published limits (the same rule as `check_profile`): a Hushlink relay or an account
 * allows 14 days, anonymous use of an Onetime server 7 days.
 */
export function maxTtlFor(profile: Profile | undefined): number {
  if (!profile) return 7 * DAY;
  if (profile.kind === 'localRelay' || profile.hushlinkRelay || profile.hasToken) return 14 * DAY;
  return 7 * DAY;
}

/** A profile's name as the user reads it: the built-in "this computer" profile is named by the
 *  tracker in English, so the UI says it in the current language; other names are the user's
 *  or the server's own. */
export function profileName(profile: Pick<Profile, 'kind' | 'name'>): string {
  return profile.kind === 'localRelay' ? t('prof.kind.localRelay') : profile.name;
}

/** Presets allowed under `max`, and the wanted one or the longest allowed below it. */
export function expiryChoices(max: number, wanted: number): { choices: typeof EXPIRY_PRESETS; pick: number } {
  const choices = EXPIRY_PRESETS.filter((p) => p.seconds <= max);
  const fit = choices.filter((p) => p.seconds <= wanted);
  const pick = (fit[fit.length - 1] ?? choices[0] ?? EXPIRY_PRESETS[0]!).seconds;
  return { choices, pick };
}

/** "1 day", "15 minutes" for a whole number of days, hours or minutes (the presets); a
 *  rounded duration otherwise. */
export function durationWords(seconds: number): string {
  if (seconds > 0 && seconds % DAY === 0) return t('time.days', { count: seconds / DAY });
  if (seconds > 0 && seconds % HOUR === 0) return t('time.hours', { count: seconds / HOUR });
  if (seconds > 0 && seconds % MIN === 0) return t('time.minutes', { count: seconds / MIN });
  return timeLeftWords(seconds * 1000);
}

/** Remaining time, coarse on purpose: "3 days", "5 hours", "12 minutes", "less than a minute". */
export function timeLeftWords(ms: number): string {
  if (ms <= 0) return t('time.expired');
  const s = Math.floor(ms / 1000);
  if (s < MIN) return t('time.underMinute');
  if (s < HOUR) return t('time.minutes', { count: Math.floor(s / MIN) });
  if (s < 2 * DAY) return t('time.hours', { count: Math.floor(s / HOUR) });
  return t('time.days', { count: Math.floor(s / DAY) });
}

const STATES: readonly SecretState[] = ['unread', 'viewed', 'expired', 'burned', 'orphaned'];

/** A record whose values are read from the catalogue on each access (so they follow the
 *  language), keyed by state code. */
function byState(prefix: 'state' | 'stateHelp' | 'history'): Record<SecretState, string> {
  const words = {} as Record<SecretState, string>;
  for (const state of STATES) {
    Object.defineProperty(words, state, { enumerable: true, get: () => t(`${prefix}.${state}`) });
  }
  return words;
}

/** What the badge says for a state (the vocabulary: docs/vocabulary.md). Orphaned = the server
 *  no longer knows it, status unknown. */
export const STATE_WORDS: Record<SecretState, string> = byState('state');

/** A step in an entry's history, as a sentence fragment. */
export const HISTORY_WORDS: Record<SecretState, string> = byState('history');

/** The one-line explanation next to a status. */
export const STATE_HELP: Record<SecretState, string> = byState('stateHelp');

/** Time left for an active entry, or when it reached its final state. */
export function entryTiming(entry: Entry, now: number): string {
  if (entry.state === 'unread') {
    const left = entry.expiresAt - now;
    return left > 0 ? t('time.left', { time: timeLeftWords(left) }) : t('time.expiringNow');
  }
  return t('time.stateAt', { state: STATE_WORDS[entry.state], when: dateWords(entry.stateChangedAt, now) });
}

/** "today 14:05", "yesterday 09:12", or "3 Mar 2026, 09:12". */
export function dateWords(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  const time = d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
  const sameDay = (a: Date, b: Date) =>
    a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  if (sameDay(d, today)) return t('date.today', { time });
  const yesterday = new Date(now - DAY * 1000);
  if (sameDay(d, yesterday)) return t('date.yesterday', { time });
  const date = d.toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' });
  return t('date.full', { date, time });
}

export type Strength = { level: 0 | 1 | 2 | 3; words: string };

/** Strength in words from entropy bits (thresholds for offline guessing of a one-time secret). */
export function strengthOf(bits: number): Strength {
  const level = bits < 40 ? 0 : bits < 60 ? 1 : bits < 80 ? 2 : 3;
  return { level, words: t(`strength.${level}`) };
}

/** Splits "a@x.com, Sam; Kim\nLee" into trimmed, de-duplicated recipients. */
export function parseRecipients(raw: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(/[,;\n]/)) {
    const name = part.trim();
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.push(name);
    }
  }
  return out;
}

/** A data: URL for an SVG document from Rust, so it renders as an inert image (no scripts). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
