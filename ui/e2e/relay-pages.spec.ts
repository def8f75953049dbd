// The recipient pages in a real browser against the real headless relay: GET never burns,
// the button reveals once, passphrases, end-to-end decryption, the gone page, the receipt
// and its burn button. Screenshots of each page, light and dark and on a phone, go to
// target/ui-screens/ (page-*.png, recipient-*.png) like the app's; the run never writes to
// docs/: `ui/scripts/refresh-screenshots` copies the ones docs/screenshots/README.md lists.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, share as shareOn, startRelay, stopRelay, type Relay, type Shared } from './relay-server';

const SHOTS = join(ROOT, 'target/ui-screens');
mkdirSync(SHOTS, { recursive: true });
/** The committed screenshots: a test run leaves them alone (see afterAll). */
const DOCS = join(ROOT, 'docs/screenshots');

/** Each committed screenshot's modification time, by name. */
function docsStamps(): Record<string, number> {
  const stamps: Record<string, number> = {};
  for (const name of readdirSync(DOCS)) stamps[name] = statSync(join(DOCS, name)).mtimeMs;
  return stamps;
}

interface Vector {
  name: string;
  plaintext: string;
  fragment: string;
  value: string;
}
const VECTORS = (
  JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/e2e-vectors.json'), 'utf8')) as { vectors: Vector[] }
).vectors;
const vector = (name: string): Vector => {
  const v = VECTORS.find((x) => x.name === name);
  if (!v) throw new Error(`no vector ${name}`);
  return v;
};

let relay: Relay;

let docsBefore: Record<string, number> = {};

test.beforeAll(async () => {
  docsBefore = docsStamps();
  relay = await startRelay();
});

test.afterAll(async () => {
  if (relay) await stopRelay(relay);
  expect(docsStamps(), 'a test run leaves docs/screenshots/ as it was (a clean tree)').toEqual(docsBefore);
});

const share = (fields: Record<string, string>): Promise<Shared> => shareOn(relay, fields);

/** What went wrong in the current test's pages: offsite requests, CSP violations, script errors. */
let problems: string[] = [];
let contexts: BrowserContext[] = [];

test.beforeEach(() => {
  problems = [];
  contexts = [];
});

test.afterEach(async () => {
  for (const context of contexts) await context.close();
  expect(problems, 'pages loaded only from the relay, without CSP violations or script errors').toEqual([]);
});

function watch(page: Page): void {
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== relay.url && url.protocol !== 'data:') problems.push(`offsite request ${request.url()}`);
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Uncaught/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
}

async function open(browser: Browser, path: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  watch(page);
  await page.goto(`${relay.url}${path}`);
  if (options.javaScriptEnabled !== false) await expect(page.locator('body')).toHaveAttribute('data-script', 'ready');
  return page;
}

/** Full-page screenshots in both colour schemes, and at phone size. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `page-${name}-${colorScheme}.png`), fullPage: true });
  }
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(SHOTS, `page-${name}-phone.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

// Pages are found by ids and codes, not words: the words are the catalogues' (six languages).
const reveal = (page: Page) => page.locator('#reveal');
const secretBox = (page: Page) => page.locator('#secret');
const goneHeading = (page: Page) => page.locator('body[data-page="gone"] h1');
const copyButton = (page: Page) => page.locator('#copy');
const state = (page: Page) => page.locator('#state');

test('a GET never burns; the button reveals once; a second reveal meets the gone page', async ({ browser }) => {
  const { secretKey } = await share({ secret: 'correct horse <b>battery</b> staple' });
  const page = await open(browser, `/secret/${secretKey}`);
  await expect(page.locator('body')).toHaveAttribute('data-page', 'confirm');
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await expect(reveal(page)).toBeEnabled();
  }
  // A preview bot's plain GETs, too.
  for (let i = 0; i < 3; i++) expect((await fetch(`${relay.url}/secret/${secretKey}`)).status).toBe(200);
  await shoot(page, 'confirm');

  // A second tab with the same link, opened before the reveal.
  const late = await open(browser, `/secret/${secretKey}`);
  await reveal(page).click();
  await expect(secretBox(page)).toHaveValue('correct horse <b>battery</b> staple');
  await expect(page.locator('.gone-note')).toBeVisible();
  await expect(copyButton(page)).toBeVisible();
  await shoot(page, 'revealed');

  await reveal(late).click();
  await expect(goneHeading(late)).toBeVisible();
  await page.goto(`${relay.url}/secret/${secretKey}`);
  await expect(goneHeading(page)).toBeVisible();
});

test('the copy button copies the secret', async ({ browser }) => {
  const { secretKey } = await share({ secret: 'copy me 42' });
  const page = await open(browser, `/secret/${secretKey}`);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.url });
  await reveal(page).click();
  await copyButton(page).click();
  await expect(page.locator('#copy-status')).toHaveAttribute('data-state', 'copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('copy me 42');
});

test('the pages work without JavaScript', async ({ browser }) => {
  const { secretKey } = await share({ secret: 'no script needed' });
  const page = await open(browser, `/secret/${secretKey}`, { javaScriptEnabled: false });
  await reveal(page).click();
  await expect(secretBox(page)).toHaveValue('no script needed');
});

test('passphrase: a wrong one is refused with a warning, the right one reveals', async ({ browser }) => {
  const { secretKey } = await share({ secret: 'behind the door', passphrase: 'open sesame' });
  const page = await open(browser, `/secret/${secretKey}`);
  const field = page.locator('#passphrase');
  await expect(field).toBeVisible();
  await shoot(page, 'passphrase');

  await field.fill('open says me');
  await field.press('Enter');
  await expect(page.locator('#passphrase-error')).toHaveAttribute('data-attempts-left', '4');
  await expect(page.locator('#passphrase')).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, 'passphrase-wrong');

  await page.locator('#passphrase').fill('open sesame');
  await reveal(page).click();
  await expect(secretBox(page)).toHaveValue('behind the door');
});

test('end-to-end: the browser decrypts with the key in the fragment, which never reaches the relay', async ({
  browser,
}) => {
  const v = vector('non_ascii');
  const { secretKey } = await share({ secret: v.value, e2e: 'true' });
  const page = await open(browser, `/secret/${secretKey}#${v.fragment}`);
  const sent: string[] = [];
  page.on('request', (request) => sent.push(request.url()));
  await expect(page.locator('#e2e-status')).toBeVisible();
  await shoot(page, 'e2e-confirm');
  await reveal(page).click();
  await expect(secretBox(page)).toHaveValue(v.plaintext);
  await expect(page.locator('#secret')).toHaveAttribute('data-decrypted', 'true');
  await expect(page.locator('#e2e-status')).toHaveAttribute('role', 'status');
  expect(new URL(page.url()).hash, 'the key is dropped from the address bar').toBe('');
  expect(sent.some((url) => url.includes(v.fragment)), 'no request carried the key').toBe(false);
  await shoot(page, 'e2e-revealed');
});

test('end-to-end without the key: the reveal button stays off and the secret stays', async ({ browser }) => {
  const v = vector('ascii');
  const { secretKey } = await share({ secret: v.value, e2e: 'true' });
  const page = await open(browser, `/secret/${secretKey}`);
  await expect(reveal(page)).toBeDisabled();
  await expect(page.locator('#e2e-status')).toHaveAttribute('role', 'alert');
  await shoot(page, 'e2e-missing-key');
  // The secret is still there for the complete link.
  const full = await open(browser, `/secret/${secretKey}#${v.fragment}`);
  await reveal(full).click();
  await expect(secretBox(full)).toHaveValue(v.plaintext);
});

test('end-to-end with a passphrase: the key survives a wrong try', async ({ browser }) => {
  const v = vector('long');
  const { secretKey } = await share({ secret: v.value, e2e: 'true', passphrase: 'two locks' });
  const page = await open(browser, `/secret/${secretKey}#${v.fragment}`);
  await page.locator('#passphrase').fill('one lock');
  await reveal(page).click();
  await expect(page.locator('#passphrase-error')).toHaveAttribute('data-attempts-left', '4');
  expect(new URL(page.url()).hash, 'the answer page still has the key').toBe(`#${v.fragment}`);
  await expect(reveal(page)).toBeEnabled();
  await page.locator('#passphrase').fill('two locks');
  await reveal(page).click();
  await expect(secretBox(page)).toHaveValue(v.plaintext);
});

test('end-to-end value shared without the e2e mark is still decrypted from its prefix', async ({ browser }) => {
  const v = vector('multiline');
  const { secretKey } = await share({ secret: v.value });
  const page = await open(browser, `/secret/${secretKey}#${v.fragment}`);
  await reveal(page).click();
  // A textarea reports line breaks as LF (HTML's "API value"); the exact bytes are the unit test's.
  await expect(secretBox(page)).toHaveValue(v.plaintext.replace(/\r\n?/g, '\n'));
  await expect(page.locator('#secret')).toHaveAttribute('data-decrypted', 'true');
});

test('an unknown key gets the gone page', async ({ browser }) => {
  const page = await open(browser, `/secret/${'0'.repeat(50)}`);
  await expect(goneHeading(page)).toBeVisible();
  await shoot(page, 'gone');
});

test('the receipt: Copy link first; "Destroy link" asks before it destroys', async ({ browser }) => {
  const { secretKey, receiptKey } = await share({ secret: 'burn after reading', passphrase: 'pw-1234' });
  const page = await open(browser, `/receipt/${receiptKey}`);
  await expect(state(page)).toHaveAttribute('data-state', 'new');
  await expect(page.locator('#share-link')).toHaveValue(`${relay.url}/secret/${secretKey}`);
  await expect(copyButton(page)).toHaveClass(/primary/);
  await shoot(page, 'receipt');

  // The destroy button is behind a question: closed, nothing destroys.
  await expect(page.locator('#burn')).toBeHidden();
  await page.locator('#destroy > summary').click();
  await expect(page.locator('#destroy-question')).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, 'receipt-destroy-phone-light.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator('#burn').click();
  await expect(state(page)).toHaveAttribute('data-state', 'burned');
  expect(new URL(page.url()).pathname).toBe(`/receipt/${receiptKey}`);
  await expect(page.locator('#destroy')).toHaveCount(0);
  await shoot(page, 'receipt-burned');

  const recipient = await open(browser, `/secret/${secretKey}`);
  await expect(goneHeading(recipient)).toBeVisible();

  const privatePage = await open(browser, `/private/${receiptKey}`);
  await expect(state(privatePage)).toHaveAttribute('data-state', 'burned');
});

test('the receipt says when and from where a secret was read', async ({ browser }) => {
  const { secretKey, receiptKey } = await share({ secret: 'read me' });
  const recipient = await open(browser, `/secret/${secretKey}`);
  await reveal(recipient).click();
  await expect(secretBox(recipient)).toHaveValue('read me');
  const page = await open(browser, `/private/${receiptKey}`);
  await expect(state(page)).toHaveAttribute('data-state', 'received');
  await expect(page.getByText('127.0.0.1')).toBeVisible();
  await shoot(page, 'receipt-read');
});

const PHONE = { width: 390, height: 844 };

/** A phone-sized page whose browser asks for `locale` first (its Accept-Language). */
async function openOnPhone(browser: Browser, path: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, locale, hasTouch: true, isMobile: true });
  contexts.push(context);
  const page = await context.newPage();
  watch(page);
  await page.goto(`${relay.url}${path}`);
  await expect(page.locator('body')).toHaveAttribute('data-script', 'ready');
  return page;
}

/** Nothing sticks out sideways on a phone (no clipped or overflowing text or buttons). */
async function expectNoSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *, footer *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map((el) => el.id || el.tagName),
  );
  expect(wide, 'elements wider than the phone screen').toEqual([]);
}

for (const { locale, lang } of [
  { locale: 'en-US', lang: 'en' },
  { locale: 'de-DE', lang: 'de' },
]) {
  test(`on a phone in ${lang}: who, until when, once, the tries and the passphrase toggle`, async ({ browser }) => {
    const { secretKey } = await share({ secret: 'Sommer-2026!', passphrase: 'open sesame', ttl: '86400' });
    const page = await openOnPhone(browser, `/secret/${secretKey}`, locale);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.locator('#sent-from')).not.toBeEmpty();
    // The expiry, in the reader's language and time zone (the script formats it with Intl).
    await expect(page.locator('#works-until time')).toHaveAttribute('title', /UTC$/);
    await expect(page.locator('#once')).toBeVisible();
    await expect(page.locator('#passphrase-tries')).toHaveAttribute('data-tries', '5');
    await expect(page.locator('#http-note')).toBeVisible();
    await expectNoSidewaysOverflow(page);

    const field = page.locator('#passphrase');
    const toggle = page.locator('#passphrase-toggle');
    await field.fill('open sesame');
    await expect(field).toHaveAttribute('type', 'password');
    await toggle.click();
    await expect(field).toHaveAttribute('type', 'text');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await toggle.click();
    await expect(field).toHaveAttribute('type', 'password');
    if (lang === 'en') {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: join(SHOTS, `recipient-phone-${colorScheme}.png`), fullPage: true });
      }
      await page.emulateMedia({ colorScheme: 'light' });
    } else {
      await page.screenshot({ path: join(SHOTS, 'recipient-phone-de-light.png'), fullPage: true });
    }

    await reveal(page).click();
    await expect(secretBox(page)).toHaveValue('Sommer-2026!');
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(copyButton(page)).toBeVisible();
    await expectNoSidewaysOverflow(page);
    if (lang === 'en') {
      await page.screenshot({ path: join(SHOTS, 'revealed-phone-light.png'), fullPage: true });
    }
  });
}

test('the language picker works without script and keeps an end-to-end key', async ({ browser }) => {
  const v = vector('ascii');
  const { secretKey } = await share({ secret: v.value, e2e: 'true' });
  const page = await openOnPhone(browser, `/secret/${secretKey}#${v.fragment}`, 'en-US');
  await page.locator('nav.languages a[hreflang="fr"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  expect(new URL(page.url()).search).toBe('?lang=fr');
  expect(new URL(page.url()).hash, 'the key came along').toBe(`#${v.fragment}`);
  await expect(page.locator('body')).toHaveAttribute('data-script', 'ready');
  await reveal(page).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(secretBox(page)).toHaveValue(v.plaintext);

  const noScript = await open(browser, `/secret/${'0'.repeat(50)}`, { javaScriptEnabled: false });
  await noScript.locator('nav.languages a[hreflang="nl"]').click();
  await expect(noScript.locator('html')).toHaveAttribute('lang', 'nl');
});

test('copy without the Clipboard API (plain HTTP): copies from a selection, else leaves it selected', async ({
  browser,
}) => {
  for (const execCommandWorks of [true, false]) {
    const { secretKey } = await share({ secret: 'no clipboard here' });
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    contexts.push(context);
    // What a plain-HTTP LAN address gets: no navigator.clipboard.
    await context.addInitScript((works: boolean) => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
      document.execCommand = (command: string) => works && command === 'copy';
    }, execCommandWorks);
    const page = await context.newPage();
    watch(page);
    await page.goto(`${relay.url}/secret/${secretKey}`);
    await expect(page.locator('body')).toHaveAttribute('data-script', 'ready');
    await reveal(page).click();
    await copyButton(page).click();
    await expect(page.locator('#copy-status')).toHaveAttribute('data-state', execCommandWorks ? 'copied' : 'selected');
    const selected = await page.evaluate(() => {
      const area = document.getElementById('secret') as HTMLTextAreaElement;
      return area.value.slice(area.selectionStart, area.selectionEnd);
    });
    expect(selected, 'the whole secret is selected').toBe('no clipboard here');
  }
});
