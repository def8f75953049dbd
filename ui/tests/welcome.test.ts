import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../src/lib/i18n/en.json';
import App from '../src/App.svelte';
import Welcome from '../src/lib/screens/Welcome.svelte';
import { firstStartDone, nav } from '../src/lib/stores/nav.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import type { FakeInvite } from './fake-backend';
import { englishLeft } from './english-left';
import { called, freshBackend } from './setup-dom';

const LINK = 'http://192.168.1.20:7143/invite/4j553fbtqf6zg5gx4vowxhvw6g76#q3m0Yb-fragment';
const OFFICE: FakeInvite = {
  name: 'Front office',
  origin: 'http://192.168.1.20:7143',
  httpsPort: 7144,
  fingerprint: Array.from({ length: 32 }, () => '3A').join(':'),
  tokenName: 'Reception PC',
};
const NEARBY = { instance: 'front._hushlink._tcp.local.', name: 'Front office', address: 'http://192.168.1.20:7143', httpsPort: 7144, fingerprint: null };

const defaultId = () => prefs.profiles.find((p) => p.isDefault)?.id;

async function showWelcome(seed: Parameters<typeof freshBackend>[0] = {}) {
  const fake = await freshBackend({ firstStart: true, ...seed });
  nav.showWelcome();
  render(Welcome);
  return fake;
}

describe('First start', () => {
  it('asks once on a new computer, and not again after a skip', async () => {
    await freshBackend({ firstStart: true }, false);
    const first = render(App);
    expect(await screen.findByTestId('welcome')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'New secret' })).toBeNull();
    await fireEvent.click(screen.getByTestId('welcome-skip'));
    await screen.findByRole('heading', { name: 'New secret' });
    expect(firstStartDone()).toBe(true);

    first.unmount();
    nav.go('newSecret');
    render(App);
    await screen.findByRole('heading', { name: 'New secret' });
    expect(screen.queryByTestId('welcome'), 'shown once').toBeNull();
  });

  it('does not ask a computer that already answered', async () => {
    await freshBackend({}, false);
    render(App);
    await screen.findByRole('heading', { name: 'New secret' });
    expect(screen.queryByTestId('welcome')).toBeNull();
  });

  it('counts leaving for another screen as a skip, and comes back when asked (Settings)', async () => {
    await freshBackend({ firstStart: true }, false);
    render(App);
    await screen.findByTestId('welcome');
    await fireEvent.click(screen.getByRole('button', { name: 'History' }));
    await screen.findByRole('heading', { name: 'History' });
    expect(firstStartDone()).toBe(true);
    nav.showWelcome();
    expect(await screen.findByTestId('welcome')).toBeTruthy();
  });

  it('Escape skips the question, which keeps the server it names', async () => {
    await showWelcome();
    expect(screen.getByTestId('welcome-current').textContent).toContain('Onetime Secret (EU)');
    await fireEvent.keyDown(screen.getByTestId('place-region'), { key: 'Escape' });
    expect(nav.welcome).toBe(false);
    expect(firstStartDone()).toBe(true);
  });

  it('makes the chosen region the default for new links', async () => {
    const fake = await showWelcome();
    await fireEvent.click(screen.getByTestId('place-region'));
    await fireEvent.change(screen.getByLabelText(en['welcome.regionLabel']), { target: { value: 'us' } });
    await fireEvent.click(screen.getByTestId('welcome-continue'));
    await waitFor(() => expect(nav.welcome).toBe(false));
    expect(called(fake, 'set_default_profile').map((c) => c.args)).toEqual([{ id: 'us' }]);
    expect(defaultId()).toBe('us');
    expect(firstStartDone()).toBe(true);
  });

  it("lists the office server found on this network and joins it with the owner's invite", async () => {
    const fake = await showWelcome({ nearbyRelays: [NEARBY], invites: { [LINK]: OFFICE } });
    const office = screen.getByTestId('place-office') as HTMLInputElement;
    await waitFor(() => expect(office.checked, 'a found office server is the likely answer').toBe(true));
    expect(screen.getByTestId('office-detail').textContent).toContain('Front office');
    const continueButton = screen.getByTestId('welcome-continue') as HTMLButtonElement;
    expect(continueButton.disabled, 'found is not joined: an invite is needed').toBe(true);
    await fireEvent.input(screen.getByLabelText(en['welcome.invite']), { target: { value: LINK } });
    await fireEvent.click(continueButton);
    await waitFor(() => expect(nav.welcome).toBe(false));
    expect(called(fake, 'import_invite').map((c) => c.args)).toEqual([{ link: LINK }]);
    expect(prefs.profiles.find((p) => p.isDefault)?.name).toBe('Front office');
  });

  it('keeps the question open and says why when the invite fails', async () => {
    await showWelcome({ nearbyRelays: [NEARBY] });
    await waitFor(() => expect((screen.getByTestId('place-office') as HTMLInputElement).checked).toBe(true));
    await fireEvent.input(screen.getByLabelText(en['welcome.invite']), { target: { value: LINK } });
    await fireEvent.click(screen.getByTestId('welcome-continue'));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(nav.welcome).toBe(true);
    expect(firstStartDone()).toBe(false);
  });

  it("adds the company's own server and makes it the default", async () => {
    const fake = await showWelcome();
    await fireEvent.click(screen.getByTestId('place-own'));
    await fireEvent.input(screen.getByLabelText(en['welcome.address']), { target: { value: 'https://secrets.example.com' } });
    await fireEvent.click(screen.getByTestId('welcome-continue'));
    await waitFor(() => expect(nav.welcome).toBe(false));
    const [saved] = called(fake, 'save_profile');
    expect(saved?.args).toMatchObject({ input: { name: 'secrets.example.com', baseUrl: 'https://secrets.example.com' }, id: null });
    expect(prefs.profiles.find((p) => p.isDefault)?.baseUrl).toBe('https://secrets.example.com/');
  });

  it("turns this computer's server on and makes it the default; starts with the computer", async () => {
    const fake = await showWelcome();
    await fireEvent.click(screen.getByTestId('place-computer'));
    await fireEvent.click(screen.getByTestId('start-with-computer'));
    await fireEvent.click(screen.getByTestId('welcome-continue'));
    await waitFor(() => expect(nav.welcome).toBe(false));
    expect(called(fake, 'set_relay')[0]?.args).toMatchObject({ enabled: true });
    expect(called(fake, 'set_default_profile').map((c) => c.args)).toEqual([{ id: 'relay' }]);
    expect(called(fake, 'save_settings')[0]?.args).toMatchObject({ settings: { launchAtLogin: true } });
    expect(prefs.settings.launchAtLogin).toBe(true);
  });

  it('speaks German with each answer open, and when an answer fails', async () => {
    await freshBackend();
    // Names in every language: servers, addresses, and the shape of an address to type.
    const names = [...prefs.profiles.map((p) => p.name), 'http://…/invite/…', 'https://secrets.example.com'];
    for (const place of ['office', 'region', 'own', 'computer']) {
      const left = await englishLeft(async () => {
        await showWelcome();
        await fireEvent.click(screen.getByTestId(`place-${place}`));
        if (place === 'office') {
          // Nobody answers on this network, and the invite pasted is unknown: a problem shows.
          await waitFor(() => expect(document.querySelector('[data-testid="office-detail"] [role="status"] button')).toBeTruthy());
          await fireEvent.input(document.getElementById('welcome-invite')!, { target: { value: LINK } });
          await fireEvent.click(screen.getByTestId('welcome-continue'));
          await screen.findByRole('alert');
        }
      }, 'de', names);
      expect(left, place).toEqual([]);
    }
  });
});
