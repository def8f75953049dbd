// The recipient pages with the keyboard alone, in a real browser against the real headless
// relay (`npm run e2e:relay` builds it): Tab to "Open the secret" and Enter; a passphrase typed,
// shown and hidden again with the keyboard, then sent; Copy reached and pressed with the
// keyboard. Every element the keyboard lands on shows where focus is. Elements are found by
// ids, states by attributes: the words are the catalogues' (six languages).
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { SCHEMES } from './a11y-support';
import { share, startRelay, stopRelay, type Relay } from './relay-server';

let relay: Relay;
let contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  relay = await startRelay();
});

test.afterAll(async () => {
  if (relay) await stopRelay(relay);
});

test.afterEach(async () => {
  for (const context of contexts) await context.close();
  contexts = [];
});

async function open(browser: Browser, path: string, colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ colorScheme });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${relay.url}${path}`);
  // The page script shows the toggle and the Copy button: wait until it ran.
  await expect(page.locator('body')).toHaveAttribute('data-script', 'ready');
  return page;
}

/** What the keyboard is on, and whether it shows: `:focus-visible` and a drawn outline. */
async function focused(page: Page): Promise<{ id: string; tag: string; visible: boolean; outline: string; width: number }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: '', tag: 'BODY', visible: false, outline: 'none', width: 0 };
    const style = getComputedStyle(el);
    return {
      id: el.id,
      tag: el.tagName,
      visible: el.matches(':focus-visible'),
      outline: style.outlineStyle,
      width: parseFloat(style.outlineWidth) || 0,
    };
  });
}

/** Asserts the element under focus shows it. */
async function expectFocusShown(page: Page): Promise<void> {
  const now = await focused(page);
  expect(now.tag, 'focus is on an element').not.toBe('BODY');
  expect(now.visible, `#${now.id || now.tag} matches :focus-visible`).toBe(true);
  expect(now.outline, `#${now.id || now.tag} draws a focus outline`).not.toBe('none');
  expect(now.width, `#${now.id || now.tag} has a focus outline width`).toBeGreaterThan(0);
}

/** Tabs forward until the element with `id` has focus, checking the focus shows at each stop. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let stop = 0; stop < 30; stop++) {
    await page.keyboard.press('Tab');
    await expectFocusShown(page);
    if ((await focused(page)).id === id) return;
  }
  throw new Error(`#${id} was not reached with Tab`);
}

for (const scheme of SCHEMES) {
  test(`${scheme}: Tab to the button, Enter reveals, Tab to Copy, Enter copies`, async ({ browser }) => {
    const { secretKey } = await share(relay, { secret: 'keyboard only 42' });
    const page = await open(browser, `/secret/${secretKey}`, scheme);
    await expect(page.locator('body')).toHaveAttribute('data-page', 'confirm');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.url });

    await tabTo(page, 'reveal');
    await page.keyboard.press('Enter');
    await expect(page.locator('body')).toHaveAttribute('data-page', 'revealed');
    await expect(page.locator('#secret')).toHaveValue('keyboard only 42');

    await tabTo(page, 'copy');
    await page.keyboard.press('Enter');
    await expect(page.locator('#copy-status')).toHaveAttribute('data-state', 'copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('keyboard only 42');
    // Space works too (a button's other key), and focus stays on Copy.
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('keyboard only 42');
    expect((await focused(page)).id).toBe('copy');
    await expectFocusShown(page);
  });

  test(`${scheme}: a passphrase typed, shown and hidden with the keyboard, then sent`, async ({ browser }) => {
    const { secretKey } = await share(relay, { secret: 'behind the door', passphrase: 'open sesame' });
    const page = await open(browser, `/secret/${secretKey}`, scheme);
    const field = page.locator('#passphrase');
    const toggle = page.locator('#passphrase-toggle');

    await tabTo(page, 'passphrase');
    await page.keyboard.type('open sesame');
    await expect(field).toHaveAttribute('type', 'password');

    await tabTo(page, 'passphrase-toggle');
    await page.keyboard.press('Space');
    await expect(field).toHaveAttribute('type', 'text');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(field).toHaveValue('open sesame');
    await expectFocusShown(page);
    await page.keyboard.press('Enter');
    await expect(field).toHaveAttribute('type', 'password');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(toggle).toBeFocused();

    // Back to the field and send the form from it with Enter.
    await page.keyboard.press('Shift+Tab');
    await expect(field).toBeFocused();
    await expectFocusShown(page);
    await page.keyboard.press('Enter');
    await expect(page.locator('body')).toHaveAttribute('data-page', 'revealed');
    await expect(page.locator('#secret')).toHaveValue('behind the door');
    await tabTo(page, 'copy');
  });

  test(`${scheme}: a wrong passphrase puts the keyboard back on the field`, async ({ browser }) => {
    const { secretKey } = await share(relay, { secret: 'second try', passphrase: 'right' });
    const page = await open(browser, `/secret/${secretKey}`, scheme);
    await tabTo(page, 'passphrase');
    await page.keyboard.type('wrong');
    await tabTo(page, 'reveal');
    await page.keyboard.press('Enter');
    await expect(page.locator('#passphrase-error')).toHaveAttribute('data-attempts-left', /\d+/);
    // The field is focused again (autofocus), ready to type.
    await expect(page.locator('#passphrase')).toBeFocused();
    await page.keyboard.type('right');
    await page.keyboard.press('Enter');
    await expect(page.locator('#secret')).toHaveValue('second try');
  });
}
