// "Shown to the recipient": the sender's note goes with the request only through a Hushlink
// relay, whose recipient page shows it; other servers have no page that could.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../src/lib/i18n/en.json';
import { format } from '../src/lib/i18n/i18n.svelte';
import NewSecret from '../src/lib/screens/NewSecret.svelte';
import { nav } from '../src/lib/stores/nav.svelte';
import { called, freshBackend } from './setup-dom';

const create = () => screen.getByRole('button', { name: format('en', 'newSecret.create', { count: 1 }) });

describe('Shown to the recipient', () => {
  it('sends the trimmed note through a relay profile', async () => {
    const fake = await freshBackend();
    render(NewSecret);
    await fireEvent.change(screen.getByLabelText(en['newSecret.profile']), { target: { value: 'relay' } });
    await fireEvent.input(screen.getByLabelText(en['newSecret.text']), { target: { value: 'hunter2' } });
    const note = screen.getByLabelText(en['newSecret.from.label'], { exact: false });
    expect(note.getAttribute('maxlength')).toBe('120');
    await fireEvent.input(note, { target: { value: '  Sam from IT ' } });
    await fireEvent.click(create());
    await waitFor(() => expect(nav.created).toHaveLength(1));
    expect(called(fake, 'create_secrets')[0]?.args).toMatchObject({ request: { profileId: 'relay', senderNote: 'Sam from IT' } });
  });

  it('has no field and sends no note through another server', async () => {
    const fake = await freshBackend();
    render(NewSecret);
    expect(screen.queryByLabelText(en['newSecret.from.label'], { exact: false })).toBeNull();
    await fireEvent.input(screen.getByLabelText(en['newSecret.text']), { target: { value: 'hunter2' } });
    await fireEvent.click(create());
    await waitFor(() => expect(nav.created).toHaveLength(1));
    const request = (called(fake, 'create_secrets')[0]?.args as { request: Record<string, unknown> }).request;
    expect(request.profileId).toBe('eu');
    expect('senderNote' in request).toBe(false);
  });
});
