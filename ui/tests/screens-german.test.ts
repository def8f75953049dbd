// "No English left" on the screens of sharing, opening and servers: each is rendered in English
// and in German in the same state (tests/english-left.ts), and no text may show in both.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { createSecrets } from '../src/lib/backend/secrets';
import OpenSecret from '../src/lib/screens/OpenSecret.svelte';
import ProfileEditor from '../src/lib/screens/ProfileEditor.svelte';
import Share from '../src/lib/screens/Share.svelte';
import { prefs } from '../src/lib/stores/prefs.svelte';
import { secrets } from '../src/lib/stores/secrets.svelte';
import { englishLeft } from './english-left';
import type { FakeInvite } from './fake-backend';
import { freshBackend } from './setup-dom';

const request = { text: 't', passphrase: 'p', ttlMs: 3_600_000, label: 'Wi-Fi', profileId: null, endToEnd: false, emailLinks: false };
const LINK = 'https://eu.onetimesecret.com/secret/abcdefabcdef12345678';
const INVITE = 'http://192.168.1.20:7143/invite/4j553fbtqf6zg5gx4vowxhvw6g76#q3m0Yb-fragment';
const FINGERPRINT = Array.from({ length: 32 }, () => '3A').join(':');
const invite: FakeInvite = {
  name: 'Front office',
  origin: 'http://192.168.1.20:7143',
  httpsPort: 7144,
  fingerprint: FINGERPRINT,
  tokenName: 'alice',
  state: 'pending',
};
const nearby = [
  { instance: 'Front office._hushlink._tcp.local.', name: 'Front office', address: 'http://192.168.1.20:7143', httpsPort: 7144, fingerprint: FINGERPRINT },
  { instance: 'Lab._hushlink._tcp.local.', name: 'Lab', address: 'http://192.168.1.44:7143', httpsPort: null, fingerprint: null },
];

/** Names the same in every language: the fake's servers, people, addresses and the example
 *  addresses in placeholders. */
async function names(): Promise<string[]> {
  await freshBackend();
  const examples = ['https://…', 'http://192.168.1.20:7143/invite/…#…', 'http://192.168.1.20:7143', 'https://secrets.example.com'];
  const office = ['Front office', 'https://192.168.1.20:7144/', FINGERPRINT];
  return [...prefs.profiles.flatMap((p) => [p.name, p.baseUrl]), ...examples, ...office, 'Lab', 'Sam', 'Kim', 'Wi-Fi', LINK];
}

describe('No English left on the German screens', () => {
  it('Share: one copied link with its countdown, then the destroy question', async () => {
    const left = await englishLeft(async () => {
      await freshBackend();
      const created = await createSecrets({ ...request, recipients: [] });
      for (const c of created) secrets.upsert(c.entry);
      render(Share, { created });
      await screen.findByTestId('clipboard-countdown');
      await fireEvent.click(screen.getByTestId('destroy'));
      await screen.findByTestId('destroy-confirm');
    }, 'de', await names());
    expect(left).toEqual([]);
  });

  it('Share: several links, one destroyed', async () => {
    const left = await englishLeft(async () => {
      await freshBackend();
      const created = await createSecrets({ ...request, recipients: ['Sam', 'Kim'] });
      for (const c of created) secrets.upsert(c.entry);
      render(Share, { created });
      const [first] = screen.getAllByTestId('share-card');
      await fireEvent.click(within(first!).getByTestId('destroy'));
      await fireEvent.click(within(first!).getByTestId('destroy-confirm'));
      await waitFor(() => expect(first!.querySelector('[data-state="burned"]')).toBeTruthy());
    }, 'de', await names());
    expect(left).toEqual([]);
  });

  it('Open a secret: a missing link, a passphrase asked for, then the secret copied', async () => {
    const missing = await englishLeft(async () => {
      await freshBackend();
      render(OpenSecret);
      await fireEvent.click(screen.getByTestId('reveal'));
      await screen.findByRole('alert');
    }, 'de', await names());
    expect(missing).toEqual([]);
    const asked = await englishLeft(async () => {
      await freshBackend({ receivable: { [LINK]: { text: 'door code 4417', passphrase: 'blue' } } });
      render(OpenSecret);
      await fireEvent.input(document.getElementById('open-link')!, { target: { value: LINK } });
      await fireEvent.click(screen.getByTestId('reveal'));
      await screen.findByRole('alert');
    }, 'de', await names());
    expect(asked).toEqual([]);
    const copied = await englishLeft(async () => {
      await freshBackend({ receivable: { [LINK]: { text: 'door code 4417' } } });
      render(OpenSecret);
      await fireEvent.input(document.getElementById('open-link')!, { target: { value: LINK } });
      await fireEvent.click(screen.getByTestId('reveal'));
      await screen.findByTestId('revealed');
      await fireEvent.click(screen.getByTestId('open-copy'));
      await screen.findByTestId('clipboard-countdown');
    }, 'de', [...(await names()), 'door code 4417']);
    expect(copied).toEqual([]);
  });

  it('Profile editor: servers checked, a relay typed by hand, a delete asked', async () => {
    const left = await englishLeft(async () => {
      await freshBackend({ invites: { [INVITE]: invite } });
      render(ProfileEditor);
      // An imported relay: a custom profile with a pinned certificate, to be deleted.
      await fireEvent.click(screen.getByTestId('add-server-open'));
      await fireEvent.input(await screen.findByTestId('invite-paste'), { target: { value: INVITE } });
      await fireEvent.click(screen.getByTestId('invite-import'));
      await screen.findByTestId('invite-imported');
      await fireEvent.click(screen.getByTestId('profile-delete'));
      await screen.findByTestId('profile-delete-confirm');
      for (const check of screen.getAllByTestId('profile-check')) await fireEvent.click(check);
      await waitFor(() => expect(screen.getAllByRole('status')).toHaveLength(prefs.profiles.length + 1));
      await fireEvent.click(screen.getByTestId('add-server-open'));
      await fireEvent.click(await screen.findByTestId('add-by-hand'));
      await fireEvent.click(screen.getByTestId('server-kind'));
    }, 'de', await names());
    expect(left).toEqual([]);
  });

  it('Add a server: relays found, one already added, a failed import and a failed search', async () => {
    const left = await englishLeft(async () => {
      const fake = await freshBackend({ nearbyRelays: nearby, invites: { [INVITE]: invite } });
      render(ProfileEditor);
      await fireEvent.click(screen.getByTestId('add-server-open'));
      await fireEvent.input(await screen.findByTestId('invite-paste'), { target: { value: INVITE } });
      await fireEvent.click(screen.getByTestId('invite-import'));
      await screen.findByTestId('invite-imported');
      await fireEvent.click(screen.getByTestId('add-server-open'));
      await screen.findByTestId('found-relay-added');
      await fireEvent.input(screen.getByTestId('invite-paste'), { target: { value: INVITE } });
      await fireEvent.click(screen.getByTestId('invite-import'));
      await screen.findByTestId('invite-problem');
      fake.failNext('find_relays', 'internal', 'Hushlink could not look for relays on this network (mDNS: no interface).');
      await fireEvent.click(screen.getByTestId('find-relays'));
      await screen.findByTestId('found-relays-failed');
    }, 'de', await names());
    expect(left).toEqual([]);
  });

  it('Add a server: nothing found nearby', async () => {
    const left = await englishLeft(async () => {
      await freshBackend();
      render(ProfileEditor);
      await fireEvent.click(screen.getByTestId('add-server-open'));
      await screen.findByTestId('found-relays-empty');
    }, 'de', await names());
    expect(left).toEqual([]);
  });
});

