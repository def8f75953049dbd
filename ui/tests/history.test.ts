import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { receiveSecret } from '../src/lib/backend/secrets';
import { explain } from '../src/lib/errors';
import { BackendError } from '../src/lib/backend/ipc';
import { ACTION_WORDS, DETAIL_WORDS, detailWords } from '../src/lib/history-words';
import de from '../src/lib/i18n/de.json';
import en from '../src/lib/i18n/en.json';
import es from '../src/lib/i18n/es.json';
import fr from '../src/lib/i18n/fr.json';
import nl from '../src/lib/i18n/nl.json';
import pt from '../src/lib/i18n/pt.json';
import { format, i18n } from '../src/lib/i18n/i18n.svelte';
import History from '../src/lib/screens/History.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { englishLeft } from './english-left';
import { called, freshBackend } from './setup-dom';

const what = () => screen.getByLabelText(en['historyScreen.what']);

/** Texts that are names, the same in every language: the fake's notes, servers and export path. */
async function names(): Promise<string[]> {
  const fake = await freshBackend({ entries: 6 });
  const path = '/home/user/Downloads/hushlink-history.csv';
  return [...fake.entries.map((e) => e.label), ...prefs.profiles.map((p) => p.name), path];
}

describe('History', () => {
  it('asks the backend with the chosen filter and exports a CSV', async () => {
    const fake = await freshBackend({ entries: 4 });
    render(History);
    await screen.findByTestId('history-table');
    await fireEvent.change(what(), { target: { value: 'viewed' } });
    await waitFor(() =>
      expect(called(fake, 'list_history').at(-1)?.args).toMatchObject({ filter: { kinds: ['viewed'], search: null } }),
    );
    await fireEvent.click(screen.getByRole('button', { name: en['historyScreen.export'] }));
    const path = '/home/user/Downloads/hushlink-history.csv';
    expect((await screen.findByRole('status')).textContent).toBe(format('en', 'historyScreen.saved', { path }));
    expect(called(fake, 'export_history').at(-1)?.args).toMatchObject({ filter: { kinds: ['viewed'], limit: null } });
  });

  it('shows the Details column only when a row has details', async () => {
    const link = 'https://eu.onetimesecret.com/secret/abc123';
    await freshBackend({ entries: 3, receivable: { [link]: { text: 'door code' } } });
    render(History);
    const table = await screen.findByTestId('history-table');
    expect(table.querySelectorAll('thead th')).toHaveLength(4);
    expect(table.querySelectorAll('tbody tr:first-child td')).toHaveLength(4);

    // A received secret says where it came from: now there is something to show.
    await receiveSecret(link, null);
    await fireEvent.change(what(), { target: { value: 'received' } });
    await waitFor(() => expect(table.querySelectorAll('thead th')).toHaveLength(5));
  });

  it('names each kind with the vocabulary a secret\'s own history uses', async () => {
    await freshBackend({ entries: 4 });
    render(History);
    const table = await screen.findByTestId('history-table');
    const cells = [...table.querySelectorAll<HTMLElement>('td[data-kind]')];
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) {
      const kind = cell.dataset.kind!;
      const state = { created: 'unread', viewed: 'viewed', burned: 'burned', expired: 'expired', orphaned: 'orphaned' }[kind];
      if (state) expect(cell.textContent, kind).toBe(en[`history.${state}` as keyof typeof en]);
    }
  });

  it('speaks German: filters, table and the export note', async () => {
    const left = await englishLeft(async () => {
      const fake = await freshBackend({ entries: 6 });
      render(History);
      await screen.findByTestId('history-table');
      await fireEvent.click(screen.getByTestId('history-export'));
      await screen.findByRole('status');
      return fake;
    }, 'de', await names());
    expect(left).toEqual([]);
  });

  it('says the tracker\'s details in the current language, and old unreadable ones as stored', () => {
    try {
      i18n.choose('de');
      expect(detailWords({ detail: { code: 'received', args: { host: 'eu.onetimesecret.com' } } })).toBe(
        format('de', 'historyScreen.detail.received', { host: 'eu.onetimesecret.com' }),
      );
      const failed = detailWords({ detail: { code: 'failed', args: { action: 'create', error: 'server_unreachable' } } });
      expect(failed).toBe(
        format('de', 'historyScreen.detail.failed', {
          action: format('de', 'historyScreen.action.create'),
          problem: explain(new BackendError('server_unreachable', '')).title,
        }),
      );
      expect(failed).not.toContain('server_unreachable');
      expect(detailWords({ detail: { code: 'legacy', args: { text: 'rename: storage_error' } } })).toBe('rename: storage_error');
      expect(detailWords({ detail: null })).toBe('');
    } finally {
      i18n.choose(null);
    }
  });

  it('has words for every detail code and action in every language, naming only their args', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const args = { received: ['host'], failed: ['action', 'problem'] } satisfies Record<keyof typeof DETAIL_WORDS, string[]>;
    for (const [lang, catalogue] of Object.entries({ en, de, fr, es, nl, pt } as Record<string, Record<string, string>>)) {
      for (const [code, key] of Object.entries(DETAIL_WORDS)) {
        expect(catalogue[key], `${lang} ${key}`).toBeTruthy();
        expect(placeholders(catalogue[key]!), `${lang} ${key}`).toEqual(args[code as keyof typeof args]);
      }
      for (const key of Object.values(ACTION_WORDS)) expect(catalogue[key], `${lang} ${key}`).toBeTruthy();
    }
  });

  it('speaks German in the details too: received, and what failed and why', async () => {
    const link = 'https://eu.onetimesecret.com/secret/abc123';
    const left = await englishLeft(async () => {
      const fake = await freshBackend({ entries: 2, receivable: { [link]: { text: 'door code', passphrase: 'pw' } } });
      await receiveSecret(link, 'wrong').catch(() => undefined);
      await receiveSecret(link, 'pw');
      await receiveSecret(link, 'pw').catch(() => undefined);
      render(History);
      const table = await screen.findByTestId('history-table');
      await waitFor(() => expect(table.querySelectorAll('tbody tr')).toHaveLength(5));
      expect(table.querySelectorAll('thead th')).toHaveLength(5);
      return fake;
    }, 'de', [...(await names()), 'eu.onetimesecret.com']);
    expect(left).toEqual([]);
  });

  it('explains a failure to load', async () => {
    await freshBackend({ failing: { list_history: 'storage_error' } });
    render(History);
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not read or save its list on this computer/);
  });
});
