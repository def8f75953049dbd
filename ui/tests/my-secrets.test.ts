import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { createSecrets } from '../src/lib/backend/secrets';
import MySecrets from '../src/lib/screens/MySecrets.svelte';
import { secrets } from '../src/lib/stores/secrets.svelte';
import { called, freshBackend } from './setup-dom';

async function setup(entries: number) {
  const fake = await freshBackend({ entries });
  await secrets.load();
  render(MySecrets);
  return fake;
}

describe('My secrets', () => {
  it('filters by state and search, and says how many match', async () => {
    await setup(10);
    expect(screen.getByTestId('result-count').textContent).toBe('10 secrets');
    await fireEvent.click(screen.getByLabelText(/^Viewed/));
    expect(screen.getByTestId('result-count').textContent).toBe('2 of 10 secrets');
    for (const row of screen.getAllByTestId('secret-row')) expect(row.querySelector('[data-state="viewed"]')).toBeTruthy();
    await fireEvent.click(screen.getByLabelText(/^All/));
    await fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'printer' } });
    expect(screen.getByTestId('result-count').textContent).toBe('2 of 10 secrets');
    await fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'zzz' } });
    expect(screen.getByText(/Nothing matches/)).toBeTruthy();
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
    await waitFor(() => expect(screen.getByTestId('history').textContent).toMatch(/Shared/));

    await fireEvent.click(screen.getByRole('button', { name: 'Show link and QR code' }));
    expect(await screen.findByRole('img', { name: 'QR code of the link' })).toBeTruthy();

    // A live change (as from the poller) shows at once and hides the link.
    fake.setState(first.id, 'viewed');
    secrets.upsert(fake.entries[0]!);
    await waitFor(() => expect(screen.queryByRole('img', { name: 'QR code of the link' })).toBeNull());
    await waitFor(() => expect(screen.getByTestId('history').textContent).toMatch(/Opened by the recipient/));
    expect(screen.queryByTestId('destroy')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Remove from list' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, remove' }));
    await screen.findByRole('heading', { name: 'My secrets' });
    expect(screen.getByTestId('result-count').textContent).toBe('2 secrets');
    expect(called(fake, 'forget_secret')[0]?.args).toEqual({ id: first.id });
  });

  it('goes back to the list with Escape, to the row it came from', async () => {
    await setup(4);
    await fireEvent.click(screen.getAllByTestId('secret-row')[1]!);
    await screen.findByRole('button', { name: /Back to My secrets/ });
    await fireEvent.click(screen.getByTestId('destroy'));
    await fireEvent.keyDown(window, { key: 'Escape' });
    // The first Escape only cancels the confirmation.
    expect(screen.getByTestId('destroy')).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByRole('heading', { name: 'My secrets' });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('1'));
  });

  it('shows the empty state with one clear action', async () => {
    await setup(0);
    expect(screen.getByText('You have not shared anything yet.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Share your first secret' })).toBeTruthy();
  });
});
