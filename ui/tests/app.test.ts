import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../src/lib/i18n/en.json';
import App from '../src/App.svelte';
import { format } from '../src/lib/i18n/i18n.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { secrets } from '../src/lib/stores/secrets.svelte';
import { englishLeft } from './english-left';
import { called, freshBackend } from './setup-dom';

describe('App shell', () => {
  it('reports the heading "Hushlink" once the first screen rendered', async () => {
    const fake = await freshBackend({}, false);
    render(App);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Hushlink');
    await waitFor(() => expect(fake.ready).toBe('Hushlink'));
    expect(called(fake, 'ui_ready')).toHaveLength(1);
  });

  it('opens the screen the tray asks for', async () => {
    const fake = await freshBackend({}, false);
    render(App);
    await fireEvent.click(screen.getByRole('button', { name: en['nav.history'] }));
    await screen.findByRole('heading', { name: 'History' });
    await waitFor(() => expect(fake.ready).not.toBeNull());
    fake.emit({ type: 'navigate', screen: 'newSecret', entryId: null });
    await screen.findByRole('heading', { name: en['newSecret.title'] });
    expect(screen.getByRole('button', { name: en['nav.newSecret'] }).getAttribute('aria-current')).toBe('page');
  });

  it('updates a badge in My secrets when the tracker pushes a change', async () => {
    const fake = await freshBackend({ entries: 3 }, false);
    render(App);
    await fireEvent.click(screen.getByRole('button', { name: new RegExp(en['nav.secrets']) }));
    const rows = await screen.findAllByTestId('secret-row');
    expect(rows[0]!.querySelector('[data-state="unread"]')).toBeTruthy();
    await waitFor(() => expect(fake.ready).not.toBeNull());
    fake.setState(fake.entries[0]!.id, 'viewed');
    await waitFor(() => expect(screen.getAllByTestId('secret-row')[0]!.querySelector('[data-state="viewed"]')).toBeTruthy());
    expect(called(fake, 'list_secrets')).toHaveLength(1);
  });

  it('opens the detail of the secret a tray item names', async () => {
    const fake = await freshBackend({ entries: 3 }, false);
    render(App);
    await waitFor(() => expect(fake.ready).not.toBeNull());
    const second = fake.entries[1]!;
    fake.emit({ type: 'navigate', screen: 'secrets', entryId: second.id });
    expect(await screen.findByRole('heading', { name: second.label })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Back to My secrets/ })).toBeTruthy();
  });

  it('retries a failed start-up load when the window is shown again', async () => {
    const fake = await freshBackend({ entries: 2 }, false);
    fake.failNext('list_secrets', 'storage_error');
    render(App);
    await fireEvent.click(screen.getByRole('button', { name: new RegExp(en['nav.secrets']) }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Your list could not be loaded/);
    await waitFor(() => expect(fake.ready).not.toBeNull());
    fake.emit({ type: 'windowShown', source: 'tray' });
    expect(await screen.findAllByTestId('secret-row')).toHaveLength(2);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('switches screens with Alt+number', async () => {
    await freshBackend({}, false);
    render(App);
    await fireEvent.keyDown(window, { key: '3', altKey: true });
    await screen.findByRole('heading', { name: 'Open a secret' });
  });

  it('says how many secrets are active beside My secrets, in words for screen readers', async () => {
    await freshBackend({ entries: 3 }, false);
    render(App);
    const pill = await screen.findByTestId('active-count');
    const active = secrets.counts().active;
    expect(active).toBeGreaterThan(0);
    expect(pill.textContent).toContain(format('en', 'nav.active', { count: active }));
  });

  it('speaks German: the menu, the first screen, and a failed start', async () => {
    await freshBackend();
    // Names in every language: the app's and the hosted servers' (the built-in relay's is said
    // in the UI's language).
    const names = ['Hushlink', ...prefs.profiles.filter((p) => p.kind === 'hosted').map((p) => p.name)];
    expect(names.length).toBeGreaterThan(1);
    for (const failed of [false, true]) {
      const left = await englishLeft(async () => {
        const fake = await freshBackend({ entries: 3, keyringWaiting: failed }, false);
        render(App);
        await waitFor(() => expect(fake.ready).not.toBeNull());
        if (failed) {
          fake.finishStartup('storage_error');
          await screen.findByRole('alert');
        } else {
          await screen.findByTestId('active-count');
        }
      }, 'de', names);
      expect(left, failed ? 'failed start' : 'started').toEqual([]);
    }
  });
});
