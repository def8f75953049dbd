// @vitest-environment node
// The desktop app's Content-Security-Policy (tauri.conf.json) allows no inline style: the UI
// needs none. Svelte's `style:` directives and dynamic `style={…}` values are set through the
// CSSOM (`element.style.setProperty`, `style.cssText`), which CSP allows; what it blocks is
// style parsed from markup (a `style="…"` attribute in a template, `<style>` in index.html)
// and `<style>` elements made at run time. This checks the built app has none of those, so
// dropping `'unsafe-inline'` cannot blank a screen (issue 14, item 13).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Rollup } from 'vite';
import { expect, it } from 'vitest';

const ui = new URL('..', import.meta.url).pathname;

function csp(): Map<string, string[]> {
  const conf = JSON.parse(readFileSync(join(ui, '../tauri.conf.json'), 'utf8'));
  const policy: string = conf.app.security.csp;
  const directives = new Map<string, string[]>();
  for (const directive of policy.split(';')) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name) directives.set(name, values);
  }
  return directives;
}

it("the app's CSP allows no inline style or script", () => {
  const policy = csp();
  expect(policy.get('style-src')).toEqual(["'self'"]);
  expect(policy.get('script-src')).toEqual(["'self'"]);
});

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return svelteFiles(path);
    return name.endsWith('.svelte') ? [path] : [];
  });
}

it('no component template has a style attribute (markup style needs unsafe-inline)', () => {
  for (const file of svelteFiles(join(ui, 'src'))) {
    const markup = readFileSync(file, 'utf8')
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<style[\s\S]*?<\/style>/g, '');
    expect(/\sstyle\s*=/.test(markup), `${file}: use a class or a style: directive`).toBe(false);
  }
});

it('the built app carries no inline style and makes no style element', async () => {
  const result = await build({
    configFile: join(ui, 'vite.config.ts'),
    logLevel: 'silent',
    build: { write: false },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const files = outputs.flatMap((o) => o.output);
  const html = files.find((f) => f.fileName === 'index.html');
  expect(html?.type).toBe('asset');
  const page = String((html as Rollup.OutputAsset).source);
  expect(page).not.toMatch(/<style/i);
  expect(page).not.toMatch(/\sstyle\s*=/i);
  const code = files
    .filter((f): f is Rollup.OutputChunk => f.type === 'chunk')
    .map((c) => c.code)
    .join('\n');
  expect(code.length).toBeGreaterThan(1000);
  for (const pattern of [/setAttribute\(\s*["']style["']/, /createElement\(\s*["']style["']/, /insertRule\(/, /\sstyle=\\?["']/]) {
    expect(pattern.test(code), `the bundle matches ${pattern}`).toBe(false);
  }
}, 60_000);
