// @vitest-environment node
// The relay embeds the committed build of ui/relay-page/ (the relay must build without Node).
// This fails when the source changed and `npm run build:relay` was not run.
import { readFileSync } from 'node:fs';
import { build, type Rollup } from 'vite';
import { expect, it } from 'vitest';

it('the committed relay page script is the build of ui/relay-page', async () => {
  const config = new URL('../vite.relay.config.ts', import.meta.url).pathname;
  const result = await build({ configFile: config, logLevel: 'silent', build: { write: false } });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.fileName === 'relay-page.js');
  expect(chunk?.type).toBe('chunk');
  const committed = readFileSync(new URL('../../src-tauri/hushlink-relay/assets/relay-page.js', import.meta.url), 'utf8');
  expect((chunk as Rollup.OutputChunk).code === committed, 'run `npm run build:relay` and commit the result').toBe(true);
}, 30_000);
