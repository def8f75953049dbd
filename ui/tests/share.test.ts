import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { createSecrets } from '../src/lib/backend/secrets';
import { timeLeftWords } from '../src/lib/format';
import en from '../src/lib/i18n/en.json';
import Share from '../src/lib/screens/Share.svelte';
import { secrets } from '../src/lib/stores/secrets.svelte';
import { called, freshBackend } from './setup-dom';

const request = { text: 't', passphrase: null, ttlMs: 3_600_000, label: 'Wi-Fi', profileId: null, endToEnd: false, emailLinks: false };

describe('Share screen', () => {
  it('copies a single link at once and shows it with its QR code', async () => {
    const fake = await freshBackend();
    const created = await createSecrets({ ...request, recipients: [] });
    render(Share, { created });
    await waitFor(() => expect(fake.clipboard).toBe(created[0]!.link));
    expect(called(fake, 'copy_link')).toEqual([{ cmd: 'copy_link', args: { id: created[0]!.entry.id } }]);
    expect((screen.getByTestId('share-link') as HTMLInputElement).value).toBe(created[0]!.link);
    const qr = screen.getByRole('img', { name: en['share.qr'] }) as HTMLImageElement;
    expect(qr.src.startsWith('data:image/svg+xml')).toBe(true);
    expect(decodeURIComponent(qr.src)).toContain('<svg');
    expect((await screen.findByRole('status')).textContent).toBe(en['share.copied']);
    // The live countdown starts from the setting (two minutes in the fake).
    expect((await screen.findByTestId('clipboard-countdown')).dataset.secondsLeft).toBe('120');
    // When the link stops working: the time left in the format's words ("1 hour").
    const hint = screen.getByTestId('share-link').parentElement!.querySelector('.hint')!;
    expect(hint.textContent).toContain(timeLeftWords(request.ttlMs));
  });

  it('copies nothing by itself when there are several links', async () => {
    const fake = await freshBackend();
    const created = await createSecrets({ ...request, recipients: ['Sam', 'Kim'] });
    render(Share, { created });
    expect(screen.getAllByTestId('share-card')).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(called(fake, 'copy_link')).toHaveLength(0);
  });

  it('destroys the link only after confirmation and then hides the QR code', async () => {
    const fake = await freshBackend();
    const created = await createSecrets({ ...request, recipients: [] });
    for (const c of created) secrets.upsert(c.entry);
    render(Share, { created });
    await fireEvent.click(screen.getByTestId('destroy'));
    expect(called(fake, 'burn_secret')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('destroy-confirm'));
    await waitFor(() => expect(document.querySelector('[data-state="burned"]')).toBeTruthy());
    expect(screen.queryByRole('img', { name: en['share.qr'] })).toBeNull();
    expect(called(fake, 'burn_secret')).toHaveLength(1);
  });

  it('moves focus to the safe answer when asking, and back to the button after Escape', async () => {
    await freshBackend();
    const created = await createSecrets({ ...request, recipients: [] });
    for (const c of created) secrets.upsert(c.entry);
    render(Share, { created });
    await fireEvent.click(screen.getByTestId('destroy'));
    await waitFor(() => expect(document.activeElement?.id).toBe(`keep-${created[0]!.entry.id}`));
    await fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('destroy')));
  });
});
