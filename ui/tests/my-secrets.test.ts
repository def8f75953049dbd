import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { createSecrets } from '../src/lib/backend/secrets';
import en from '../src/lib/i18n/en.json';
import { format } from '../src/lib/i18n/i18n.svelte';
import MySecrets from '../src/lib/screens/MySecrets.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { secrets } from '../src/lib/stores/secrets.svelte';
import { englishLeft } from './english-left';
import { called, freshBackend } from './setup-dom';

/** The radio button of a state filter, by its code. */
const filter = (value: string) => document.querySelector<HTMLInputElement>(`input[name="show"][value="${value}"]`)!;
const count = () => screen.getByTestId('result-count').textContent;

/** Texts that are names, the same in every language: the fake's notes and servers, a recipient. */
async function names(entries: number): Promise<string[]> {
  const fake = await freshBackend({ entries });
  return [...fake.entries.map((e) => e.label), ...prefs.profiles.map((p) => p.name), 'Sam'];
}

async function setup(entries: number) {
  const fake = await freshBackend({ entries });
  await secrets.load();
  render(MySecrets);
  return fake;
}

describe('My secrets', () => {
  it('filters by state and search, and says how many match', async () => {
    await setup(10);
    expect(count()).toBe(format('en', 'mySecrets.count', { count: 10 }));
    await fireEvent.click(filter('viewed'));
    expect(count()).toBe(format('en', 'mySecrets.countOf', { shown: 2, total: 10 }));
    for (const row of screen.getAllByTestId('secret-row')) expect(row.querySelector('[data-state="viewed"]')).toBeTruthy();
    await fireEvent.click(filter('all'));
    await fireEvent.input(screen.getByLabelText(en['mySecrets.search']), { target: { value: 'printer' } });
    expect(count()).toBe(format('en', 'mySecrets.countOf', { shown: 2, total: 10 }));
    await fireEvent.input(screen.getByLabelText(en['mySecrets.search']), { target: { value: 'zzz' } });
    expect(screen.queryAllByTestId('secret-row')).toHaveLength(0);
    expect(screen.getByText(format('en', 'mySecrets.noMatch', { all: en['mySecrets.filter.all'] }))).toBeTruthy();
  });

  it('counts in the plural rules of the language', async () => {
    await setup(1);
    expect(count()).toBe(format('en', 'mySecrets.count', { count: 1 }));
    expect(format('en', 'mySecrets.count', { count: 1 })).not.toBe(format('en', 'mySecrets.count', { count: 2 }).replace('2', '1'));
    expect(format('de', 'mySecrets.countOf', { shown: 1, total: 3 })).toBe('1 von 3 Geheimnissen');
  });

  it('names rows without a note by when, for whom and where, never alike', async () => {
    await freshBackend({ entries: 0 });
    const request = { text: 't', passphrase: null, ttlMs: 3_600_000, label: '', profileId: null, endToEnd: false, emailLinks: false };
    await createSecrets({ ...request, recipients: ['Sam'] });
    await createSecrets({ ...request, recipients: ['Sam'] });
    await secrets.load();
    render(MySecrets);
    const rows = screen.getAllByTestId('secret-row');
    expect(rows).toHaveLength(2);
    const words = rows.map((r) => {
      const title = r.querySelector('[data-testid="row-title"]')!.textContent!.trim();
      const sub = r.querySelector('[data-testid="row-sub"]')!.textContent!;
      expect(title).not.toBe('');
      expect(sub).toContain('Sam');
      return `${title}|${sub}`;
    });
    expect(words[0]).not.toBe(words[1]);
  });

  it('moves between rows with the arrow keys', async () => {
    await setup(5);
    const rows = screen.getAllByTestId('secret-row');
    rows[0]!.focus();
    await fireEvent.keyDown(rows[0]!, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('1'));
    await fireEvent.keyDown(document.activeElement!, { key: 'End' });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('4'));
  });

  it('opens a detail with history, the link again, burn and forget', async () => {
    const fake = await setup(3);
    const first = fake.entries[0]!;
    await fireEvent.click(screen.getAllByTestId('secret-row')[0]!);
    await screen.findByRole('heading', { name: first.label });
    const steps = () => [...screen.getByTestId('history').querySelectorAll('li')].map((li) => li.dataset.step);
    await waitFor(() => expect(steps()).toEqual(['unread']));

    await fireEvent.click(screen.getByRole('button', { name: en['secretDetail.showLink'] }));
    expect(await screen.findByRole('img', { name: en['share.qr'] })).toBeTruthy();

    // A live change (as from the poller) shows at once and hides the link.
    fake.setState(first.id, 'viewed');
    secrets.upsert(fake.entries[0]!);
    await waitFor(() => expect(screen.queryByRole('img', { name: en['share.qr'] })).toBeNull());
    await waitFor(() => expect(steps()).toEqual(['unread', 'viewed']));
    expect(screen.getByTestId('history').textContent).toContain(en['history.viewed']);
    expect(screen.queryByTestId('destroy')).toBeNull();

    await fireEvent.click(screen.getByTestId('remove'));
    await fireEvent.click(screen.getByTestId('remove-yes'));
    await screen.findByRole('heading', { name: en['mySecrets.title'] });
    expect(count()).toBe(format('en', 'mySecrets.count', { count: 2 }));
    expect(called(fake, 'forget_secret')[0]?.args).toEqual({ id: first.id });
  });

  it('goes back to the list with Escape, to the row it came from', async () => {
    await setup(4);
    await fireEvent.click(screen.getAllByTestId('secret-row')[1]!);
    await screen.findByRole('button', { name: en['secretDetail.back'] });
    await fireEvent.click(screen.getByTestId('destroy'));
    await fireEvent.keyDown(window, { key: 'Escape' });
    // The first Escape only cancels the confirmation.
    expect(screen.getByTestId('destroy')).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByRole('heading', { name: en['mySecrets.title'] });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('1'));
  });

  it('shows the empty state with one clear action', async () => {
    await setup(0);
    expect(screen.getByText(en['mySecrets.empty'])).toBeTruthy();
    expect(screen.getByRole('button', { name: en['mySecrets.first'] })).toBeTruthy();
  });

  it('speaks German: the list, its filters and rows without a note', async () => {
    const left = await englishLeft(async () => {
      await freshBackend({ entries: 6 });
      const request = { text: 't', passphrase: null, ttlMs: 3_600_000, label: '', profileId: null, endToEnd: false, emailLinks: false };
      await createSecrets({ ...request, recipients: ['Sam'] });
      await createSecrets({ ...request, recipients: [] });
      await secrets.load();
      render(MySecrets);
      // A filtered view: "n of m" and every filter chip.
      await fireEvent.click(filter('active'));
    }, 'de', await names(6));
    expect(left).toEqual([]);
  });

  it('speaks German: a detail with its link, history and the remove question', async () => {
    const left = await englishLeft(async () => {
      const fake = await freshBackend({ entries: 3 });
      await secrets.load();
      render(MySecrets);
      await fireEvent.click(screen.getAllByTestId('secret-row')[0]!);
      await waitFor(() => expect(screen.getByTestId('history').querySelectorAll('li').length).toBeGreaterThan(0));
      await fireEvent.click(screen.getByTestId('show-link'));
      await screen.findByTestId('copy-link');
      await fireEvent.click(screen.getByTestId('copy-link'));
      await fireEvent.click(screen.getByTestId('remove'));
      return fake;
    }, 'de', await names(3));
    expect(left).toEqual([]);
  });
});
