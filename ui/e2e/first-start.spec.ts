// The first minutes with the app, in the built UI over the fake backend: the first-start
// question (keyboard only) and New secret in the smallest supported window (1000x700).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import de from '../src/lib/i18n/de.json' with { type: 'json' };
import en from '../src/lib/i18n/en.json' with { type: 'json' };
import { installFakeBackend, type FakeSeed } from '../tests/fake-backend';
import { clipped, cutOffSelects } from './layout';

/** `target/ui-screens/` at the repository root, as app.spec.ts writes them. */
const SHOTS = fileURLToPath(new URL('../../target/ui-screens', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

async function start(page: Page, seed: FakeSeed = {}): Promise<void> {
  await page.addInitScript(installFakeBackend, seed);
  await page.goto('/');
  await expect.poll(() => page.evaluate(() => window.__fake?.ready)).toBe('Hushlink');
}

/** The whole element lies inside the window, as it is, without scrolling anything. */
async function inView(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = locator.page().viewportSize();
  expect(box, 'rendered').not.toBeNull();
  expect(viewport).not.toBeNull();
  expect(box!.y, 'below the top').toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, 'above the bottom edge').toBeLessThanOrEqual(viewport!.height);
}

test.describe('New secret in a 1000x700 window', () => {
  test.use({ viewport: { width: 1000, height: 700 } });

  test('the secret, the expiry, who it is for and Create link are in view without scrolling', async ({ page }) => {
    await start(page);
    await expect(page.getByRole('heading', { name: en['newSecret.title'] })).toBeVisible();
    // A generated password (with its strength line) is the tallest the top part gets.
    await page.getByRole('button', { name: en['generator.password'] }).click();
    await expect(page.getByTestId('text-gen-strength')).toBeVisible();
    expect(await page.evaluate(() => [window.scrollX, window.scrollY])).toEqual([0, 0]);
    await inView(page.getByLabel(en['newSecret.text']));
    await inView(page.getByLabel(en['newSecret.expiry']));
    await inView(page.getByLabel(en['newSecret.recipients']));
    await inView(page.getByTestId('create'));
    await expect(page.getByLabel(en['newSecret.label']), 'folded under More options').toBeHidden();
    await page.screenshot({ path: `${SHOTS}/new-secret-1000x700-light.png` });
    await page.getByRole('button', { name: en['generator.showLarge'] }).click();
    await page.getByRole('region', { name: en['generator.large'] }).screenshot({ path: `${SHOTS}/large-type-light.png` });
  });

  test('an empty note is fine: the link is created', async ({ page }) => {
    await start(page);
    await page.getByLabel(en['newSecret.text']).fill('Sunflower-Orbit-42');
    await page.getByTestId('create').click();
    await expect(page.getByTestId('share-link')).toBeVisible();
    const request = await page.evaluate(() => window.__fake?.calls.find((c) => c.cmd === 'create_secrets')?.args);
    expect(request).toMatchObject({ request: { label: '', ttlMs: 86_400_000 } });
  });

  test('More options opens as it was left, after a restart', async ({ page }) => {
    await start(page);
    await page.getByTestId('more-options').click();
    await expect(page.getByLabel(en['newSecret.label'])).toBeVisible();
    await page.reload();
    await expect.poll(() => page.evaluate(() => window.__fake?.ready)).toBe('Hushlink');
    await expect(page.getByLabel(en['newSecret.label'])).toBeVisible();
  });
});

test.describe('First start', () => {
  test('asks where links live and answers it with the keyboard alone', async ({ page }) => {
    await start(page, { firstStart: true });
    const welcome = page.getByTestId('welcome');
    await expect(welcome).toBeVisible();
    await expect(page.getByRole('heading', { name: en['welcome.title'] })).toBeFocused();
    await expect(page.getByRole('heading', { name: en['newSecret.title'] })).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/first-start-light.png`, fullPage: true });

    // Tab to the choices, arrows between them and in the region list, Tab on, Enter.
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('place-office')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('place-region')).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(page.getByLabel(en['welcome.regionLabel'], { exact: true })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel(en['welcome.regionLabel'], { exact: true })).toHaveValue('us');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('start-with-computer')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('welcome-continue')).toBeFocused();
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { name: en['newSecret.title'] })).toBeVisible();
    const defaults = await page.evaluate(() => window.__fake?.calls.filter((c) => c.cmd === 'set_default_profile').map((c) => c.args));
    expect(defaults).toEqual([{ id: 'us' }]);
    expect(await page.evaluate(() => localStorage.getItem('hushlink.firstStartDone'))).toBe('1');
  });

  test('Escape skips it and nothing changes', async ({ page }) => {
    await start(page, { firstStart: true });
    await expect(page.getByTestId('welcome')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('heading', { name: en['newSecret.title'] })).toBeVisible();
    const changes = await page.evaluate(() =>
      window.__fake?.calls.filter((c) => ['set_default_profile', 'save_settings', 'set_relay'].includes(c.cmd)),
    );
    expect(changes).toEqual([]);
  });

  test('an existing computer is not asked', async ({ page }) => {
    await start(page);
    await expect(page.getByRole('heading', { name: en['newSecret.title'] })).toBeVisible();
    await expect(page.getByTestId('welcome')).toHaveCount(0);
  });
});

test.describe('WCAG 2.1 AA on these screens (axe)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`the first-start question and New secret with everything unfolded (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await start(page, { firstStart: true });
      const axe = async (where: string) => {
        const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        expect(found, `violations on ${where}`).toEqual([]);
      };
      await page.getByTestId('place-region').check();
      await axe('the first-start question');
      await page.screenshot({ path: `${SHOTS}/first-start-${scheme}.png`, fullPage: true });
      await page.getByTestId('welcome-skip').click();
      await page.getByRole('button', { name: en['generator.password'] }).click();
      await page.getByRole('button', { name: en['generator.showLarge'] }).click();
      await page.getByTestId('more-options').click();
      await expect(page.getByLabel(en['newSecret.label'])).toBeVisible();
      await axe('New secret');
      await page.screenshot({ path: `${SHOTS}/new-secret-unfolded-${scheme}.png`, fullPage: true });
    });
  }
});

test.describe('In German, the longest language, in a 1000x700 window', () => {
  test.use({ viewport: { width: 1000, height: 700 }, locale: 'de-DE' });

  /** No text clipped or spilling, no choice cut off, no WCAG 2.1 AA violation; a screenshot
   *  for the record. */
  async function fits(page: Page, shot: string): Promise<void> {
    expect(await clipped(page), `clipped text on ${shot}`).toEqual([]);
    expect(await cutOffSelects(page), `cut-off choices on ${shot}`).toEqual([]);
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${shot}`).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/de-${shot}.png`, fullPage: true });
  }

  test('New secret keeps its main action in view, and everything unfolded fits', async ({ page }) => {
    await start(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { name: de['newSecret.title'] })).toBeVisible();
    await page.getByTestId('text-gen-generate').click();
    await expect(page.getByTestId('text-gen-strength')).toBeVisible();
    await page.getByTestId('copy-generated').click();
    await expect(page.getByTestId('clipboard-countdown')).toBeVisible();
    for (const field of ['#secret-text', '#expiry', '#recipients']) await inView(page.locator(field));
    await inView(page.getByTestId('create'));
    await fits(page, 'new-secret-1000x700');

    await page.getByTestId('text-gen-large-toggle').click();
    await page.getByTestId('more-options').click();
    await page.locator('#label').fill('WLAN-Passwort für Sam');
    await page.locator('#passphrase').fill('blau');
    await page.locator('#profile').selectOption('relay');
    await page.getByTestId('text-gen-styles').getByRole('radio').nth(3).check();
    await fits(page, 'new-secret-unfolded');
  });

  test('the first-start question fits with each answer open', async ({ page }) => {
    await start(page, {
      firstStart: true,
      nearbyRelays: [{ instance: 'b', name: 'Büro im zweiten Stock', address: 'http://192.168.1.44:7143', httpsPort: 7144, fingerprint: null }],
    });
    await expect(page.getByRole('heading', { name: de['welcome.title'] })).toBeVisible();
    await expect(page.getByTestId('office-detail')).toBeVisible();
    await page.getByTestId('start-with-computer').check();
    await fits(page, 'first-start-office');
    for (const place of ['region', 'own', 'computer']) {
      await page.getByTestId(`place-${place}`).check();
      await fits(page, `first-start-${place}`);
    }
  });
});
