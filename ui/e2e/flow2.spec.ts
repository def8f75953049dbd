// Item 5 of issue 17 in the built UI: Settings without an empty gap, selects drawn like the
// inputs in both themes, the clipboard countdown live after a copy.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import en from '../src/lib/i18n/en.json' with { type: 'json' };
import { installFakeBackend } from '../tests/fake-backend';

const SHOTS = fileURLToPath(new URL('../../target/ui-screens', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

async function start(page: Page): Promise<void> {
  await page.addInitScript(installFakeBackend, {});
  await page.goto('/');
  await expect.poll(() => page.evaluate(() => window.__fake?.ready)).toBe('Hushlink');
}

for (const scheme of ['light', 'dark'] as const) {
  test(`settings: no empty gap, selects look like inputs (${scheme})`, async ({ page }) => {
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.emulateMedia({ colorScheme: scheme });
    await start(page);
    await page.getByRole('button', { name: /Settings/ }).click();
    const intro = page.getByTestId('settings-intro');
    const first = page.getByRole('heading', { level: 3 }).first();
    const a = (await intro.boundingBox())!;
    const b = (await first.boundingBox())!;
    // The intro's own bottom margin and the heading's top margin, nothing in between.
    expect(b.y - (a.y + a.height)).toBeLessThan(48);

    const look = (selector: string) =>
      page.locator(selector).first().evaluate((el) => {
        const s = getComputedStyle(el);
        return { bg: s.backgroundColor, border: s.borderTopColor, color: s.color, appearance: s.appearance };
      });
    const select = await look('#set-expiry');
    await page.getByRole('button', { name: /My secrets/ }).click();
    const input = await look('#secret-search');
    expect(select.appearance, 'drawn by the app, not the platform').toBe('none');
    expect({ bg: select.bg, border: select.border, color: select.color }).toEqual({
      bg: input.bg,
      border: input.border,
      color: input.color,
    });
    await page.getByRole('button', { name: /Settings/ }).click();
    await page.screenshot({ path: `${SHOTS}/flow2-settings-${scheme}.png` });
  });
}

test('a copied link counts down to its clear from the clipboard', async ({ page }) => {
  await page.clock.install();
  await start(page);
  await page.getByLabel(en['newSecret.text']).fill('Correct-Horse-42');
  await page.getByTestId('create').click();
  const countdown = page.getByTestId('clipboard-countdown');
  await expect(countdown).toHaveAttribute('data-seconds-left', '120');
  await page.clock.runFor(30_000);
  await expect(countdown).toHaveAttribute('data-seconds-left', '90');
  await page.clock.runFor(90_000);
  await expect(countdown).toHaveAttribute('data-seconds-left', '0');
});
