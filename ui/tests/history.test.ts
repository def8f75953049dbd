import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { receiveSecret } from '../src/lib/backend/secrets';
import History from '../src/lib/screens/History.svelte';
import { called, freshBackend } from './setup-dom';

describe('History', () => {
  it('asks the backend with the chosen filter and exports a CSV', async () => {
    const fake = await freshBackend({ entries: 4 });
    render(History);
    await screen.findByTestId('history-table');
    await fireEvent.change(screen.getByLabelText('What'), { target: { value: 'viewed' } });
    await waitFor(() =>
      expect(called(fake, 'list_history').at(-1)?.args).toMatchObject({ filter: { kinds: ['viewed'], search: null } }),
    );
    await fireEvent.click(screen.getByRole('button', { name: /Export to spreadsheet/ }));
    expect((await screen.findByRole('status')).textContent).toMatch(/Saved to \/home\/user\/Downloads\/hushlink-history\.csv/);
    expect(called(fake, 'export_history').at(-1)?.args).toMatchObject({ filter: { kinds: ['viewed'], limit: null } });
  });

  it('shows the Details column only when a row has details', async () => {
    const link = 'https://eu.onetimesecret.com/secret/abc123';
    await freshBackend({ entries: 3, receivable: { [link]: { text: 'door code' } } });
    render(History);
    const table = await screen.findByTestId('history-table');
    expect(table.querySelectorAll('thead th')).toHaveLength(4);
    expect(table.querySelectorAll('tbody tr:first-child td')).toHaveLength(4);

    // A received secret says where it came from: now there is something to show.
    await receiveSecret(link, null);
    await fireEvent.change(screen.getByLabelText('What'), { target: { value: 'received' } });
    await waitFor(() => expect(table.querySelectorAll('thead th')).toHaveLength(5));
  });

  it('explains a failure to load', async () => {
    await freshBackend({ failing: { list_history: 'storage_error' } });
    render(History);
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not read or save its list on this computer/);
  });
});
