/**
 * The relay pages' one script (`src-tauri/hushlink-relay/assets/relay-page.js` once built).
 * Every page works without it; it adds:
 *
 * - end-to-end decryption of revealed values, with the key from the link's `#fragment` and
 *   the format prefix the relay renders into `<body data-e2e-prefix>`;
 * - keeping that fragment across the reveal form's POST (the form is re-targeted at
 *   `path?query#key`: browsers keep a fragment in the answer's address but never send it) and
 *   across the language picker's links;
 * - enabling the reveal button of an end-to-end secret only when the link has its key;
 * - the passphrase's show/hide toggle;
 * - copy buttons that work on phones and plain HTTP (where the Clipboard API is missing: the
 *   text is copied from a selection, or left selected for the device's own Copy);
 * - times in the reader's own time zone, in the page's language.
 *
 * Its words come from the page (`<script type="application/json" id="page-texts">`, the
 * relay's catalogue in the page's language); the state of each action is also written as a
 * code (`data-state`), which the tests read.
 */
import { decrypt, E2eError, isEncrypted, parseKey } from './e2e';

type Texts = Record<string, string>;

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

/** The page's texts; a missing one is shown as its key, which the tests would notice. */
export function pageTexts(): (key: string, values?: Record<string, string>) => string {
  let texts: Texts = {};
  try {
    texts = JSON.parse(byId('page-texts')?.textContent ?? '{}') as Texts;
  } catch {
    texts = {};
  }
  return (key, values = {}) =>
    (texts[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function fragment(): string {
  return location.hash.startsWith('#') ? location.hash.slice(1) : '';
}

function prefix(): string {
  return document.body.dataset.e2ePrefix ?? '';
}

function say(status: HTMLElement | null, text: string, isError: boolean): void {
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('error', isError);
  status.classList.toggle('notice', !isError);
  status.setAttribute('role', isError ? 'alert' : 'status');
}

function e2eReason(err: unknown, t: ReturnType<typeof pageTexts>, fallback: string): string {
  return err instanceof E2eError ? t(`e2e.${err.code}`) : t(fallback);
}

function setUpRevealForm(t: ReturnType<typeof pageTexts>): void {
  const form = byId<HTMLFormElement>('reveal-form');
  const button = byId<HTMLButtonElement>('reveal');
  if (!form || !button) return;
  if (form.dataset.e2e === 'true') {
    try {
      parseKey(fragment()).fill(0);
      button.disabled = false;
    } catch (err) {
      say(byId('e2e-status'), t('e2e.failedBefore', { why: e2eReason(err, t, 'e2e.unusable') }), true);
    }
  }
  form.addEventListener('submit', () => {
    const key = fragment();
    if (key !== '') form.action = `${form.getAttribute('action') ?? location.pathname}#${key}`;
    // One reveal per click: a second submit would only meet the "gone" page.
    queueMicrotask(() => {
      button.disabled = true;
      button.textContent = t('confirm.opening');
    });
  });
}

/** The passphrase's show/hide button (rendered hidden; without script the field stays masked). */
export function setUpPassphraseToggle(): void {
  const field = byId<HTMLInputElement>('passphrase');
  const toggle = byId<HTMLButtonElement>('passphrase-toggle');
  if (!field || !toggle) return;
  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    const show = field.type === 'password';
    field.type = show ? 'text' : 'password';
    toggle.setAttribute('aria-pressed', String(show));
  });
  // Never send the form with the passphrase on show: some browsers would offer to save it.
  field.form?.addEventListener('submit', () => {
    field.type = 'password';
    toggle.setAttribute('aria-pressed', 'false');
  });
}

function setUpRevealedSecret(t: ReturnType<typeof pageTexts>): void {
  const area = byId<HTMLTextAreaElement>('secret');
  if (!area) return;
  if (area.dataset.e2e !== 'true' && !isEncrypted(area.value, prefix())) return;
  const status = byId('e2e-status');
  try {
    const text = decrypt(area.value, fragment(), prefix());
    area.value = text;
    area.rows = Math.min(Math.max(text.split('\n').length, 2), 12);
    const label = byId('secret-label');
    if (label) label.textContent = t('revealed.label');
    delete area.dataset.e2e;
    area.dataset.decrypted = 'true';
    say(status, t('e2e.decrypted'), false);
  } catch (err) {
    say(status, t('e2e.failedAfter', { why: e2eReason(err, t, 'e2e.failed') }), true);
  }
  // The key has done its work and the relay's copy is gone: keep it out of the address bar.
  history.replaceState(null, '', location.pathname + location.search);
}

/** How a copy went: `copied` (in the clipboard) or `selected` (left for the device's Copy). */
export type CopyState = 'copied' | 'selected';

function selectAll(field: HTMLInputElement | HTMLTextAreaElement): void {
  field.focus();
  field.select();
  // iOS Safari ignores select() on read-only fields; a range works there.
  field.setSelectionRange(0, field.value.length);
}

/**
 * Copies a field's text. The Clipboard API exists only in secure contexts (HTTPS or
 * localhost), and a LAN relay is usually plain HTTP: there the text is selected and copied
 * with the older selection copy; if even that is refused, it stays selected.
 */
export async function copyValue(field: HTMLInputElement | HTMLTextAreaElement): Promise<CopyState> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(field.value);
      return 'copied';
    } catch {
      // fall through to the selection copy
    }
  }
  selectAll(field);
  try {
    return document.execCommand('copy') ? 'copied' : 'selected';
  } catch {
    return 'selected';
  }
}

export function setUpCopyButtons(t: ReturnType<typeof pageTexts>): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    const field = byId<HTMLInputElement | HTMLTextAreaElement>(button.dataset.copy ?? '');
    if (!field) continue;
    const status = byId('copy-status');
    button.hidden = false;
    button.addEventListener('click', () => {
      void copyValue(field).then((state) => {
        if (!status) return;
        status.dataset.state = state;
        status.textContent = t(state === 'copied' ? 'copy.copied' : 'copy.selected');
      });
    });
  }
}

/** The language picker's links keep the link's `#key`, which the reload would lose. */
function keepFragmentInLanguageLinks(): void {
  const hash = location.hash;
  if (hash === '') return;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.languages a[href^="?"]')) {
    link.href = `${link.getAttribute('href') ?? ''}${hash}`;
  }
}

function localizeTimes(): void {
  const lang = document.documentElement.lang || undefined;
  const format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  for (const el of document.querySelectorAll<HTMLTimeElement>('time[datetime]')) {
    const date = new Date(el.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    el.title = el.textContent ?? '';
    el.textContent = format.format(date);
  }
}

function main(): void {
  const t = pageTexts();
  setUpRevealForm(t);
  setUpPassphraseToggle();
  setUpRevealedSecret(t);
  setUpCopyButtons(t);
  keepFragmentInLanguageLinks();
  localizeTimes();
  document.body.dataset.script = 'ready';
}

// Only on a relay page (the unit tests import the functions without running them).
if (document.body?.dataset.page !== undefined || document.readyState === 'loading') {
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', () => {
      if (document.body.dataset.page !== undefined) main();
    });
  } else {
    main();
  }
}
