// Time, expiry and strength in plain words. Pure functions, unit-tested.
import type { Entry } from './bindings/Entry';
import type { Profile } from './bindings/Profile';
import type { SecretState } from './bindings/SecretState';

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;

/** The expiry choices of the New secret screen, shortest first. */
export const EXPIRY_PRESETS: { seconds: number; label: string }[] = [
  { seconds: 5 * MIN, label: '5 minutes' },
  { seconds: 15 * MIN, label: '15 minutes' },
  { seconds: HOUR, label: '1 hour' },
  { seconds: DAY, label: '1 day' },
  { seconds: 2 * DAY, label: '2 days' },
  { seconds: 7 * DAY, label: '7 days' },
  { seconds: 14 * DAY, label: '14 days' },
];

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

/** Presets allowed under `max`, and the wanted one or the longest allowed below it. */
export function expiryChoices(max: number, wanted: number): { choices: typeof EXPIRY_PRESETS; pick: number } {
  const choices = EXPIRY_PRESETS.filter((p) => p.seconds <= max);
  const fit = choices.filter((p) => p.seconds <= wanted);
  const pick = (fit[fit.length - 1] ?? choices[0] ?? EXPIRY_PRESETS[0]!).seconds;
  return { choices, pick };
}

/** "1 day", "15 minutes" for a preset; a rounded duration otherwise. */
export function durationWords(seconds: number): string {
  const preset = EXPIRY_PRESETS.find((p) => p.seconds === seconds);
  if (preset) return preset.label;
  return timeLeftWords(seconds * 1000);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Remaining time, coarse on purpose: "3 days", "5 hours", "12 minutes", "less than a minute". */
export function timeLeftWords(ms: number): string {
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  if (s < MIN) return 'less than a minute';
  if (s < HOUR) return plural(Math.floor(s / MIN), 'minute');
  if (s < 2 * DAY) return plural(Math.floor(s / HOUR), 'hour');
  return plural(Math.floor(s / DAY), 'day');
}

/** What the badge says for a state. Orphaned = the server no longer knows it, status unknown. */
export const STATE_WORDS: Record<SecretState, string> = {
  unread: 'Active',
  viewed: 'Viewed',
  expired: 'Expired',
  burned: 'Burned',
  orphaned: 'Unknown',
};

/** A step in an entry's history, as a sentence fragment. */
export const HISTORY_WORDS: Record<SecretState, string> = {
  unread: 'Shared',
  viewed: 'Opened by the recipient',
  expired: 'Expired without being opened',
  burned: 'Burned',
  orphaned: 'Server lost track of it',
};

/** The one-line explanation next to a status. */
export const STATE_HELP: Record<SecretState, string> = {
  unread: 'Waiting to be opened. The link still works.',
  viewed: 'Opened by the recipient. The link no longer works.',
  expired: 'Nobody opened it in time. The link no longer works.',
  burned: 'Destroyed before anyone opened it. The link no longer works.',
  orphaned: 'The server no longer knows this secret, so its status cannot be checked.',
};

/** Time left for an active entry, or when it reached its final state. */
export function entryTiming(entry: Entry, now: number): string {
  if (entry.state === 'unread') {
    const left = entry.expiresAt - now;
    return left > 0 ? `${timeLeftWords(left)} left` : 'expiring now';
  }
  return `${STATE_WORDS[entry.state]} ${dateWords(entry.stateChangedAt, now)}`;
}

/** "today 14:05", "yesterday 09:12", or "3 Mar 2026, 09:12". */
export function dateWords(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameDay = (a: Date, b: Date) =>
    a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  if (sameDay(d, today)) return `today ${time}`;
  const yesterday = new Date(now - DAY * 1000);
  if (sameDay(d, yesterday)) return `yesterday ${time}`;
  const date = d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  return `${date}, ${time}`;
}

export type Strength = { level: 0 | 1 | 2 | 3; words: string };

/** Strength in words from entropy bits (thresholds for offline guessing of a one-time secret). */
export function strengthOf(bits: number): Strength {
  if (bits < 40) return { level: 0, words: 'Weak' };
  if (bits < 60) return { level: 1, words: 'Fair' };
  if (bits < 80) return { level: 2, words: 'Strong' };
  return { level: 3, words: 'Very strong' };
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
