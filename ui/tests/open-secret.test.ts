import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../src/lib/i18n/en.json';
import { format } from '../src/lib/i18n/i18n.svelte';
import OpenSecret from '../src/lib/screens/OpenSecret.svelte';
import { called, freshBackend } from './setup-dom';

const LINK = 'https://eu.onetimesecret.com/secret/abcdefabcdef12345678';

/** The passphrase field, by its label's words (the label also says "optional"). */
const passphraseField = () => screen.getByLabelText(en['open.pass'], { exact: false });

async function reveal(link: string, passphrase = ''): Promise<void> {
  await fireEvent.input(screen.getByLabelText(en['open.link']), { target: { value: link } });
  await fireEvent.input(passphraseField(), { target: { value: passphrase } });
  await fireEvent.click(screen.getByTestId('reveal'));
}

describe('Open a secret', () => {
  it('says clearly when a secret was already opened or never existed', async () => {
    await freshBackend();
    render(OpenSecret);
    await reveal('https://eu.onetimesecret.com/secret/nothinghere00000000');
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('secret_gone');
    expect(alert.textContent).toContain(format('en', 'error.secret_gone.next'));
  });

  it('asks for the passphrase, then reveals once and copies through the backend', async () => {
    const fake = await freshBackend({ receivable: { [LINK]: { text: 'door code 4417', passphrase: 'blue' } } });
    render(OpenSecret);
    await reveal(LINK);
    expect((await screen.findByRole('alert')).dataset.code).toBe('passphrase_required');
    await waitFor(() => expect(document.activeElement).toBe(passphraseField()));

    await reveal(LINK, 'blue');
    const text = (await screen.findByTestId('revealed')) as HTMLTextAreaElement;
    expect(text.value).toBe('door code 4417');
    await fireEvent.click(screen.getByRole('button', { name: en['open.copy'] }));
    await waitFor(() => expect(fake.clipboard).toBe('door code 4417'));
    expect(called(fake, 'copy_text')[0]?.args).toEqual({ text: 'door code 4417' });

    await fireEvent.click(screen.getByRole('button', { name: en['open.done'] }));
    expect(screen.queryByTestId('revealed')).toBeNull();
  });

  it('does not call the backend without a link', async () => {
    const fake = await freshBackend();
    render(OpenSecret);
    await fireEvent.click(screen.getByTestId('reveal'));
    expect((await screen.findByRole('alert')).textContent).toBe(format('en', 'open.linkMissing'));
    expect(called(fake, 'receive_secret')).toHaveLength(0);
  });

  it('explains a link that is not a link', async () => {
    await freshBackend();
    render(OpenSecret);
    await reveal('not a link');
    expect((await screen.findByRole('alert')).dataset.code).toBe('invalid_link');
  });
});
