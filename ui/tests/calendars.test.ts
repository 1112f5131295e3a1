// Linked calendar files: Settings → Calendar (link from a dialog, status, counts, events left
// out, unlink, sync now) and Today's calm notice, against the fake shell and its event.
import { emit } from '@tauri-apps/api/event';
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { callsTo, installFakeBackend, linkedCalendar } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

const PATH = '/home/leader/Calendars/work.ics';

async function openCard() {
  await renderApp({ name: 'settings' });
  return screen.findByTestId('calendar-card');
}

describe('Settings → Calendar', () => {
  it('links a file picked in the dialog and shows what its import did', async () => {
    const calls = installFakeBackend({ picks: [PATH] });
    const card = await openCard();
    expect(await within(card).findByTestId('calendar-none')).toHaveTextContent(
      'No calendar file is linked.',
    );
    const user = userEvent.setup();
    await user.click(within(card).getByTestId('calendar-link'));
    expect(await within(card).findByTestId('calendar-notice')).toHaveTextContent(
      'Linked work.ics. It is read again at every unlock and whenever it changes.',
    );
    expect(callsTo(calls, 'pick_path')[0]!.args.filters).toEqual([
      { name: 'Calendar (.ics)', extensions: ['ics'] },
    ]);
    expect(callsTo(calls, 'link_calendar')[0]!.args).toEqual({ path: PATH });
    const item = within(card).getByTestId('calendar-item');
    expect(within(item).getByTestId('calendar-status')).toHaveTextContent('Up to date');
    expect(within(item).getByTestId('calendar-counts')).toHaveTextContent(
      '1 added, 0 updated, 4 unchanged, 0 removed',
    );
    await expectAccessible();
  });

  it('a cancelled dialog links nothing', async () => {
    const calls = installFakeBackend({ picks: [null] });
    const card = await openCard();
    await userEvent.setup().click(within(card).getByTestId('calendar-link'));
    await waitFor(() => expect(callsTo(calls, 'pick_path')).toHaveLength(1));
    expect(callsTo(calls, 'link_calendar')).toHaveLength(0);
  });

  it('shows a refusal in plain words and keeps the list as it was', async () => {
    installFakeBackend({
      picks: ['/home/leader/export.json'],
      failures: {
        link_calendar: {
          code: 'invalid_input',
          message:
            '/home/leader/export.json is not an iCalendar (.ics) file; only calendar files can be linked',
        },
      },
    });
    const card = await openCard();
    await userEvent.setup().click(within(card).getByTestId('calendar-link'));
    expect(await within(card).findByRole('alert')).toHaveTextContent(
      'only calendar files can be linked',
    );
    expect(within(card).getByTestId('calendar-none')).toBeVisible();
  });

  it('shows a missing file, the events left out, and unlinks and syncs', async () => {
    const calls = installFakeBackend({
      calendars: [
        linkedCalendar({
          status: 'missing',
          message: 'there is no file at /home/leader/Calendars/work.ics any more',
        }),
        linkedCalendar({
          path: '/home/leader/Calendars/team.ics',
          last_import: {
            ...linkedCalendar().last_import!,
            skipped_events: [
              { line: 12, summary: 'Offsite', reason: 'its start time cannot be read' },
              { line: 40, summary: '', reason: 'it has no start' },
            ],
          },
        }),
      ],
    });
    const card = await openCard();
    const [work, team] = await within(card).findAllByTestId('calendar-item');
    expect(within(work!).getByTestId('calendar-status')).toHaveTextContent('File not found');
    expect(within(work!).getByTestId('calendar-message')).toHaveTextContent('no file');
    const skipped = within(team!).getByTestId('calendar-skipped');
    expect(skipped).toHaveTextContent('2 events were left out');
    expect(skipped).toHaveTextContent('Line 12: Offsite — its start time cannot be read');
    expect(skipped).toHaveTextContent('Line 40: (untitled) — it has no start');
    await expectAccessible();

    const user = userEvent.setup();
    await user.click(within(card).getByTestId('calendar-sync'));
    await waitFor(() => expect(callsTo(calls, 'sync_calendars')).toHaveLength(1));
    await user.click(within(work!).getByRole('button', { name: 'Unlink work.ics' }));
    expect(await within(card).findByTestId('calendar-notice')).toHaveTextContent(
      'Unlinked work.ics. The meetings it brought in stay in the journal.',
    );
    expect(callsTo(calls, 'unlink_calendar')[0]!.args).toEqual({ path: PATH });
    expect(within(card).getAllByTestId('calendar-item')).toHaveLength(1);
  });

  it('follows the shell’s background syncs', async () => {
    installFakeBackend({ calendars: [linkedCalendar()] });
    const card = await openCard();
    await within(card).findByTestId('calendar-item');
    await emit('calendars-synced', [linkedCalendar({ status: 'not_calendar', message: 'x' })]);
    await waitFor(() =>
      expect(within(card).getByTestId('calendar-status')).toHaveTextContent(
        'No longer a calendar file',
      ),
    );
  });
});

describe('Today and linked calendars', () => {
  it('says nothing when every linked file is fine', async () => {
    installFakeBackend({ calendars: [linkedCalendar()] });
    await renderApp();
    await screen.findByTestId('today-screen');
    await waitFor(() => expect(screen.queryByTestId('today-calendar-hint')).toBeNull());
  });

  it('says calmly when a file is missing or left events out, and leads to Settings', async () => {
    installFakeBackend({
      calendars: [
        linkedCalendar({ status: 'missing', message: 'gone' }),
        linkedCalendar({
          path: '/c/team.ics',
          last_import: {
            ...linkedCalendar().last_import!,
            skipped_events: [{ line: 3, summary: 'A', reason: 'b' }],
          },
        }),
      ],
    });
    await renderApp();
    const hint = await screen.findByTestId('today-calendar-hint');
    expect(within(hint).getByTestId('today-calendar-problem')).toHaveTextContent(
      'work.ics: file not found. Its meetings stay as they were; new ones come in once the file is back.',
    );
    expect(within(hint).getByTestId('today-calendar-skipped')).toHaveTextContent(
      'team.ics: 1 event was left out of the last import.',
    );
    await expectAccessible();
    await userEvent.setup().click(within(hint).getByTestId('today-calendar-settings'));
    const card = await screen.findByTestId('calendar-card');
    await waitFor(() =>
      expect(within(card).getByRole('heading', { name: 'Calendar' })).toHaveFocus(),
    );
  });

  it('reloads Today when the shell synced a calendar in the background', async () => {
    const calls = installFakeBackend({ calendars: [linkedCalendar()] });
    await renderApp();
    await screen.findByTestId('today-screen');
    await waitFor(() => expect(callsTo(calls, 'today')).toHaveLength(1));
    await emit('calendars-synced', [linkedCalendar({ status: 'missing', message: 'gone' })]);
    await waitFor(() => expect(callsTo(calls, 'today')).toHaveLength(2));
    expect(await screen.findByTestId('today-calendar-problem')).toBeVisible();
  });
});
