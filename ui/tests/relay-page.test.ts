// The relay page script's own behaviour in a DOM: the passphrase toggle, the copy fallback
// for plain HTTP and phones, and the page's texts. (The real browser run against the real
// relay is e2e/relay-pages.spec.ts.)
import { afterEach, describe, expect, it, vi } from 'vitest';

import { copyValue, pageTexts, setUpCopyButtons, setUpPassphraseToggle } from '../relay-page/main';

function render(html: string): void {
  document.body.innerHTML = html;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('passphrase toggle', () => {
  it('shows and hides the passphrase and says so with aria-pressed', () => {
    render(`<form><input type="password" id="passphrase" value="open sesame">
      <button type="button" id="passphrase-toggle" aria-pressed="false" hidden>Show</button></form>`);
    setUpPassphraseToggle();
    const field = document.getElementById('passphrase') as HTMLInputElement;
    const toggle = document.getElementById('passphrase-toggle') as HTMLButtonElement;
    expect(toggle.hidden).toBe(false);
    toggle.click();
    expect(field.type).toBe('text');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    toggle.click();
    expect(field.type).toBe('password');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
  });

  it('masks the passphrase again before the form is sent', () => {
    render(`<form id="f"><input type="password" id="passphrase">
      <button type="button" id="passphrase-toggle" aria-pressed="false" hidden>Show</button></form>`);
    setUpPassphraseToggle();
    (document.getElementById('passphrase-toggle') as HTMLButtonElement).click();
    const form = document.getElementById('f') as HTMLFormElement;
    form.addEventListener('submit', (e) => e.preventDefault());
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect((document.getElementById('passphrase') as HTMLInputElement).type).toBe('password');
  });
});

describe('copy', () => {
  const secret = 'correct horse battery staple';

  function field(): HTMLTextAreaElement {
    render(`<textarea id="secret" readonly>${secret}</textarea>
      <button type="button" id="copy" data-copy="secret" hidden>Copy</button>
      <span id="copy-status" role="status"></span>`);
    return document.getElementById('secret') as HTMLTextAreaElement;
  }

  it('uses the Clipboard API where the page is a secure context', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('isSecureContext', true);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    expect(await copyValue(field())).toBe('copied');
    expect(writeText).toHaveBeenCalledWith(secret);
  });

  it('on plain HTTP, copies from a selection of the whole text', async () => {
    vi.stubGlobal('isSecureContext', false);
    const exec = vi.fn().mockReturnValue(true);
    document.execCommand = exec;
    const area = field();
    expect(await copyValue(area)).toBe('copied');
    expect(exec).toHaveBeenCalledWith('copy');
    expect(area.value.slice(area.selectionStart, area.selectionEnd)).toBe(secret);
  });

  it('when even that is refused, leaves the whole text selected and says so', async () => {
    vi.stubGlobal('isSecureContext', false);
    document.execCommand = vi.fn().mockReturnValue(false);
    const area = field();
    setUpCopyButtons(pageTexts());
    const button = document.getElementById('copy') as HTMLButtonElement;
    expect(button.hidden).toBe(false);
    button.click();
    const status = document.getElementById('copy-status')!;
    await vi.waitFor(() => expect(status.dataset.state).toBe('selected'));
    expect(area.value.slice(area.selectionStart, area.selectionEnd)).toBe(secret);
  });
});

describe('page texts', () => {
  it('reads the JSON the relay renders and fills placeholders', () => {
    render(`<script type="application/json" id="page-texts">{"e2e.failedAfter":"{why} Gone.","copy.copied":"Kopiert."}</script>`);
    const t = pageTexts();
    expect(t('copy.copied')).toBe('Kopiert.');
    expect(t('e2e.failedAfter', { why: 'Broken.' })).toBe('Broken. Gone.');
    expect(t('missing.key')).toBe('missing.key');
  });
});
