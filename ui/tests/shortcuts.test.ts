// Global keyboard shortcuts, the person page's explain list, and settings that act at once.
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ADA, callsTo, installFakeBackend } from './fixtures';
import { renderApp } from './helpers';

describe('keyboard shortcuts', () => {
  it('moves between screens with g + letter and Alt + number', async () => {
    installFakeBackend();
    await renderApp();
    await screen.findByTestId('today-screen');
    const user = userEvent.setup();
    await user.keyboard('gp');
    expect(await screen.findByTestId('people-screen')).toBeVisible();
    expect(screen.getByTestId('nav-people')).toHaveAttribute('aria-current', 'page');
    await user.keyboard('{Alt>}3{/Alt}');
    expect(await screen.findByTestId('timeline-screen')).toBeVisible();
    await user.keyboard('ga');
    expect(await screen.findByTestId('about-screen')).toBeVisible();
  });

  it('ignores single-letter shortcuts while typing', async () => {
    installFakeBackend();
    await renderApp({ name: 'people' });
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText('Name'));
    await user.keyboard('n');
    expect(screen.queryByTestId('quick-capture')).toBeNull();
    // Ctrl+N works from anywhere.
    await user.keyboard('{Control>}n{/Control}');
    expect(await screen.findByTestId('quick-capture')).toBeVisible();
    // Esc closes the dialog.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('quick-capture')).toBeNull());
  });

  it('locks with Ctrl+Shift+L', async () => {
    const calls = installFakeBackend();
    await renderApp();
    await screen.findByTestId('today-screen');
    await userEvent.keyboard('{Control>}{Shift>}L{/Shift}{/Control}');
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(callsTo(calls, 'lock')).toHaveLength(1);
  });
});

describe('person page', () => {
  it('selects an event of the explanation list', async () => {
    installFakeBackend();
    await renderApp({ name: 'person', id: ADA });
    const rows = await screen.findAllByTestId('explain-row');
    // Newest first, each with date, kind, the weighted willingness and ability, and the total.
    expect(rows[0]).toHaveTextContent('Weekly one-on-one');
    expect(rows[1]).toHaveTextContent('Missed the demo');
    expect(rows[1]).toHaveTextContent('willingness −2 · ability 0');
    expect(rows[1]).toHaveTextContent('−2');
    await userEvent.click(rows[1]!.querySelector('button')!);
    expect(rows[1]!.querySelector('button')).toHaveAttribute('aria-current', 'true');
    expect(rows[1]).toHaveClass('selected');
  });

  it('keeps only the rows in view of a long explanation list', async () => {
    installFakeBackend({ personEvents: 5000 });
    await renderApp({ name: 'person', id: ADA });
    const rows = await screen.findAllByTestId('explain-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]).toHaveTextContent('Latest');
    // End goes to the oldest event, which the list brings into the page.
    rows[0]!.querySelector('button')!.focus();
    await userEvent.keyboard('{End}');
    await waitFor(() =>
      expect(document.activeElement?.closest('[data-event]')).toHaveAttribute('data-event', '0'),
    );
    expect(screen.getAllByTestId('explain-row').length).toBeLessThan(40);
  });

  it('resolves a commitment inline and closes a topic', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'person', id: ADA });
    const commitments = await screen.findByTestId('open-commitments');
    await userEvent.click(commitments.querySelector('[data-testid="commitment-kept"]')!);
    await waitFor(() =>
      expect(callsTo(calls, 'resolve_commitment')[0]?.args).toEqual({ id: 'c-1', status: 'kept' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Settled' }));
    await waitFor(() =>
      expect(callsTo(calls, 'close_topic')[0]?.args).toEqual({ id: 'topic-1', closed: true }),
    );
  });
});

describe('settings', () => {
  it('applies the theme at once and saves the loss weight with its sentence', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('theme-dark'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    const slider = screen.getByTestId('settings-loss-weight');
    await fireEvent.input(slider, { target: { value: '2.5' } });
    expect(screen.getByTestId('loss-weight-sentence')).toHaveTextContent(
      'A withdrawal counts 2.5 times as much as a deposit of the same size',
    );
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(callsTo(calls, 'update_settings')).toHaveLength(1));
    expect(callsTo(calls, 'update_settings')[0]!.args.settings).toMatchObject({
      theme: 'dark',
      loss_weight: 2.5,
    });
    await user.click(screen.getByTestId('theme-system'));
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it('backs up now and lists the new backup', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    await userEvent.click(await screen.findByTestId('backup-now'));
    await waitFor(() => expect(callsTo(calls, 'backup_now')).toHaveLength(1));
    expect(await screen.findByText('/backups/journal-2025-03-10.db')).toBeVisible();
  });

  it('restores a listed backup with its passphrase, then asks to unlock', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    const user = userEvent.setup();
    await user.click((await screen.findAllByRole('button', { name: 'Restore…' }))[0]!);
    await user.type(screen.getByLabelText('Your current passphrase'), 'old words here');
    await user.click(screen.getByTestId('restore-submit'));
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(callsTo(calls, 'restore_backup')[0]?.args).toEqual({
      path: '/backups/journal-2025-03-09.db',
      passphrase: 'old words here',
    });
    expect(screen.getByRole('status')).toHaveTextContent('The backup was restored');
  });
});
