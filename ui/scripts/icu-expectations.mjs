#!/usr/bin/env node
// Writes how the UI's intl-messageformat renders every plural message of the app's and the
// relay's catalogues, at the counts the Rust renderer (src-tauri/hushlink-i18n) is checked
// at, to src-tauri/hushlink-i18n/tests/intl-expected.json. The Rust tests compare their own
// renderings with it and fail when a catalogue's plural message changed since it was written:
// then run this again (from anywhere: `node ui/scripts/icu-expectations.mjs`) and commit.
//
// The relay's catalogues keep one key per form (`KEY.one`, `KEY.other`); each pair is read as
// the message `{n, plural, one {…} other {…}}`, which is what the relay's pages show.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGS = ['en', 'de', 'fr', 'es', 'nl', 'pt'];
const COUNTS = [0, 1, 2, 5, 21, 1000000];
const OUT = 'src-tauri/hushlink-i18n/tests/intl-expected.json';

// intl-messageformat's element types (@formatjs/icu-messageformat-parser TYPE).
const ARGUMENT = 1, NUMBER = 2, SELECT = 5, PLURAL = 6;

/** Every argument of the AST: name -> 'count' (plural, number) or 'text'. */
function argumentsOf(ast, found = {}) {
  for (const el of ast) {
    if (el.type === PLURAL || el.type === NUMBER) found[el.value] = 'count';
    else if ((el.type === ARGUMENT || el.type === SELECT) && !found[el.value]) found[el.value] = 'text';
    for (const option of Object.values(el.options ?? {})) argumentsOf(option.value, found);
  }
  return found;
}

const hasPlural = (ast) =>
  ast.some((el) => el.type === PLURAL || Object.values(el.options ?? {}).some((o) => hasPlural(o.value)));

function read(path) {
  return JSON.parse(readFileSync(join(root, path), 'utf8'));
}

function entry(catalogue, lang, key, message) {
  const format = new IntlMessageFormat(message, lang);
  const kinds = argumentsOf(format.getAst());
  const counts = Object.keys(kinds).filter((name) => kinds[name] === 'count').sort();
  const texts = Object.keys(kinds).filter((name) => kinds[name] === 'text').sort();
  const renderings = {};
  for (const n of COUNTS) {
    const values = Object.fromEntries([
      ...counts.map((name) => [name, n]),
      ...texts.map((name) => [name, `[${name}]`]),
    ]);
    renderings[n] = format.format(values);
  }
  return { catalogue, lang, key, message, counts, texts, renderings };
}

const entries = [];
for (const lang of LANGS) {
  const app = read(`ui/src/lib/i18n/${lang}.json`);
  for (const key of Object.keys(app).sort()) {
    if (hasPlural(new IntlMessageFormat(app[key], lang).getAst())) {
      entries.push(entry('app', lang, key, app[key]));
    }
  }
  const relay = read(`src-tauri/hushlink-relay/src/web/i18n/${lang}.json`);
  for (const key of Object.keys(relay).sort()) {
    const base = key.endsWith('.one') ? key.slice(0, -'.one'.length) : null;
    if (base === null || !(`${base}.other` in relay)) continue;
    const message = `{n, plural, one {${relay[key]}} other {${relay[`${base}.other`]}}}`;
    entries.push(entry('relay', lang, base, message));
  }
}

const json = JSON.stringify({ counts: COUNTS, entries }, null, 1) + '\n';
writeFileSync(join(root, OUT), json);
console.log(`${OUT}: ${entries.length} messages x ${COUNTS.length} counts`);
