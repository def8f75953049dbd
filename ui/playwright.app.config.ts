// End-to-end run of the BUILT app UI in Debian's Chromium, with the Tauri IPC faked at the
// one boundary (see tests/fake-backend.ts). The relay pages have their own config
// (playwright.config.ts); this one picks up e2e/app.spec.ts, the keyboard walkthroughs, the
// app's accessibility (e2e/a11y.spec.ts) and the other walks below.
import { defineConfig } from '@playwright/test';

const PORT = 4178;

export default defineConfig({
  testDir: 'e2e',
  testMatch: ['app.spec.ts', 'keyboard.spec.ts', 'a11y.spec.ts', 'first-start.spec.ts', 'german.spec.ts', 'flow2.spec.ts'],
  grepInvert: /@relay/,
  outputDir: '../target/ui-e2e-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1180, height: 820 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
