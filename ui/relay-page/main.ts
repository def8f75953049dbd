/**
 * The relay pages' one script (`src-tauri/hushlink-relay/assets/relay-page.js` once built).
 * Every page works without it; it adds:
 *
 * - end-to-end decryption of revealed values, with the key from the link's `#fragment`;
 * - keeping that fragment across the reveal form's POST (the form is re-targeted at
 *   `path#key`: browsers keep a fragment in the answer's address but never send it);
 * - enabling the reveal button of an end-to-end secret only when the link has its key;
 * - copy buttons and times in the reader's own time zone.
 */
import { decrypt, E2eError, parseKey } from './e2e';

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

function fragment(): string {
  return location.hash.startsWith('#') ? location.hash.slice(1) : '';
}

function say(status: HTMLElement | null, text: string, isError: boolean): void {
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('error', isError);
  status.classList.toggle('notice', !isError);
  status.setAttribute('role', isError ? 'alert' : 'status');
}

function setUpRevealForm(): void {
  const form = byId<HTMLFormElement>('reveal-form');
  const button = byId<HTMLButtonElement>('reveal');
  if (!form || !button) return;
  if (form.dataset.e2e === 'true') {
    try {
      parseKey(fragment()).fill(0);
      button.disabled = false;
    } catch (err) {
      const why = err instanceof E2eError ? err.message : 'The link cannot be used.';
      say(byId('e2e-status'), `${why} Do not reveal it without the key: the secret would be destroyed unread.`, true);
    }
  }
  form.addEventListener('submit', () => {
    const key = fragment();
    if (key !== '') form.action = `${location.pathname}#${key}`;
    // One reveal per click: a second submit would only meet the "gone" page.
    queueMicrotask(() => {
      button.disabled = true;
      button.textContent = 'Revealing…';
    });
  });
}

function setUpRevealedSecret(): void {
  const area = byId<HTMLTextAreaElement>('secret');
  if (!area || area.dataset.e2e !== 'true') return;
  const status = byId('e2e-status');
  try {
    const text = decrypt(area.value, fragment());
    area.value = text;
    area.rows = Math.min(Math.max(text.split('\n').length, 2), 12);
    const label = byId('secret-label');
    if (label) label.textContent = 'Secret';
    delete area.dataset.e2e;
    area.dataset.decrypted = 'true';
    say(status, 'Decrypted in your browser. The relay only ever had the encrypted text.', false);
  } catch (err) {
    const why = err instanceof E2eError ? err.message : 'Decryption failed.';
    say(status, `${why} The relay has already deleted its copy; the encrypted text is shown above.`, true);
  }
  // The key has done its work and the relay's copy is gone: keep it out of the address bar.
  history.replaceState(null, '', location.pathname + location.search);
}

async function copyValue(field: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  // The Clipboard API exists only in secure contexts (HTTPS or localhost), and a LAN relay
  // is usually plain HTTP; the older selection copy works there.
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(field.value);
      return true;
    } catch {
      // fall through to the selection copy
    }
  }
  field.focus();
  field.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

function setUpCopyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    const field = byId<HTMLInputElement | HTMLTextAreaElement>(button.dataset.copy ?? '');
    if (!field) continue;
    const status = byId('copy-status');
    button.hidden = false;
    button.addEventListener('click', () => {
      void copyValue(field).then((copied) => {
        if (status) status.textContent = copied ? 'Copied.' : 'Select the text and copy it yourself (Ctrl+C or ⌘C).';
      });
    });
  }
}

function localizeTimes(): void {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  for (const el of document.querySelectorAll<HTMLTimeElement>('time[datetime]')) {
    const date = new Date(el.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    el.title = el.textContent ?? '';
    el.textContent = format.format(date);
  }
}

function main(): void {
  setUpRevealForm();
  setUpRevealedSecret();
  setUpCopyButtons();
  localizeTimes();
  document.body.dataset.script = 'ready';
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', main);
} else {
  main();
}
