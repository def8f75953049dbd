// The app in German, the longest of its languages: the system language is German (the
// browser's locale), so the app follows it, and no text of the converted screens is clipped
// or pushed out of its box. Screenshots of each go to target/ui-screens/de-*.png.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import de from '../src/lib/i18n/de.json' with { type: 'json' };
import fr from '../src/lib/i18n/fr.json' with { type: 'json' };
import { installFakeBackend, type FakeSeed } from '../tests/fake-backend';
import { clipped } from './layout';

const SHOTS = fileURLToPath(new URL('../../target/ui-screens', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

test.use({ locale: 'de-DE' });

async function start(page: Page, seed: FakeSeed = {}): Promise<void> {
  await page.addInitScript(installFakeBackend, seed);
  await page.goto('/');
  await expect.poll(() => page.evaluate(() => window.__fake?.ready)).toBe('Hushlink');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
}

async function checked(page: Page, shot: string): Promise<void> {
  expect(await clipped(page), `clipped text on ${shot}`).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/de-${shot}.png`, fullPage: true });
}

test('the share screen in German', async ({ page }) => {
  await start(page);
  await page.locator('#secret-text').fill('Korrektes-Pferd-42');
  await page.getByTestId('create').click();
  await expect(page.getByTestId('share-link')).toBeVisible();
  await expect(page.locator('#share-title')).toHaveText(/Link/);
  await checked(page, 'share');
  await page.getByTestId('destroy').click();
  await expect(page.getByTestId('destroy-confirm')).toBeVisible();
  await checked(page, 'share-confirm-destroy');
});

test('opening a secret in German, with a problem shown', async ({ page }) => {
  const link = 'https://eu.onetimesecret.com/secret/abcdefabcdef12345678';
  await start(page, { receivable: { [link]: { text: 'WLAN: Sonnenblume-42' } } });
  await page.getByTestId('nav-open').click();
  await page.locator('#open-link').fill('https://eu.onetimesecret.com/secret/gibtesnicht00000000');
  await page.getByTestId('reveal').click();
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'secret_gone');
  await checked(page, 'open-problem');
  await page.locator('#open-link').fill(link);
  await page.getByTestId('reveal').click();
  await expect(page.getByTestId('revealed')).toHaveValue('WLAN: Sonnenblume-42');
  await checked(page, 'open-revealed');
});

test('the office relay in German, on and with activity', async ({ page }) => {
  await start(page, { relayRunning: true, entries: 3 });
  await page.getByTestId('nav-relay').click();
  await expect(page.getByTestId('relay-url')).toBeVisible();
  await expect(page.getByTestId('access-log')).toBeVisible();
  await checked(page, 'relay');
});

test('My secrets badges in German', async ({ page }) => {
  await start(page, { entries: 8 });
  await page.getByTestId('nav-secrets').click();
  await expect(page.getByTestId('secret-row').first()).toBeVisible();
  const badges = page.locator('[data-state]');
  expect(await badges.count()).toBeGreaterThan(0);
  for (const badge of await badges.all()) {
    const fits = await badge.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits, `badge ${await badge.getAttribute('data-state')}`).toBe(true);
  }
});

test('adding a server in German: invite, relays found nearby, the form by hand', async ({ page }) => {
  await start(page, {
    nearbyRelays: [
      { instance: 'lab', name: 'Labor-Relay im zweiten Stock', address: 'http://192.168.1.44:7143', httpsPort: 7144, fingerprint: null },
    ],
  });
  await page.getByTestId('nav-settings').click();
  await page.getByRole('button', { name: de['add.title'] }).click();
  await expect(page.getByTestId('add-server')).toBeVisible();
  await expect(page.getByTestId('server-form')).toBeVisible();
  await checked(page, 'add-server');
});

test('My secrets, a filter and a secret\'s detail in German', async ({ page }) => {
  await start(page, { entries: 12 });
  await page.getByTestId('nav-secrets').click();
  await expect(page.getByTestId('secret-row').first()).toBeVisible();
  await page.locator('label[data-filter="ended"]').click();
  await expect(page.getByTestId('result-count')).toHaveText(/\d+ von 12 Geheimnissen/);
  await checked(page, 'secrets');
  await page.locator('label[data-filter="all"]').click();
  await page.getByTestId('secret-row').first().click();
  await page.getByTestId('show-link').click();
  await expect(page.getByTestId('copy-link')).toBeVisible();
  await checked(page, 'secret-detail');
  await page.getByTestId('remove').click();
  await expect(page.getByTestId('remove-yes')).toBeVisible();
  await checked(page, 'secret-detail-remove');
});

test('History in German, every column shown', async ({ page }) => {
  await start(page, { entries: 12 });
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-table')).toBeVisible();
  await page.getByTestId('history-export').click();
  await expect(page.locator('p.notice[role="status"]')).toBeVisible();
  await checked(page, 'history');
});

test('Settings in German, a change saved', async ({ page }) => {
  await start(page);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('about')).toBeVisible();
  await page.locator('#set-theme').selectOption('dark');
  await expect(page.getByTestId('settings-intro').getByRole('status')).toHaveText(de['settings.saved.theme']);
  await checked(page, 'settings');
});

test('German from the first paint, and only the languages shown are loaded', async ({ page }) => {
  // Each language but English is a chunk of its own (assets/<lang>-<hash>.js).
  const chunks: string[] = [];
  page.on('request', (request) => {
    const lang = /\/assets\/(de|fr|es|nl|pt)-[^/]+\.js$/.exec(request.url())?.[1];
    if (lang) chunks.push(lang);
  });
  // What the app shows the moment it first mounts: no English first, German a moment later.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const nav = document.querySelector('[data-testid="nav-relay"]');
      if (!nav) return;
      observer.disconnect();
      (window as unknown as { firstWords: string }).firstWords = (nav.textContent ?? '').trim();
    }).observe(document, { childList: true, subtree: true });
  });
  await start(page);
  expect(await page.evaluate(() => (window as unknown as { firstWords: string }).firstWords)).toBe(de['nav.relay']);
  expect(chunks).toEqual(['de']);

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language-picker').selectOption('fr');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByTestId('nav-relay')).toHaveText(fr['nav.relay']);
  expect(chunks).toEqual(['de', 'fr']);
});
