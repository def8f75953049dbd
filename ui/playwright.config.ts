// The relay's recipient pages in Debian's Chromium, against the real headless relay binary
// (started by the spec itself on 127.0.0.1:0; build it first: `npm run e2e:relay` does):
// e2e/relay-*.spec.ts, their accessibility in relay-a11y.spec.ts. The app UI has its own
// config (playwright.app.config.ts).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: ['relay-*.spec.ts'],
  outputDir: '../target/relay-e2e-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    viewport: { width: 1024, height: 768 },
    launchOptions: {
      // Never `npx playwright install`: Debian's Chromium is the browser under test.
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
});
