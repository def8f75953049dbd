// The recipient pages in a real browser against the real headless relay: GET never burns,
// the button reveals once, passphrases, end-to-end decryption, the gone page, the receipt
// and its burn button. Screenshots of each page, light and dark, go to target/relay-pages/.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.HUSHLINK_RELAY_BIN ?? join(ROOT, 'target/debug/hushlink-relay');
const SHOTS = join(ROOT, 'target/relay-pages');
mkdirSync(SHOTS, { recursive: true });

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

interface Relay {
  url: string;
  child: ChildProcessWithoutNullStreams;
  dataDir: string;
}
let relay: Relay;

/** Starts the headless relay on an ephemeral port and waits for its one stdout line. */
async function startRelay(): Promise<Relay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hushlink-relay-pages-'));
  const config = join(dataDir, 'relay.toml');
  // A cheap Argon2 cost: the debug binary hashes slowly, and the cost is not under test here.
  writeFileSync(config, '[relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n');
  const child = spawn(BIN, ['--listen', '127.0.0.1:0', '--data-dir', join(dataDir, 'data'), '--config', config], {
    env: { ...process.env, HUSHLINK_LOG: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('error', (err) => reject(new Error(`cannot start ${BIN} (cargo build -p hushlink-relay): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`relay exited (${code}) before listening: ${stderr}`)));
  });
  return { url, child, dataDir };
}

async function stopRelay(r: Relay): Promise<void> {
  if (r.child.exitCode === null) {
    const exited = new Promise((resolve) => r.child.once('exit', resolve));
    process.kill(r.child.pid!, 'SIGTERM');
    await exited;
  }
  rmSync(r.dataDir, { recursive: true, force: true });
}

test.beforeAll(async () => {
  relay = await startRelay();
});

test.afterAll(async () => {
  if (relay) await stopRelay(relay);
});

interface Shared {
  secretKey: string;
  receiptKey: string;
}

/** Creates a secret through the v1 API (loopback may create without a token). */
async function share(fields: Record<string, string>): Promise<Shared> {
  const response = await fetch(`${relay.url}/api/v1/share`, { method: 'POST', body: new URLSearchParams(fields) });
  expect(response.status, await response.clone().text()).toBe(200);
  const body = (await response.json()) as { secret_key: string; metadata_key: string };
  return { secretKey: body.secret_key, receiptKey: body.metadata_key };
}

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
    await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`), fullPage: true });
  }
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

const reveal = (page: Page) => page.getByRole('button', { name: 'Reveal the secret' });
const secretBox = (page: Page) => page.getByRole('textbox', { name: 'Secret', exact: true });
const goneHeading = (page: Page) => page.getByRole('heading', { name: 'This secret is not available' });

test('a GET never burns; the button reveals once; a second reveal meets the gone page', async ({ browser }) => {
  const { secretKey } = await share({ secret: 'correct horse <b>battery</b> staple' });
  const page = await open(browser, `/secret/${secretKey}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A secret was shared with you');
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
  await expect(page.getByText('This secret is now gone from the relay.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy to clipboard' })).toBeVisible();
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
  await page.getByRole('button', { name: 'Copy to clipboard' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied.' })).toBeVisible();
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
  const field = page.getByLabel('Passphrase');
  await expect(field).toBeVisible();
  await shoot(page, 'passphrase');

  await field.fill('open says me');
  await field.press('Enter');
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right.');
  await expect(page.getByLabel('Passphrase')).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, 'passphrase-wrong');

  await page.getByLabel('Passphrase').fill('open sesame');
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
  await expect(page.getByRole('status').filter({ hasText: 'end-to-end encrypted' })).toBeVisible();
  await shoot(page, 'e2e-confirm');
  await reveal(page).click();
  await expect(secretBox(page)).toHaveValue(v.plaintext);
  await expect(page.locator('#secret')).toHaveAttribute('data-decrypted', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Decrypted in your browser' })).toBeVisible();
  expect(new URL(page.url()).hash, 'the key is dropped from the address bar').toBe('');
  expect(sent.some((url) => url.includes(v.fragment)), 'no request carried the key').toBe(false);
  await shoot(page, 'e2e-revealed');
});

test('end-to-end without the key: the reveal button stays off and the secret stays', async ({ browser }) => {
  const v = vector('ascii');
  const { secretKey } = await share({ secret: v.value, e2e: 'true' });
  const page = await open(browser, `/secret/${secretKey}`);
  await expect(reveal(page)).toBeDisabled();
  await expect(page.getByRole('alert')).toContainText('The link has no decryption key');
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
  await page.getByLabel('Passphrase').fill('one lock');
  await reveal(page).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right.');
  expect(new URL(page.url()).hash, 'the answer page still has the key').toBe(`#${v.fragment}`);
  await expect(reveal(page)).toBeEnabled();
  await page.getByLabel('Passphrase').fill('two locks');
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

test('the receipt shows the state and its button burns the secret', async ({ browser }) => {
  const { secretKey, receiptKey } = await share({ secret: 'burn after reading', passphrase: 'pw-1234' });
  const page = await open(browser, `/receipt/${receiptKey}`);
  await expect(page.getByRole('heading', { name: 'Receipt' })).toBeVisible();
  await expect(page.locator('#state')).toHaveText('Not read yet');
  await expect(page.getByLabel('Link for the recipient')).toHaveValue(`${relay.url}/secret/${secretKey}`);
  await shoot(page, 'receipt');

  await page.getByRole('button', { name: 'Burn this secret' }).click();
  await expect(page.locator('#state')).toHaveText('Burned');
  expect(new URL(page.url()).pathname).toBe(`/receipt/${receiptKey}`);
  await expect(page.getByRole('button', { name: 'Burn this secret' })).toHaveCount(0);
  await shoot(page, 'receipt-burned');

  const recipient = await open(browser, `/secret/${secretKey}`);
  await expect(goneHeading(recipient)).toBeVisible();

  const privatePage = await open(browser, `/private/${receiptKey}`);
  await expect(privatePage.locator('#state')).toHaveText('Burned');
});

test('the receipt says when and from where a secret was read', async ({ browser }) => {
  const { secretKey, receiptKey } = await share({ secret: 'read me' });
  const recipient = await open(browser, `/secret/${secretKey}`);
  await reveal(recipient).click();
  await expect(secretBox(recipient)).toHaveValue('read me');
  const page = await open(browser, `/private/${receiptKey}`);
  await expect(page.locator('#state')).toHaveText('Read');
  await expect(page.getByText('127.0.0.1')).toBeVisible();
  await shoot(page, 'receipt-read');
});
