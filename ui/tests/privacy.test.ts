// Nothing about the journal outside it, against the fake shell: the review flow keeps the
// reviewer's name in the journal (never in the webview's storage), reminders name nothing
// unless the leader asks, and the backup folder is only ever one chosen in the dialog.
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callsTo, installFakeBackend } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

describe('the review flow', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes nothing to the webview’s storage and offers the name kept in the journal', async () => {
    const calls = installFakeBackend({
      picks: [
        '/home/coach/from-leader.touchpoint',
        '/home/coach/review.touchpoint-review',
        '/home/coach/from-leader.touchpoint',
      ],
    });
    await renderApp({ name: 'exchange' });
    // Unlocking applies the theme, the one thing the page remembers (a look, not journal data).
    await waitFor(() => expect(localStorage.getItem('touchpoint.theme')).toBe('system'));
    // From here on, any write to local or session storage fails the test.
    const written = vi.spyOn(Storage.prototype, 'setItem');
    const user = userEvent.setup();

    await user.click(await screen.findByTestId('review-open'));
    await screen.findByTestId('review-bar');
    await user.click(await screen.findByTestId('review-entry-link'));
    const [input] = await screen.findAllByTestId('comment-input');
    await user.type(input!, 'Ask Ada what she heard first.');
    await user.click(screen.getAllByTestId('comment-add')[0]!);
    await screen.findByText('Ask Ada what she heard first.');
    await user.click(screen.getByTestId('review-send'));
    expect(screen.getByTestId('review-author')).toHaveValue('');
    await user.type(screen.getByTestId('review-author'), 'Coach Kim');
    await user.click(screen.getByTestId('review-save'));
    await screen.findByTestId('review-sent');
    expect(callsTo(calls, 'export_review')[0]?.args).toMatchObject({ author: 'Coach Kim' });
    await user.click(screen.getByTestId('review-close'));
    await waitFor(() => expect(screen.queryByTestId('review-bar')).toBeNull());

    // The next review offers the name the shell kept in the journal.
    await user.click(await screen.findByTestId('review-open'));
    await screen.findByTestId('review-bar');
    await user.click(await screen.findByTestId('review-entry-link'));
    const [again] = await screen.findAllByTestId('comment-input');
    await user.type(again!, 'And what she needs next.');
    await user.click(screen.getAllByTestId('comment-add')[0]!);
    await user.click(await screen.findByTestId('review-send'));
    expect(screen.getByTestId('review-author')).toHaveValue('Coach Kim');

    expect(written).not.toHaveBeenCalled();
    const kept = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i));
    expect(kept).toEqual(['touchpoint.theme']);
    expect(sessionStorage.length).toBe(0);
  });
});

describe('settings that keep the journal in', () => {
  it('reminders name nothing by default, and the toggle says what it does', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    const toggle = await screen.findByTestId('settings-reminder-details');
    expect(toggle).not.toBeChecked();
    expect(toggle).toHaveAccessibleName('Show names and titles in reminders');
    expect(screen.getByTestId('reminder-details-sentence')).toHaveTextContent(
      'Reminders go through your desktop’s notification service, which may keep them in its history or show them on the lock screen. Off, a reminder says only “A meeting has ended — time to reflect”; on, it names the meeting and the people in it.',
    );
    await expectAccessible();

    const user = userEvent.setup();
    await user.click(toggle);
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(callsTo(calls, 'update_settings')).toHaveLength(1));
    expect(callsTo(calls, 'update_settings')[0]!.args).toMatchObject({
      settings: { reminders_show_details: true },
    });
  });

  it('takes the backup folder only from the dialog', async () => {
    const calls = installFakeBackend({ picks: ['/media/usb/touchpoint-backups'] });
    await renderApp({ name: 'settings' });
    const field = await screen.findByTestId('settings-backup-dir');
    expect(field).toHaveAttribute('readonly');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Choose…' }));
    await waitFor(() => expect(field).toHaveValue('/media/usb/touchpoint-backups'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(callsTo(calls, 'update_settings')).toHaveLength(1));
    expect(callsTo(calls, 'update_settings')[0]!.args).toMatchObject({
      settings: { backup_dir: '/media/usb/touchpoint-backups' },
    });
    await user.click(screen.getByRole('button', { name: 'Beside the journal' }));
    expect(field).toHaveValue('');
  });
});
