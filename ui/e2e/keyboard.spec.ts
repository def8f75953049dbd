// The main flows with the keyboard alone (Tab, Shift+Tab, Enter, Space, Escape; no mouse, no
// shortcuts, no arrow keys), over the fake backend, in both colour schemes. Every element
// that takes focus on the way must show a focus indicator. Outcomes are checked as state
// codes and backend calls, not as display words.
import { expect, test, type Locator, type Page } from '@playwright/test';
import en from '../src/lib/i18n/en.json' with { type: 'json' };
import { installFakeBackend, type FakeSeed } from '../tests/fake-backend';

const SCHEMES = ['light', 'dark'] as const;

async function start(page: Page, scheme: (typeof SCHEMES)[number], seed: FakeSeed = {}): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.addInitScript(installFakeBackend, seed);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hushlink');
  await expect.poll(() => page.evaluate(() => window.__fake?.ready)).toBe('Hushlink');
}

/**
 * The focused element's indicator: a visible outline of at least 2px on it, or, for a
 * control drawn by its label (a visually hidden radio or checkbox), on that label. Returns
 * what is wrong, or null.
 */
async function focusProblem(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing has focus';
    const shows = (node: Element) => {
      const s = getComputedStyle(node);
      const transparent = /rgba\(.*,\s*0\)$/.test(s.outlineColor) || s.outlineColor === 'transparent';
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && !transparent;
    };
    if (!el.matches(':focus-visible')) return `${el.outerHTML.slice(0, 80)} is not :focus-visible`;
    if (shows(el)) return null;
    const label = el.closest('label');
    if (label && shows(label)) return null;
    return `no visible focus indicator on ${el.outerHTML.slice(0, 80)}`;
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, checking the focus indicator of every
 * element passed on the way. Fails if the target is not reached within `max` presses.
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 60 } = {}): Promise<void> {
  for (let i = 0; i <= max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) {
      expect(await focusProblem(page)).toBeNull();
      return;
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    expect(await focusProblem(page), `after ${i + 1} presses`).toBeNull();
  }
  throw new Error(`${target} not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses`);
}

const calls = (page: Page, cmd: string) =>
  page.evaluate((name) => window.__fake!.calls.filter((c) => c.cmd === name).map((c) => c.args), cmd);

for (const scheme of SCHEMES) {
  test(`keyboard, ${scheme}: create a secret and copy its link`, async ({ page }) => {
    await start(page, scheme);
    await expect(page.getByLabel(en['newSecret.text'])).toBeFocused();
    await page.keyboard.type('typed without a mouse');
    await tabTo(page, page.getByTestId('create'));
    await page.keyboard.press('Enter');
    const link = page.getByTestId('share-link');
    await expect(link).toBeVisible();
    expect(await calls(page, 'create_secrets')).toHaveLength(1);

    // The link was copied on arrival; empty the clipboard to see the keyboard copy it again.
    await page.evaluate(() => (window.__fake!.clipboard = null));
    await tabTo(page, page.getByTestId('share-card').getByRole('button', { name: /copy/i }).first());
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate(() => window.__fake!.clipboard)).toBe(await link.inputValue());
  });

  test(`keyboard, ${scheme}: open a secret's detail and destroy it`, async ({ page }) => {
    await start(page, scheme, { entries: 5 });
    await tabTo(page, page.getByTestId('nav-secrets'), { back: true });
    await page.keyboard.press('Enter');
    const row = page.getByTestId('secret-row').first();
    await tabTo(page, row);
    await page.keyboard.press('Enter');
    const id = (await calls(page, 'get_secret')).at(-1)?.id as string | undefined;
    expect(id, 'the detail loaded its secret').toBeTruthy();
    const state = () => page.evaluate((entryId) => window.__fake!.entries.find((e) => e.id === entryId)?.state, id);
    expect(await state()).toBe('unread');

    // The destroy button asks first; Escape takes the question back.
    const destroy = page.locator('section.detail button.danger').first();
    const confirm = page.locator('section.detail [role="group"] button.danger');
    await tabTo(page, destroy);
    await page.keyboard.press('Enter');
    await tabTo(page, confirm);
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    expect(await state()).toBe('unread');

    await tabTo(page, destroy);
    await page.keyboard.press('Space');
    await tabTo(page, confirm);
    await page.keyboard.press('Space');
    await expect.poll(state).toBe('burned');
    expect(await calls(page, 'burn_secret')).toEqual([{ id }]);

    // Escape leaves the detail for the list.
    await page.keyboard.press('Escape');
    await expect(page.locator('section.detail')).toHaveCount(0);
    await expect(row).toBeVisible();
  });

  test(`keyboard, ${scheme}: focus moves into the destroy question and back`, async ({ page }) => {
    await start(page, scheme, { entries: 5 });
    await tabTo(page, page.getByTestId('nav-secrets'), { back: true });
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByTestId('secret-row').first());
    await page.keyboard.press('Enter');
    const destroy = page.locator('section.detail button.danger').first();
    await tabTo(page, destroy);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.closest('[role="group"]') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await expect(destroy).toBeFocused();
  });

  test(`keyboard, ${scheme}: focus moves into the share screen's destroy question`, async ({ page }) => {
    await start(page, scheme);
    await page.keyboard.type('typed without a mouse');
    await tabTo(page, page.getByTestId('create'));
    await page.keyboard.press('Enter');
    const destroy = page.getByTestId('share-card').getByTestId('destroy');
    await tabTo(page, destroy);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);
  });

  test(`keyboard, ${scheme}: change a setting`, async ({ page }) => {
    await start(page, scheme);
    await tabTo(page, page.getByTestId('nav-settings'), { back: true });
    await page.keyboard.press('Enter');
    const box = page.getByRole('checkbox').first();
    await expect(box).toBeVisible();
    const before = await box.isChecked();
    const initial = await page.evaluate(
      () =>
        (window as unknown as { __TAURI_INTERNALS__: { invoke(cmd: string): Promise<Record<string, unknown>> } })
          .__TAURI_INTERNALS__.invoke('get_settings'),
    );
    await tabTo(page, box);
    await page.keyboard.press('Space');
    await expect(box).toBeChecked({ checked: !before });
    await expect.poll(async () => (await calls(page, 'save_settings')).length).toBe(1);
    const saved = (await calls(page, 'save_settings'))[0]!.settings as Record<string, unknown>;
    // Exactly one setting changed, to the box's new state.
    const changed = Object.keys(saved).filter((k) => saved[k] !== initial[k]);
    expect(changed).toHaveLength(1);
    expect(saved[changed[0]!]).toBe(!before);
  });
}
