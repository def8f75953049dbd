import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { appInfo } from '../src/lib/backend/app';
import en from '../src/lib/i18n/en.json';
import { format, i18n, LANGUAGES, languageName } from '../src/lib/i18n/i18n.svelte';
import Settings from '../src/lib/screens/Settings.svelte';
import { nav } from '../src/lib/stores/nav.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { englishLeft } from './english-left';
import { called, freshBackend } from './setup-dom';

// A failed language test must not leave the others in German.
afterEach(() => i18n.choose(null));

/** Texts that are names, the same in every language: the app's, the fake's servers and their
 *  addresses, the data dir, each language's own name. */
async function names(): Promise<string[]> {
  await freshBackend();
  const about = await appInfo();
  return ['Hushlink', about.dataDir, ...prefs.profiles.flatMap((p) => [p.name, p.baseUrl]), ...LANGUAGES.map(languageName)];
}

describe('Settings', () => {
  it('saves a change at once and applies the theme', async () => {
    const fake = await freshBackend();
    render(Settings);
    await fireEvent.change(screen.getByLabelText(en['settings.theme']), { target: { value: 'dark' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(called(fake, 'save_settings').at(-1)?.args).toMatchObject({ settings: { theme: 'dark', clipboardClearMs: 120_000, defaultExpiryMs: 86_400_000 } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(en['settings.saved.theme']));

    await fireEvent.change(screen.getByLabelText(en['settings.theme']), { target: { value: 'system' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
  });

  it('saves the clipboard delay and the start-up choice', async () => {
    const fake = await freshBackend();
    render(Settings);
    const delays = [...(screen.getByLabelText(en['settings.clipboard']) as HTMLSelectElement).options];
    expect(delays.map((o) => o.textContent)).toContain(format('en', 'settings.clipboard.minutes', { count: 2 }));
    await fireEvent.change(screen.getByLabelText(en['settings.clipboard']), { target: { value: '0' } });
    await waitFor(() => expect(prefs.settings.clipboardClearMs).toBe(0));
    expect(called(fake, 'save_settings').at(-1)?.args).toMatchObject({ settings: { clipboardClearMs: 0 } });
    await fireEvent.click(screen.getByLabelText(en['settings.launch']));
    await waitFor(() => expect(prefs.settings.launchAtLogin).toBe(true));
    expect(called(fake, 'save_settings')).toHaveLength(2);
  });

  it('asks the first-start question again on request', async () => {
    await freshBackend();
    render(Settings);
    nav.welcome = false;
    await fireEvent.click(screen.getByTestId('choose-where'));
    expect(nav.welcome).toBe(true);
  });

  it('offers the language: a pick changes the page language and is saved in the settings', async () => {
    const fake = await freshBackend();
    render(Settings);
    await fireEvent.change(screen.getByTestId('language-picker'), { target: { value: 'de' } });
    await waitFor(() => expect(document.documentElement.lang).toBe('de'));
    await waitFor(() => expect(prefs.settings.language).toBe('de'));
    expect(called(fake, 'save_settings').at(-1)?.args).toMatchObject({ settings: { language: 'de' } });
    // The note says it in the language just chosen.
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(format('de', 'settings.saved.language')));

    await fireEvent.change(screen.getByTestId('language-picker'), { target: { value: '' } });
    await waitFor(() => expect(prefs.settings.language).toBeNull());
    expect(i18n.choice).toBeNull();
  });

  it('adds a server, sending the token apart from the profile', async () => {
    const fake = await freshBackend();
    render(Settings);
    await fireEvent.click(screen.getByRole('button', { name: 'Add a server' }));
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Office' } });
    await fireEvent.input(screen.getByLabelText('Address'), { target: { value: 'not a url' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save server' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/server address doesn't look right/);

    await fireEvent.input(screen.getByLabelText('Address'), { target: { value: 'https://secrets.example.com' } });
    await fireEvent.input(screen.getByLabelText(/API token/), { target: { value: 'tok-123' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save server' }));
    await waitFor(() => expect(screen.getAllByTestId('profile')).toHaveLength(4));
    expect(called(fake, 'save_profile').at(-1)?.args).toEqual({
      input: { name: 'Office', baseUrl: 'https://secrets.example.com', username: null, hushlinkRelay: false },
      id: null,
      token: 'tok-123',
    });
    const office = screen.getAllByTestId('profile')[3]!;
    expect(within(office).getByText(/token saved in the keyring/)).toBeTruthy();
    // A saved server is checked straight away.
    await waitFor(() => expect(within(office).getByRole('status').textContent).toMatch(/Connected, account accepted/));
  });

  it('asks for a relay\'s address, the token\'s name and the token when the server is a Hushlink relay', async () => {
    const fake = await freshBackend();
    render(Settings);
    expect(screen.getByTestId('servers-hint').textContent!.replace(/\s+/g, ' ')).toMatch(
      /the relay's address, the token's name and the token/,
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Add a server' }));
    // An Onetime Secret server: an account.
    expect(screen.getByLabelText(/^Account e-mail/)).toBeTruthy();
    expect(screen.getByLabelText(/^API token/)).toBeTruthy();
    expect(screen.queryByLabelText(/Token's name/)).toBeNull();

    await fireEvent.click(screen.getByLabelText(/This is a Hushlink relay/));
    expect(screen.queryByLabelText(/Account e-mail/), 'a relay has no accounts').toBeNull();
    expect(screen.queryByLabelText(/API token/)).toBeNull();
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Office relay' } });
    await fireEvent.input(screen.getByLabelText("Relay's address"), { target: { value: 'http://192.168.1.20:7143' } });
    const user = screen.getByLabelText("Token's name") as HTMLInputElement;
    expect(user.type, 'a token name is not an e-mail address').toBe('text');
    await fireEvent.input(user, { target: { value: 'Front desk PC' } });
    await fireEvent.input(screen.getByLabelText('Token'), { target: { value: 'hl_0123' } });
    expect(screen.getByText(/gives you both from its Access tokens section/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Save server' }));
    await waitFor(() => expect(screen.getAllByTestId('profile')).toHaveLength(4));
    expect(called(fake, 'save_profile').at(-1)?.args).toEqual({
      input: { name: 'Office relay', baseUrl: 'http://192.168.1.20:7143', username: 'Front desk PC', hushlinkRelay: true },
      id: null,
      token: 'hl_0123',
    });
    const office = screen.getAllByTestId('profile')[3]!;
    expect(within(office).getByText(/token “Front desk PC” · token saved in the keyring · Hushlink relay/)).toBeTruthy();
    expect(within(office).queryByText(/account/), 'not called an account').toBeNull();
  });

  it('explains a failed connection check', async () => {
    const fake = await freshBackend();
    fake.failNext('check_profile', 'server_unreachable');
    render(Settings);
    await fireEvent.click(screen.getByRole('button', { name: 'Check connection to Onetime Secret (US)' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Connection check failed\. The server could not be reached/);
  });

  it('says the rest was saved when only launch at login failed', async () => {
    const fake = await freshBackend();
    fake.failNext('save_settings', 'autostart_failed');
    render(Settings);
    await fireEvent.click(screen.getByLabelText(en['settings.launch']));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Your settings were saved, but starting Hushlink at login could not be changed/);
    expect(alert.textContent).not.toContain(en['settings.notSaved']);
  });

  it('shows the version and where the data is kept', async () => {
    await freshBackend();
    render(Settings);
    const about = await screen.findByTestId('about');
    expect(about.textContent).toMatch(/Hushlink\s+0\.1\.0/);
    expect(about.textContent).toContain(format('en', 'settings.dataDir', { dir: about.querySelector('.mono')!.textContent! }));
    expect(about.querySelector('.mono')!.textContent).toMatch(/^\/home\/user/);
  });

  it('speaks German: every section, the saved note and the About line', async () => {
    const left = await englishLeft(async () => {
      await freshBackend();
      render(Settings);
      await screen.findByTestId('about');
      // A saved change: the status note speaks too.
      await fireEvent.click(document.querySelector<HTMLInputElement>('input[type="checkbox"]')!);
      await waitFor(() => expect(screen.getByRole('status').textContent).not.toBe(''));
    }, 'de', await names());
    expect(left).toEqual([]);
  });
});
