import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Builds the relay pages' script (ui/relay-page/) into ONE self-contained file inside the relay
// crate, where `include_bytes!` embeds it: the relay builds without Node, and a recipient's
// browser loads nothing but the relay. The output is committed; rebuild with
// `npm run build:relay` after changing ui/relay-page/ (CI can rebuild and diff it).
const outDir = fileURLToPath(new URL('../src-tauri/hushlink-relay/assets', import.meta.url));

export default defineConfig({
  publicDir: false,
  clearScreen: false,
  logLevel: 'warn',
  build: {
    outDir,
    // The folder also holds the templates and the stylesheet: never wipe it.
    emptyOutDir: false,
    // Current Chromium, Firefox and Safari (the page is also opened on phones).
    target: ['chrome111', 'firefox111', 'safari16'],
    // Readable in review; the bundle is about the size of one photo thumbnail either way.
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('./relay-page/main.ts', import.meta.url)),
      formats: ['iife'],
      name: 'hushlinkRelayPage',
      fileName: () => 'relay-page.js',
    },
  },
});
