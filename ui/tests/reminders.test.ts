// Reminders: a click on one opens that meeting's reflection (after unlock, or at once), a
// meeting gone since leaves the leader on Today, and Settings says how long a reminder waits.
import { emit } from '@tauri-apps/api/event';
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { router } from '../src/lib/router.svelte';
import { TP1, callsTo, installFakeBackend } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

describe('a clicked reminder', () => {
  it('opens its meeting’s reflection right after unlock, once', async () => {
    const clicked = { current: TP1 as string | null };
    const calls = installFakeBackend({ status: 'locked', reminderOpen: clicked });
    await renderApp();
    const user = userEvent.setup();
    // Locked, the click is heard but nothing is asked of the journal.
    await emit('reminder-clicked', null);
    expect(callsTo(calls, 'take_reminder_open')).toHaveLength(0);
    await user.type(await screen.findByTestId('unlock-passphrase'), 'a calm and long passphrase');
    await user.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByText('Reflect: Weekly one-on-one')).toBeVisible();
    expect(router.current).toEqual({ name: 'reflect', touchpointId: TP1 });
    expect(clicked.current).toBeNull();
  });

  it('opens it at once when the journal is unlocked', async () => {
    const clicked = { current: null as string | null };
    installFakeBackend({ reminderOpen: clicked });
    await renderApp({ name: 'people' });
    await screen.findByTestId('people-screen');
    clicked.current = TP1;
    await emit('reminder-clicked', null);
    expect(await screen.findByText('Reflect: Weekly one-on-one')).toBeVisible();
  });

  it('leaves the leader on Today when the meeting was trashed since', async () => {
    installFakeBackend({ reminderOpen: { current: null } });
    await renderApp({ name: 'people' });
    await screen.findByTestId('people-screen');
    await emit('reminder-clicked', null);
    expect(await screen.findByTestId('today-screen')).toBeVisible();
  });

  it('after an ordinary unlock, nothing clicked, Today stays', async () => {
    const calls = installFakeBackend({ reminderOpen: { current: null } });
    await renderApp();
    await screen.findByTestId('today-screen');
    await waitFor(() => expect(callsTo(calls, 'take_reminder_open')).toHaveLength(1));
    expect(router.current).toEqual({ name: 'today' });
  });
});

describe('how long after a meeting a reminder comes', () => {
  it('is a field next to the reminder switch, off with it, saved with the settings', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    const field = await screen.findByLabelText('Minutes to wait after the meeting ends (0 to 60)');
    expect(field).toHaveValue(5);
    expect(screen.getByTestId('remind-after-sentence')).toHaveTextContent(
      'The reminder comes 5 minutes after the meeting ends.',
    );
    const user = userEvent.setup();
    await user.click(screen.getByTestId('settings-remind'));
    expect(field).toBeDisabled();
    await user.click(screen.getByTestId('settings-remind'));
    expect(field).toBeEnabled();
    await user.clear(field);
    await user.type(field, '0');
    expect(screen.getByTestId('remind-after-sentence')).toHaveTextContent(
      'The reminder comes as soon as the meeting ends.',
    );
    await expectAccessible();
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(callsTo(calls, 'update_settings')).toHaveLength(1));
    expect(callsTo(calls, 'update_settings')[0]!.args.settings).toMatchObject({
      remind_after_meetings: true,
      remind_minutes_after_end: 0,
    });
  });

  it('refuses more than an hour with a plain sentence and saves nothing', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    const field = await screen.findByTestId('settings-remind-after');
    const user = userEvent.setup();
    await user.clear(field);
    await user.type(field, '61');
    await user.click(screen.getByTestId('settings-save'));
    expect(
      await screen.findByText(
        'The minutes to wait after a meeting must be a whole number from 0 to 60.',
      ),
    ).toBeVisible();
    expect(callsTo(calls, 'update_settings')).toHaveLength(0);
  });
});
