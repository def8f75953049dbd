// The built UI end to end, with an in-memory backend behind a fake __TAURI_INTERNALS__.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import IntlMessageFormat from 'intl-messageformat';
import de from '../src/lib/i18n/de.json' with { type: 'json' };
import en from '../src/lib/i18n/en.json' with { type: 'json' };
import { installFakeBackend, type FakeSeed } from '../tests/fake-backend';
import { clipped } from './layout';

/** `target/ui-screens/` at the repository root, wherever the run starts from. */
const SHOTS = fileURLToPath(new URL('../../target/ui-screens', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

/** An English message with its values, read from the catalogue: the tests find elements by
 *  test ids, codes and these words, never by words typed here, so a rewording breaks nothing. */
const say = (key: keyof typeof en, values: Record<string, string | number>): string =>
  String(new IntlMessageFormat(en[key], 'en').format(values));

/** Requests that left the app's own origin in the current test (must stay empty: offline app). */
let offsite: string[] = [];

test.afterEach(() => {
  expect(offsite, 'the app fetched something remote').toEqual([]);
});

async function start(page: Page, seed: FakeSeed = {}): Promise<void> {
  offsite = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:') offsite.push(request.url());
  });
  await page.addInitScript(installFakeBackend, seed);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hushlink');
  await expect.poll(() => page.evaluate(() => window.__fake?.ready)).toBe('Hushlink');
}

test('create a secret and land on the share screen with the link and its QR code', async ({ page }) => {
  await start(page);
  await page.getByLabel(en['newSecret.text']).fill('Correct-Horse-42');
  await page.getByTestId('more-options').click();
  await page.getByLabel(en['newSecret.label']).fill('VPN for Sam');
  await page.getByTestId('create').click();

  await expect(page.getByRole('heading', { name: say('share.title', { count: 1 }) })).toBeVisible();
  const link = page.getByTestId('share-link');
  await expect(link).toHaveValue(/^https:\/\/eu\.onetimesecret\.com\/secret\/[0-9a-f]{24}$/);
  const qr = page.getByRole('img', { name: en['share.qr'] });
  await expect(qr).toHaveAttribute('src', /^data:image\/svg\+xml/);
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByRole('status')).toContainText(en['share.copied']);
  const shown = await link.inputValue();
  await expect.poll(() => page.evaluate(() => window.__fake?.clipboard)).toBe(shown);

  const request = await page.evaluate(() => window.__fake?.calls.find((c) => c.cmd === 'create_secrets')?.args);
  expect(request).toMatchObject({ request: { text: 'Correct-Horse-42', label: 'VPN for Sam', ttlMs: 86_400_000, recipients: [] } });
});

test('several recipients get one link each', async ({ page }) => {
  await start(page);
  await page.getByLabel(en['newSecret.text']).fill('shared printer PIN 4821');
  await page.getByLabel(en['newSecret.recipients']).fill('Sam, Kim, Lee');
  // One link per person: the button counts them.
  await expect(page.getByTestId('create')).toContainText('3');
  await page.getByTestId('create').click();
  await expect(page.getByRole('heading', { name: say('share.title', { count: 3 }) })).toBeVisible();
  await expect(page.getByTestId('share-card')).toHaveCount(3);
  await expect(page.getByRole('heading', { name: say('share.for', { name: 'Kim' }) })).toBeVisible();
});

test('the list updates live from a pushed secretChanged event', async ({ page }) => {
  await start(page, { entries: 5 });
  await page.getByTestId('nav-secrets').click();
  const first = page.getByTestId('secret-row').first();
  await expect(first.locator('[data-state]')).toHaveAttribute('data-state', 'unread');
  const id = await page.evaluate(() => window.__fake!.entries[0]!.id);
  await page.evaluate((entryId) => window.__fake!.setState(entryId, 'viewed'), id);
  await expect(first.locator('[data-state]')).toHaveAttribute('data-state', 'viewed');
  // No reload happened: list_secrets was called once.
  expect(await page.evaluate(() => window.__fake!.calls.filter((c) => c.cmd === 'list_secrets').length)).toBe(1);
});

test('1,000 entries render and filter quickly', async ({ page }) => {
  await start(page, { entries: 1000 });
  await page.getByTestId('nav-secrets').click();
  // The count is a number in the language's own format ("1,000" in English).
  await expect(page.getByTestId('result-count')).toHaveText(say('mySecrets.count', { count: 1000 }));
  // Windowed: only the rows in view exist in the DOM.
  expect(await page.getByTestId('secret-row').count()).toBeLessThan(40);

  const started = Date.now();
  await page.getByLabel(en['mySecrets.search']).fill('Printer PIN #1');
  // "N of 1,000 secrets", with N a number: the catalogue's words around any number.
  const anyOf = say('mySecrets.countOf', { shown: 424242, total: 1000 }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(page.getByTestId('result-count')).toHaveText(new RegExp(`^${anyOf.replace('424242', '\\d+')}$`));
  expect(Date.now() - started).toBeLessThan(1000);
  const count = Number((await page.getByTestId('result-count').textContent())!.split(' ')[0]);
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThan(1000);

  // Scrolling to the end reaches the last entry.
  await page.getByLabel(en['mySecrets.search']).fill('');
  await page.getByTestId('secret-row').first().focus();
  await page.keyboard.press('End');
  await expect(page.locator('[data-index="999"]')).toBeFocused();
});

test('open a secret: clear words when it is gone, then a real reveal', async ({ page }) => {
  const link = 'https://eu.onetimesecret.com/secret/abcdefabcdef12345678';
  await start(page, { receivable: { [link]: { text: 'wifi: sunflower-42', passphrase: 'blue' } } });
  await page.getByTestId('nav-open').click();

  await page.getByLabel(en['open.link']).fill('https://eu.onetimesecret.com/secret/doesnotexist000000');
  await page.getByTestId('reveal').click();
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'secret_gone');

  await page.getByLabel(en['open.link']).fill(link);
  await page.getByTestId('reveal').click();
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'passphrase_required');
  const passphrase = page.getByLabel(en['open.pass']);
  await expect(passphrase).toBeFocused();

  await passphrase.fill('green');
  await page.getByTestId('reveal').click();
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'wrong_passphrase');

  await passphrase.fill('blue');
  await page.getByTestId('reveal').click();
  await expect(page.getByTestId('revealed')).toHaveValue('wifi: sunflower-42');
  await page.getByTestId('open-copy').click();
  await expect.poll(() => page.evaluate(() => window.__fake?.clipboard)).toBe('wifi: sunflower-42');
});

test('a secret can be created with the keyboard alone', async ({ page }) => {
  await start(page);
  // The text area has focus on arrival.
  await expect(page.getByLabel(en['newSecret.text'])).toBeFocused();
  await page.keyboard.type('typed without a mouse');
  await page.keyboard.press('Tab'); // Generate password
  await expect(page.getByTestId('text-gen-generate')).toBeFocused();
  // Walk to the Create button with Tab only, checking a visible focus ring on the way.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);
    if (id === 'create') break;
  }
  const create = page.getByTestId('create');
  await expect(create).toBeFocused();
  const outline = await create.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: say('share.title', { count: 1 }) })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: en['share.copyAgain'] })).toBeFocused();
});

test('a generated password fills the text and shows its strength', async ({ page }) => {
  await start(page);
  await page.getByRole('button', { name: en['generator.password'] }).click();
  await expect(page.getByLabel(en['newSecret.text'])).toHaveValue(/^.{16}$/);
  await expect(page.getByTestId('text-gen-strength')).toContainText(en['strength.3']);
});

test('the Appearance setting overrides the system colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await start(page);
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  await page.getByTestId('nav-settings').click();
  await page.getByLabel(en['settings.theme']).selectOption('dark');
  await expect.poll(background).not.toBe(light);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
});

test('without its background service the app still opens and says what to do', async ({ page }) => {
  offsite = [];
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hushlink');
  const alert = page.getByRole('alert').first();
  await expect(alert).toHaveAttribute('data-code', 'unreachable');
});

test('while the keyring has not answered, the window says so, then the list loads', async ({ page }) => {
  await start(page, { entries: 3, keyringWaiting: true });
  const waiting = page.getByTestId('tracker-waiting');
  await expect(waiting).toContainText(en['keyringWait.title']);
  await expect(waiting).toContainText(en['keyringWait.why']);
  await page.screenshot({ path: `${SHOTS}/keyring-waiting.png` });
  await page.getByTestId('nav-secrets').click();
  await expect(page.getByTestId('secret-row')).toHaveCount(0);
  await page.evaluate(() => window.__fake!.finishStartup());
  await expect(waiting).toBeHidden();
  await expect(page.getByTestId('secret-row')).toHaveCount(3);
});

test.describe('in German, in a 1000x700 window', () => {
  test.use({ viewport: { width: 1000, height: 700 }, locale: 'de-DE' });

  test('the menu with its count, and the keyring wait, fit', async ({ page }) => {
    await start(page, { entries: 3, keyringWaiting: true });
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByTestId('tracker-waiting')).toContainText(de['keyringWait.title']);
    expect(await clipped(page), 'clipped text while waiting').toEqual([]);
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), 'axe').toEqual([]);
    await page.screenshot({ path: `${SHOTS}/de-keyring-waiting.png`, fullPage: true });
    await page.evaluate(() => window.__fake!.finishStartup());
    await expect(page.getByTestId('active-count')).toBeVisible();
    await expect(page.getByTestId('nav-secrets')).toContainText(de['nav.secrets']);
    expect(await clipped(page), 'clipped text in the menu').toEqual([]);
    await page.locator('nav').screenshot({ path: `${SHOTS}/de-menu.png` });
  });
});

test('a navigate request from the tray and a live change reach the right screen', async ({ page }) => {
  await start(page, { entries: 1000 });
  await page.getByTestId('nav-history').click();
  await page.evaluate(() => window.__fake!.emit({ type: 'navigate', screen: 'secrets', entryId: null }));
  await expect(page.getByRole('heading', { name: en['mySecrets.title'] })).toBeVisible();
  // A change to an entry far down the list shows once it is scrolled into view.
  const last = await page.evaluate(() => window.__fake!.entries.filter((e) => e.state === 'unread').at(-1)!.id);
  await page.evaluate((id) => window.__fake!.setState(id, 'burned'), last);
  await page.getByLabel(en['mySecrets.search']).fill(await page.evaluate((id) => window.__fake!.entries.find((e) => e.id === id)!.label, last));
  await expect(page.getByTestId('secret-row').first().locator('[data-state]')).toHaveAttribute('data-state', 'burned');
});

/** Every visible control on the page has a name a screen reader can announce. */
async function expectLabelled(page: Page, screenName: string): Promise<void> {
  const unnamed = await page.evaluate(() => {
    const named = (el: Element): boolean => {
      if (el.getAttribute('aria-label')?.trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(' ').some((id) => document.getElementById(id)?.textContent?.trim())) return true;
      if ('labels' in el && (el as HTMLInputElement).labels?.length) {
        return [...(el as HTMLInputElement).labels!].some((l) => l.textContent?.trim());
      }
      return el.tagName === 'BUTTON' && Boolean(el.textContent?.trim());
    };
    return [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed')
      .filter((el) => !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
  expect(unnamed, `unlabelled controls on ${screenName}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of every screen (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await start(page, { entries: 24 });
    const shot = async (name: string) => {
      await expectLabelled(page, name);
      await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, fullPage: true });
    };

    await page.getByLabel(en['newSecret.text']).fill('Sunflower-Orbit-42');
    await page.getByRole('button', { name: en['generator.password'] }).click();
    await shot('01-new-secret');
    await page.getByTestId('more-options').click();
    await page.getByLabel(en['newSecret.label']).fill('Wi-Fi for the new intern');
    await page.getByTestId('create').click();
    await expect(page.getByRole('heading', { name: say('share.title', { count: 1 }) })).toBeVisible();
    await shot('02-share');

    await page.getByTestId('nav-secrets').click();
    await expect(page.getByTestId('secret-row').first()).toBeVisible();
    await shot('03-my-secrets');
    await page.getByTestId('secret-row').first().click();
    await page.getByRole('button', { name: en['secretDetail.showLink'] }).click();
    await expect(page.getByRole('img', { name: en['share.qr'] })).toBeVisible();
    await shot('04-secret-detail');

    await page.getByTestId('nav-open').click();
    await page.getByLabel(en['open.link']).fill('https://eu.onetimesecret.com/secret/gone0000000000000');
    await page.getByTestId('reveal').click();
    await expect(page.getByRole('alert')).toBeVisible();
    await shot('05-open-secret');

    await page.getByTestId('nav-relay').click();
    await page.getByTestId('relay-switch').click();
    await expect(page.getByTestId('relay-url')).toHaveText('http://192.168.1.20:7143/');
    await page.getByTestId('token-name').fill('Reception laptop');
    await page.getByTestId('token-create').click();
    await expect(page.getByTestId('fresh-token')).toBeVisible();
    await shot('06-relay');

    await page.getByTestId('nav-history').click();
    await expect(page.getByTestId('history-table')).toBeVisible();
    await shot('07-history');

    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('profile').first()).toBeVisible();
    await shot('08-settings');
  });
}

// A colleague joins an office relay: the relays found nearby, then one pasted invite.
for (const scheme of ['light', 'dark'] as const) {
  test(`add a server: a relay found nearby, then an invite imported (${scheme})`, async ({ page }) => {
    const link = 'http://192.168.1.20:7143/invite/4j553fbtqf6zg5gx4vowxhvw6g76199d220093qj0o1799by0n#q3m0YbT2l-Hc1n8Zq4Pw0v9Xy7Rk3Ga5Ms2Ue6Ji1Lo';
    const fingerprint = '3A:91:0C:5E:D2:47:18:AB:60:F3:9C:2D:84:71:BE:05:1F:C8:6A:93:E4:0B:57:D9:22:7C:A1:3E:F6:88:4D:7F';
    await page.emulateMedia({ colorScheme: scheme });
    await start(page, {
      nearbyRelays: [
        { instance: 'Front office._hushlink._tcp.local.', name: 'Front office', address: 'http://192.168.1.20:7143', httpsPort: 7144, fingerprint },
        { instance: 'Lab._hushlink._tcp.local.', name: 'Lab', address: 'http://192.168.1.44:7143', httpsPort: 7144, fingerprint: null },
      ],
      invites: { [link]: { name: 'Front office', origin: 'http://192.168.1.20:7143', httpsPort: 7144, fingerprint, tokenName: 'Sam' } },
    });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('add-server-open').click();
    await expect(page.getByTestId('found-relay')).toHaveCount(2);
    await page.getByTestId('invite-paste').fill(link);
    await expectLabelled(page, 'add-server');
    await page.getByTestId('add-server').screenshot({ path: `${SHOTS}/add-server-${scheme}.png` });

    await page.getByTestId('invite-import').click();
    await expect(page.getByTestId('invite-imported')).toHaveText(say('prof.imported', { name: 'Front office' }));
    const office = page.getByTestId('profile').filter({ hasText: 'Front office' });
    await expect(office.getByTestId('profile-pin')).toContainText(`${en['prof.pinned']} ${fingerprint}`);
    await expect(office.getByTestId('profile-check-result')).toHaveAttribute('data-authenticated', 'true');
    await page.screenshot({ path: `${SHOTS}/invite-imported-${scheme}.png`, fullPage: true });
  });
}
