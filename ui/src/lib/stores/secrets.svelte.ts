// The tracked secrets, kept live from `secretChanged` events. The whole list is loaded once
// and filtered here, so typing in the search box never waits for the backend.
import type { Entry } from '../bindings/Entry';
import type { SecretState } from '../bindings/SecretState';
import type { BackendError } from '../backend/ipc';
import { toBackendError } from '../backend/ipc';
import type { AppEvent } from '../bindings/AppEvent';
import { listSecrets } from '../backend/secrets';
import { dateWords } from '../format';
import { locale, t } from '../i18n/i18n.svelte';

export type StateFilter = 'all' | 'active' | 'viewed' | 'ended';

export type EntryOrder = 'newest' | 'expiring' | 'changed';

export type EntryQuery = { show: StateFilter; search: string; profileId: string | null; order?: EntryOrder };

const FILTER_STATES: Record<StateFilter, SecretState[] | null> = {
  all: null,
  active: ['unread'],
  viewed: ['viewed'],
  ended: ['expired', 'burned', 'orphaned'],
};

const ORDERS: Record<Exclude<EntryOrder, 'newest'>, (a: Entry, b: Entry) => number> = {
  // Active links that die first on top; finished ones after, most recent first.
  expiring: (a, b) =>
    Number(b.state === 'unread') - Number(a.state === 'unread') ||
    (a.state === 'unread' ? a.expiresAt - b.expiresAt : b.stateChangedAt - a.stateChangedAt),
  changed: (a, b) => b.stateChangedAt - a.stateChangedAt,
};

/** Entries matching the query; newest first unless another order is asked for. */
export function filterEntries(entries: readonly Entry[], query: EntryQuery): Entry[] {
  const states = FILTER_STATES[query.show];
  const needle = query.search.trim().toLowerCase();
  const found = entries.filter(
    (e) =>
      (!states || states.includes(e.state)) &&
      (!query.profileId || e.profileId === query.profileId) &&
      (!needle || e.label.toLowerCase().includes(needle) || (e.recipient ?? '').toLowerCase().includes(needle)),
  );
  return !query.order || query.order === 'newest' ? found : found.sort(ORDERS[query.order]);
}

/** A row's two lines in My secrets. */
export type RowName = { title: string; sub: string };

/**
 * What each row of My secrets says, by entry id. A row without a note is named by when it
 * was shared; its second line says for whom and through which server. No two rows read the
 * same: rows that would (same minute, recipient and server) get the time to the second, and a
 * number should even that tie.
 */
export function rowNames(
  entries: readonly Entry[],
  profileName: (id: string) => string,
  now: number,
): Record<string, RowName> {
  const names: Record<string, RowName> = {};
  const byText: Record<string, Entry[]> = {};
  for (const e of entries) {
    const title = e.label.trim() || t('mySecrets.row.untitled', { when: dateWords(e.createdAt, now) });
    const who = e.recipient ? t('mySecrets.row.for', { name: e.recipient }) : t('mySecrets.row.noRecipient');
    const sub = `${who} · ${profileName(e.profileId)}`;
    names[e.id] = { title, sub };
    (byText[`${title}\n${sub}`] ??= []).push(e);
  }
  const seconds = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  for (const same of Object.values(byText)) {
    if (same.length < 2) continue;
    const seen: Record<string, number> = {};
    for (const e of same) {
      const at = seconds.format(e.createdAt);
      const count = (seen[at] = (seen[at] ?? 0) + 1);
      names[e.id]!.sub += ` · ${t('mySecrets.row.sharedAt', { time: at })}${count > 1 ? ` (${count})` : ''}`;
    }
  }
  return names;
}

export class SecretsStore {
  /** Newest first. Raw: replaced as a whole on every change, which is cheap at 1,000. */
  entries: Entry[] = $state.raw([]);
  loaded = $state(false);
  problem: BackendError | null = $state(null);

  async load(): Promise<void> {
    try {
      this.entries = [...(await listSecrets())].sort((a, b) => b.createdAt - a.createdAt);
      this.problem = null;
    } catch (error) {
      this.problem = toBackendError(error);
    } finally {
      this.loaded = true;
    }
  }

  get(id: string): Entry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** Adds a new entry at the top or replaces the one with the same id in place. */
  upsert(entry: Entry): void {
    const at = this.entries.findIndex((e) => e.id === entry.id);
    if (at === -1) {
      this.entries = [entry, ...this.entries].sort((a, b) => b.createdAt - a.createdAt);
    } else {
      this.entries = this.entries.map((e, i) => (i === at ? entry : e));
    }
  }

  remove(id: string): void {
    this.entries = this.entries.filter((e) => e.id !== id);
  }

  /** Applies an event from the shell; returns whether it concerned the list. */
  handle(event: AppEvent): boolean {
    if (event.type === 'secretChanged') {
      this.upsert(event.entry);
      return true;
    }
    if (event.type === 'secretForgotten') {
      this.remove(event.id);
      return true;
    }
    return false;
  }

  counts(): Record<StateFilter, number> {
    const c = { all: this.entries.length, active: 0, viewed: 0, ended: 0 };
    for (const e of this.entries) {
      if (e.state === 'unread') c.active++;
      else if (e.state === 'viewed') c.viewed++;
      else c.ended++;
    }
    return c;
  }
}

export const secrets = new SecretsStore();
