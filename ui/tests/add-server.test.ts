import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../src/lib/i18n/en.json';
import { format } from '../src/lib/i18n/i18n.svelte';
import Settings from '../src/lib/screens/Settings.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import type { FakeInvite } from './fake-backend';
import { called, freshBackend } from './setup-dom';

const LINK = 'http://192.168.1.20:7143/invite/4j553fbtqf6zg5gx4vowxhvw6g76#q3m0Yb-fragment';
const FINGERPRINT = Array.from({ length: 32 }, () => '3A').join(':');
const invite = (state: FakeInvite['state'] = 'pending'): FakeInvite => ({
  name: 'Front office',
  origin: 'http://192.168.1.20:7143',
  httpsPort: 7144,
  fingerprint: FINGERPRINT,
  tokenName: 'alice',
  state,
});

async function openAddServer(): Promise<void> {
  await fireEvent.click(screen.getByTestId('add-server-open'));
  await screen.findByTestId('add-server');
}

async function paste(link: string): Promise<void> {
  await fireEvent.input(screen.getByTestId('invite-paste'), { target: { value: link } });
  await fireEvent.click(screen.getByTestId('invite-import'));
}

describe('Add a server: paste an invite', () => {
  it('imports an invite in one step: the relay becomes the pinned default server', async () => {
    const fake = await freshBackend({ invites: { [LINK]: invite() } });
    render(Settings);
    await openAddServer();
    expect((screen.getByTestId('invite-import') as HTMLButtonElement).disabled, 'nothing pasted yet').toBe(true);
    await paste(`  ${LINK}\n`);

    const done = await screen.findByTestId('invite-imported');
    expect(done.textContent!.trim()).toBe(format('en', 'prof.imported', { name: 'Front office' }));
    expect(called(fake, 'import_invite')).toEqual([{ cmd: 'import_invite', args: { link: LINK } }]);
    expect(screen.queryByTestId('add-server'), 'the form closes').toBeNull();

    const rows = screen.getAllByTestId('profile');
    const office = rows.find((row) => row.textContent!.includes('Front office'))!;
    expect(office.textContent).toMatch(/https:\/\/192\.168\.1\.20:7144\//);
    expect(office.textContent).toContain('alice');
    expect(office.textContent, 'its token is in the keyring, and it is a relay').toContain(en['prof.tokenSaved'] + en['prof.hushlinkRelay']);
    const pin = within(office).getByTestId('profile-pin').textContent!.replace(/\s+/g, ' ');
    expect(pin).toContain(`${en['prof.pinned']} ${FINGERPRINT}`);
    expect(pin).toContain(format('en', 'prof.linksOpenAt', { origin: 'http://192.168.1.20:7143/' }).trim());
    expect(prefs.defaultProfile()?.name, 'selected for new secrets').toBe('Front office');
    await waitFor(() => expect(within(office).getByTestId('profile-check-result').dataset.authenticated).toBe('true'));
  });

  it('says why a second import of the same invite fails', async () => {
    await freshBackend({ invites: { [LINK]: invite() } });
    render(Settings);
    await openAddServer();
    await paste(LINK);
    await screen.findByTestId('invite-imported');

    await openAddServer();
    await paste(LINK);
    const problem = await screen.findByTestId('invite-problem');
    expect(problem.textContent).toContain(`${en['add.notImported']} ${en['error.invite_used.title']}`);
    expect(within(problem).getByRole('alert').dataset.code).toBe('invite_used');
    expect(screen.getAllByTestId('profile').filter((r) => r.textContent!.includes('Front office'))).toHaveLength(1);
  });

  it.each([
    ['expired', 'invite_expired'],
    ['withdrawn', 'invite_withdrawn'],
  ] as const)('explains an %s invite', async (state, code) => {
    await freshBackend({ invites: { [LINK]: invite(state) } });
    render(Settings);
    await openAddServer();
    await paste(LINK);
    const problem = await screen.findByTestId('invite-problem');
    expect(within(problem).getByRole('alert').dataset.code).toBe(code);
    expect(problem.textContent).toContain(en[`error.${code}.next`]);
    expect(screen.queryByTestId('invite-imported')).toBeNull();
  });

  it('tells a secret link, an unreachable relay and a changed certificate apart', async () => {
    const fake = await freshBackend();
    render(Settings);
    await openAddServer();
    await paste('https://eu.onetimesecret.com/secret/abc123');
    const problem = () => within(screen.getByTestId('invite-problem')).getByRole('alert').dataset.code;
    await waitFor(() => expect(problem()).toBe('invite_link_invalid'));

    fake.failNext('import_invite', 'server_unreachable');
    await paste(LINK);
    await waitFor(() => expect(problem()).toBe('server_unreachable'));

    fake.failNext('import_invite', 'tls_pin_mismatch');
    await paste(LINK);
    await waitFor(() => expect(problem()).toBe('tls_pin_mismatch'));
  });
});

describe('Add a server: relays found nearby', () => {
  const nearby = [
    { instance: 'Front office._hushlink._tcp.local.', name: 'Front office', address: 'http://192.168.1.20:7143', httpsPort: 7144, fingerprint: FINGERPRINT },
    { instance: 'Lab._hushlink._tcp.local.', name: 'Lab', address: 'http://192.168.1.44:7143', httpsPort: null, fingerprint: null },
  ];

  it('lists each relay with its name and address, and says an invite still grants access', async () => {
    const fake = await freshBackend({ nearbyRelays: nearby });
    render(Settings);
    await openAddServer();
    const items = await screen.findAllByTestId('found-relay');
    expect(items.map((i) => within(i).getByTestId('found-relay-name').textContent)).toEqual(['Front office', 'Lab']);
    expect(items.map((i) => within(i).getByTestId('found-relay-address').textContent)).toEqual([
      'http://192.168.1.20:7143',
      'http://192.168.1.44:7143',
    ]);
    expect(screen.getByTestId('found-relays-note').textContent!.trim()).toBe(en['add.nearbyNote']);
    expect(called(fake, 'find_relays')).toHaveLength(1);

    await fireEvent.click(screen.getByTestId('find-relays'));
    await waitFor(() => expect(called(fake, 'find_relays')).toHaveLength(2));
  });

  it('marks a found relay that an imported invite already added', async () => {
    await freshBackend({ nearbyRelays: nearby, invites: { [LINK]: invite() } });
    render(Settings);
    await openAddServer();
    await screen.findAllByTestId('found-relay');
    expect(screen.queryByTestId('found-relay-added'), 'nothing added yet').toBeNull();
    await paste(LINK);
    await screen.findByTestId('invite-imported');
    await openAddServer();
    const [office, lab] = await screen.findAllByTestId('found-relay');
    expect(within(office!).getByTestId('found-relay-added').textContent).toBe(format('en', 'add.already', { name: 'Front office' }));
    expect(within(lab!).queryByTestId('found-relay-added')).toBeNull();
  });

  it('fills the form by hand from a found relay, which still asks for the token', async () => {
    const fake = await freshBackend({ nearbyRelays: nearby });
    render(Settings);
    await openAddServer();
    const lab = (await screen.findAllByTestId('found-relay'))[1]!;
    await fireEvent.click(within(lab).getByTestId('found-relay-use'));
    expect((screen.getByLabelText(en['prof.name']) as HTMLInputElement).value).toBe('Lab');
    expect((screen.getByLabelText(en['prof.relay.address']) as HTMLInputElement).value).toBe('http://192.168.1.44:7143');
    await fireEvent.input(screen.getByLabelText(en['prof.relay.user']), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByLabelText(en['prof.relay.token']), { target: { value: 'hl_0123' } });
    await fireEvent.click(screen.getByRole('button', { name: en['prof.save'] }));
    await waitFor(() => expect(called(fake, 'save_profile')).toHaveLength(1));
    expect(called(fake, 'save_profile')[0]!.args).toEqual({
      input: { name: 'Lab', baseUrl: 'http://192.168.1.44:7143', username: 'alice', hushlinkRelay: true },
      id: null,
      token: 'hl_0123',
    });
  });

  it('says when nothing answered and keeps typing an address possible', async () => {
    const fake = await freshBackend();
    render(Settings);
    await openAddServer();
    expect((await screen.findByTestId('found-relays-empty')).textContent).toBe(en['add.none']);
    await fireEvent.click(screen.getByTestId('add-by-hand'));
    expect(screen.getByTestId('server-form')).toBeTruthy();

    fake.failNext('find_relays', 'internal', 'Hushlink could not look for relays on this network (mDNS: no interface).');
    await fireEvent.click(screen.getByTestId('find-relays'));
    const failed = await screen.findByTestId('found-relays-failed');
    expect(failed.dataset.code).toBe('internal');
    // The backend's message is English: the words come from the catalogue.
    expect(failed.textContent).toBe(en['add.searchFailed']);
    expect(screen.getByLabelText(en['prof.onetime.address'])).toBeTruthy();
  });
});
