import { describe, expect, it } from 'vitest';
import type { Entry } from '../src/lib/bindings/Entry';
import { format, i18n } from '../src/lib/i18n/i18n.svelte';
import { filterEntries, rowNames, SecretsStore } from '../src/lib/stores/secrets.svelte';

function entry(id: string, patch: Partial<Entry> = {}): Entry {
  return {
    id, label: `Label ${id}`, profileId: 'eu', recipient: null, createdAt: Number(id), expiresAt: Number(id) + 1000,
    hasPassphrase: false, endToEnd: false, notify: true, state: 'unread', stateChangedAt: Number(id), lastCheckedAt: null,
    ...patch,
  };
}

describe('rowNames', () => {
  const T = Date.UTC(2026, 11, 7, 9, 30, 0);
  const server = (id: string) => (id === 'eu' ? 'Europe' : id);

  it('names a row without a note by when, for whom and where it was shared', () => {
    const names = rowNames([entry('1', { label: '', createdAt: T, recipient: 'Sam' }), entry('2', { label: 'VPN' })], server, T);
    expect(names['1']!.title).not.toBe('');
    expect(names['1']!.title).not.toBe(names['2']!.title);
    expect(names['1']!.sub).toContain('Sam');
    expect(names['1']!.sub).toContain('Europe');
    expect(names['2']!.title).toBe('VPN');
  });

  it('never gives two rows the same words, even shared in the same second', () => {
    const same = { label: '', recipient: 'Sam', profileId: 'eu' };
    const list = [
      entry('a', { ...same, createdAt: T + 1_000 }),
      entry('b', { ...same, createdAt: T + 2_000 }),
      entry('c', { ...same, createdAt: T + 2_000 }),
      entry('d', { ...same, label: 'Wi-Fi', createdAt: T }),
      entry('e', { ...same, label: 'Wi-Fi', createdAt: T }),
    ];
    const names = rowNames(list, server, T + 60_000);
    const words = list.map((e) => `${names[e.id]!.title}|${names[e.id]!.sub}`);
    expect(new Set(words).size).toBe(list.length);
  });

  it('speaks the current language', () => {
    const list = [entry('1', { label: '', createdAt: T, recipient: 'Sam' }), entry('2', { label: '', createdAt: T })];
    try {
      i18n.choose('de');
      const names = rowNames(list, server, T);
      expect(names['1']!.sub).toContain(format('de', 'mySecrets.row.for', { name: 'Sam' }));
      expect(names['2']!.sub).toContain(format('de', 'mySecrets.row.noRecipient'));
      expect(names['2']!.title.startsWith(format('de', 'mySecrets.row.untitled', { when: '' }).trim())).toBe(true);
    } finally {
      i18n.choose(null);
    }
  });
});

describe('filterEntries', () => {
  const all = [
    entry('3', { label: 'VPN for Sam', state: 'unread' }),
    entry('2', { recipient: 'kim@example.org', state: 'viewed' }),
    entry('1', { state: 'burned', profileId: 'us' }),
  ];

  it('filters by state group', () => {
    expect(filterEntries(all, { show: 'active', search: '', profileId: null }).map((e) => e.id)).toEqual(['3']);
    expect(filterEntries(all, { show: 'ended', search: '', profileId: null }).map((e) => e.id)).toEqual(['1']);
  });

  it('searches label and recipient, case-insensitively', () => {
    expect(filterEntries(all, { show: 'all', search: 'vpn', profileId: null }).map((e) => e.id)).toEqual(['3']);
    expect(filterEntries(all, { show: 'all', search: 'KIM@', profileId: null }).map((e) => e.id)).toEqual(['2']);
  });

  it('orders by expiry (active first) or by latest change', () => {
    const list = [
      entry('1', { expiresAt: 9000 }),
      entry('2', { state: 'viewed', stateChangedAt: 50 }),
      entry('3', { expiresAt: 5000 }),
      entry('4', { state: 'burned', stateChangedAt: 70 }),
    ];
    const ids = (order: 'expiring' | 'changed') =>
      filterEntries(list, { show: 'all', search: '', profileId: null, order }).map((e) => e.id);
    expect(ids('expiring')).toEqual(['3', '1', '4', '2']);
    expect(ids('changed')).toEqual(['4', '2', '3', '1']);
    // The input is never reordered in place.
    expect(list.map((e) => e.id)).toEqual(['1', '2', '3', '4']);
  });

  it('filters by server', () => {
    expect(filterEntries(all, { show: 'all', search: '', profileId: 'us' }).map((e) => e.id)).toEqual(['1']);
  });
});

describe('SecretsStore', () => {
  it('replaces a changed entry in place and keeps the order', () => {
    const store = new SecretsStore();
    store.entries = [entry('3'), entry('2'), entry('1')];
    expect(store.handle({ type: 'secretChanged', entry: entry('2', { state: 'viewed' }) })).toBe(true);
    expect(store.entries.map((e) => `${e.id}:${e.state}`)).toEqual(['3:unread', '2:viewed', '1:unread']);
  });

  it('puts a new entry at the top and drops a forgotten one', () => {
    const store = new SecretsStore();
    store.entries = [entry('2'), entry('1')];
    store.handle({ type: 'secretChanged', entry: entry('5') });
    store.handle({ type: 'secretForgotten', id: '1' });
    expect(store.entries.map((e) => e.id)).toEqual(['5', '2']);
  });

  it('ignores events that are not about secrets', () => {
    const store = new SecretsStore();
    expect(store.handle({ type: 'windowShown', source: 'tray' })).toBe(false);
  });

  it('counts by group', () => {
    const store = new SecretsStore();
    store.entries = [entry('1'), entry('2', { state: 'viewed' }), entry('3', { state: 'expired' }), entry('4', { state: 'orphaned' })];
    expect(store.counts()).toEqual({ all: 4, active: 1, viewed: 1, ended: 2 });
  });
});
