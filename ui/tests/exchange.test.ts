// The coach exchange in the UI: the export wizard, importing a file, review mode with comments,
// and the coach's comments shown to the leader, against the fake shell.
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ExportRequest } from '../src/lib/bindings/ExportRequest';
import { COACH_KEY, LEADER_KEY, TP1, callsTo, installFakeBackend } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

const coachComment = {
  annotation: {
    id: 'note-1',
    target_id: TP1,
    author: 'Coach Kim',
    text: 'Ask Ada what she heard first.',
    created_at: '2025-03-09T18:00:00+01:00',
  },
  imported_at: '2025-03-10T08:00:00Z',
  touchpoint_id: TP1,
  touchpoint_title: 'Weekly one-on-one',
  source: {
    reviewer_key: COACH_KEY,
    fingerprint: 'ab12-cd34-ef56-7890',
    export_id: '0b7e3c1c-7a40-4a43-9a0e-2f2d1f7f3a11',
  },
};

describe('share and import', () => {
  it('shows the public key and passes an axe check', async () => {
    installFakeBackend();
    await renderApp({ name: 'exchange' });
    const key = await screen.findByTestId('public-key');
    await waitFor(() => expect(key).toHaveTextContent(LEADER_KEY));
    await expectAccessible();
  });

  it('exports a pseudonymised bundle to a coach key through the wizard', async () => {
    const calls = installFakeBackend({ picks: ['/home/leader/for-coach.touchpoint'] });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('export-pseudonymise'));
    await user.click(screen.getByTestId('export-next-1'));
    // A bundle needs a key before the wizard goes on.
    expect(screen.getByTestId('export-next-2')).toBeDisabled();
    await user.type(screen.getByTestId('export-recipients'), COACH_KEY);
    await user.click(screen.getByTestId('export-next-2'));
    await user.click(screen.getByTestId('export-save'));
    expect(await screen.findByTestId('export-done')).toHaveTextContent(
      '/home/leader/for-coach.touchpoint',
    );
    const args = callsTo(calls, 'export_journal')[0]!.args;
    const request = args.request as ExportRequest;
    expect(request.format).toBe('bundle');
    expect(request.recipients).toEqual([COACH_KEY]);
    expect(request.options.pseudonymise).toBe(true);
    expect(request.path).toBe('/home/leader/for-coach.touchpoint');
    expect(args.passphrase).toBeNull();
    expect(callsTo(calls, 'pick_path')[0]?.args).toMatchObject({ kind: 'save_file' });
  });

  it('asks for a strong, repeated passphrase for a passphrase bundle', async () => {
    const calls = installFakeBackend({ picks: ['/tmp/out.touchpoint'] });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('export-next-1'));
    await user.click(screen.getByLabelText(/Anyone with a passphrase/));
    const next = screen.getByTestId('export-next-2');
    expect(screen.getByTestId('export-problem')).toHaveTextContent('Choose a passphrase');
    // The core's verdict, its reason and suggestion; Next stays disabled while it refuses.
    await user.type(screen.getByTestId('export-passphrase'), 'short');
    await waitFor(() =>
      expect(screen.getByTestId('export-problem')).toHaveTextContent(
        'Choose a stronger passphrase',
      ),
    );
    expect(screen.getByTestId('strength-reason')).toHaveTextContent('Too easy to guess');
    expect(screen.getByTestId('strength-suggestion')).toHaveTextContent('Add another word');
    expect(next).toBeDisabled();
    await user.clear(screen.getByTestId('export-passphrase'));
    await user.type(screen.getByTestId('export-passphrase'), 'password and then some more');
    await waitFor(() =>
      expect(screen.getByTestId('strength-reason')).toHaveTextContent('common password'),
    );
    expect(next).toBeDisabled();
    await user.clear(screen.getByTestId('export-passphrase'));
    await user.type(screen.getByTestId('export-passphrase'), 'short but now long enough');
    await user.type(screen.getByTestId('export-passphrase-2'), 'short but now long');
    await waitFor(() => expect(screen.getByTestId('export-problem')).toHaveTextContent('differ'));
    expect(next).toBeDisabled();
    await user.type(screen.getByTestId('export-passphrase-2'), ' enough');
    await waitFor(() => expect(next).toBeEnabled());
    await user.click(next);
    await user.click(screen.getByTestId('export-save'));
    await screen.findByTestId('export-done');
    expect(callsTo(calls, 'export_journal')[0]!.args.passphrase).toBe('short but now long enough');
  });

  it('says so when an export is cancelled, and writes nothing', async () => {
    installFakeBackend({
      picks: ['/tmp/out.html'],
      failures: {
        export_journal: { code: 'cancelled', message: 'cancelled; nothing was changed' },
      },
    });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('export-next-1'));
    await user.click(screen.getByTestId('format-html'));
    await user.click(screen.getByTestId('export-next-2'));
    await user.click(screen.getByTestId('export-save'));
    expect(await screen.findByText('Export cancelled; nothing was written.')).toBeVisible();
  });

  it('imports a coach review picked in the dialog', async () => {
    const calls = installFakeBackend({ picks: ['/home/leader/review.touchpoint-review'] });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('import-choose'));
    expect(await screen.findByTestId('import-kind')).toHaveTextContent('coach’s review');
    await user.click(screen.getByTestId('import-run'));
    expect(await screen.findByTestId('import-done')).toHaveTextContent(
      '2 new comments from Coach Kim',
    );
    expect(callsTo(calls, 'import_file')[0]?.args).toMatchObject({
      path: '/home/leader/review.touchpoint-review',
      passphrase: null,
    });
  });

  it('asks for the passphrase of a passphrase bundle and a window for a calendar', async () => {
    installFakeBackend({ picks: ['/home/leader/work.ics'], incoming: 'calendar' });
    await renderApp({ name: 'exchange' });
    await userEvent.click(await screen.findByTestId('import-choose'));
    expect(await screen.findByTestId('import-kind')).toHaveTextContent('calendar');
    expect(screen.getAllByLabelText('From').length).toBeGreaterThan(1);
  });
});

describe('calendar imports', () => {
  const calendarSummary = {
    kind: 'calendar' as const,
    added: 4,
    updated: 0,
    unchanged: 0,
    removed: 0,
    skipped: 0,
    unmatched_attendees: [],
    skipped_events: [
      { line: 10, summary: 'Team sync', reason: 'no start time' },
      {
        line: 15,
        summary: '',
        reason: 'its repeat rule (line 18) cannot be read: RRULE BYMONTH value 13 is out of range',
      },
    ],
    notes: [
      {
        line: 32,
        summary: 'Rover check-in',
        reason:
          'time zone "Mars/Olympus_Mons" is unknown; its times were read in your own time zone',
      },
    ],
  };

  it('lists the events left out and the notes under the counts, calmly', async () => {
    installFakeBackend({
      picks: ['/home/leader/work.ics'],
      incoming: 'calendar',
      importOutcome: calendarSummary,
    });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('import-choose'));
    await user.click(await screen.findByTestId('import-run'));
    expect(await screen.findByTestId('import-done')).toHaveTextContent(
      'Calendar: 4 meeting(s) added as drafts',
    );
    expect(screen.getByTestId('import-skipped-heading')).toHaveTextContent(
      '2 events were left out (the rest of the calendar came in):',
    );
    const skipped = within(screen.getByTestId('import-skipped-events')).getAllByRole('listitem');
    expect(skipped.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Line 10: Team sync — no start time',
      'Line 15: (no title) — its repeat rule (line 18) cannot be read: RRULE BYMONTH value 13 is out of range',
    ]);
    const notes = within(screen.getByTestId('import-notes')).getAllByRole('listitem');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toHaveTextContent(
      'Line 32: Rover check-in — time zone "Mars/Olympus_Mons" is unknown; its times were read in your own time zone',
    );
    // Not an error: no alert.
    expect(screen.queryByRole('alert')).toBeNull();
    await expectAccessible(screen.getByTestId('import-card'));
  });

  it('shows no lists when nothing was left out', async () => {
    installFakeBackend({
      picks: ['/home/leader/work.ics'],
      incoming: 'calendar',
      importOutcome: { ...calendarSummary, skipped_events: [], notes: [] },
    });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('import-choose'));
    await user.click(await screen.findByTestId('import-run'));
    await screen.findByTestId('import-done');
    expect(screen.queryByTestId('import-skipped-events')).toBeNull();
    expect(screen.queryByTestId('import-notes')).toBeNull();
  });
});

describe('review mode', () => {
  it('opens a bundle read-only, adds a comment and sends the review', async () => {
    const calls = installFakeBackend({
      picks: ['/home/coach/from-leader.touchpoint', '/home/coach/review.touchpoint-review'],
    });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('review-open'));
    const bar = await screen.findByTestId('review-bar');
    expect(bar).toHaveTextContent('Someone else’s journal — read-only.');
    expect(await screen.findByTestId('review-home')).toBeVisible();
    expect(screen.getByTestId('review-person-row')).toHaveTextContent('Ada Lovelace');
    // The export's initiative opens read-only in place, with its open concern.
    const initiative = await screen.findByTestId('review-initiative-row');
    expect(initiative).toHaveTextContent('Copilot roll-out');
    expect(initiative).toHaveTextContent('1 open concern');
    await user.click(within(initiative).getByRole('button', { name: 'Copilot roll-out' }));
    const shown = await screen.findByTestId('review-initiative');
    expect(shown).toHaveTextContent('Never rates anyone');
    expect(shown).toHaveTextContent('Reviews took half the time');
    expect(within(shown).getByTestId('review-initiative-concerns')).toHaveTextContent(
      'Ada fears the tool replaces her',
    );
    await expectAccessible();

    await user.click(screen.getByTestId('review-entry-link'));
    const entry = await screen.findByTestId('review-entry');
    // Read-only: the leader's actions are not offered.
    expect(within(entry).queryByText('Reflect again')).toBeNull();
    expect(within(entry).queryByText('Move to trash…')).toBeNull();
    const [first] = await screen.findAllByTestId('comment-input');
    await user.type(first!, 'Ask Ada what she heard first.');
    await user.click(screen.getAllByTestId('comment-add')[0]!);
    expect(await screen.findByText('Ask Ada what she heard first.')).toBeVisible();
    expect(callsTo(calls, 'annotate')[0]?.args).toEqual({
      targetId: TP1,
      text: 'Ask Ada what she heard first.',
    });
    await waitFor(() =>
      expect(screen.getByTestId('review-comment-count')).toHaveTextContent(
        '1 comment not sent yet',
      ),
    );
    await expectAccessible();

    await user.click(screen.getByTestId('review-send'));
    await user.type(screen.getByTestId('review-author'), 'Coach Kim');
    await user.click(screen.getByTestId('review-save'));
    expect(await screen.findByTestId('review-sent')).toHaveTextContent(
      '/home/coach/review.touchpoint-review',
    );
    expect(callsTo(calls, 'export_review')[0]?.args).toEqual({
      path: '/home/coach/review.touchpoint-review',
      author: 'Coach Kim',
    });

    await user.click(screen.getByTestId('review-close'));
    await waitFor(() => expect(screen.queryByTestId('review-bar')).toBeNull());
    expect(callsTo(calls, 'close_review')).toHaveLength(1);
  });
});

describe('the coach’s comments on the leader’s side', () => {
  it('are on Today and beside their entry', async () => {
    installFakeBackend({ coachComments: [coachComment] });
    await renderApp();
    const card = await screen.findByTestId('today-coach-comments');
    expect(card).toHaveTextContent('New comments from your coach');
    expect(card).toHaveTextContent('Ask Ada what she heard first.');
    await userEvent.click(within(card).getByText('Weekly one-on-one'));
    const note = await screen.findByTestId('annotation');
    expect(note).toHaveTextContent('Coach Kim');
    expect(note).toHaveTextContent('Ask Ada what she heard first.');
    // Which reviewer key it came from and which export it answers.
    const source = within(note).getByTestId('annotation-source');
    expect(source).toHaveTextContent('Reviewer key ab12-cd34-ef56-7890');
    expect(source).toHaveTextContent('answers export 0b7e3c1c');
    await expectAccessible();
  });

  it('say on Today which reviewer key they came from', async () => {
    installFakeBackend({ coachComments: [coachComment] });
    await renderApp();
    expect(await screen.findByTestId('coach-comment-key')).toHaveTextContent(
      'reviewer key ab12-cd34-ef56-7890',
    );
  });
});

describe('careful imports', () => {
  it('shows the preview of an import that changes records and Cancel changes nothing', async () => {
    const calls = installFakeBackend({
      picks: ['/home/leader/other.json'],
      incoming: 'touchpoint_json',
      importChanges: true,
    });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('import-choose'));
    await user.click(await screen.findByTestId('import-run'));
    const preview = await screen.findByTestId('import-preview');
    expect(preview).toHaveTextContent('It would change 2 records already in your journal');
    const rows = within(preview).getAllByTestId('import-preview-row');
    expect(rows.map((r) => [...r.children].map((c) => c.textContent?.trim()).join(' '))).toEqual([
      'People 0 0 1',
      'Entries 1 1 0',
      'Reflections 0 1 0',
    ]);
    expect(within(preview).getByTestId('import-preview-changes')).toHaveTextContent(
      'Reflection reflection on Weekly one-on-one',
    );
    await expectAccessible();
    expect(callsTo(calls, 'import_file')).toHaveLength(1);
    expect(callsTo(calls, 'import_file')[0]?.args).toMatchObject({ confirmed: false });

    await user.click(within(preview).getByTestId('import-preview-cancel'));
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(await screen.findByText('Import cancelled; the journal is as it was.')).toBeVisible();
    expect(callsTo(calls, 'import_file')).toHaveLength(1);
    expect(screen.queryByTestId('import-done')).toBeNull();
  });

  it('imports once the leader confirms the preview', async () => {
    const calls = installFakeBackend({
      picks: ['/home/leader/other.json'],
      incoming: 'touchpoint_json',
      importChanges: true,
    });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('import-choose'));
    await user.click(await screen.findByTestId('import-run'));
    await user.click(await screen.findByTestId('import-preview-confirm'));
    expect(await screen.findByTestId('import-done')).toHaveTextContent(
      'Merged an export: 1 added, 2 updated, 1 already here.',
    );
    expect(callsTo(calls, 'import_file')[1]?.args).toMatchObject({ confirmed: true });
  });

  it('refuses a forged plain JSON review with a clear message', async () => {
    installFakeBackend({
      picks: ['/home/leader/forged.json'],
      incoming: 'touchpoint_json',
      failures: {
        import_file: {
          code: 'review_not_encrypted',
          message: 'this review is not encrypted to this journal',
        },
      },
    });
    await renderApp({ name: 'exchange' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('import-choose'));
    await user.click(await screen.findByTestId('import-run'));
    expect(
      await screen.findByText(/Refused: this review is not encrypted to your journal/),
    ).toBeVisible();
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(screen.queryByTestId('import-done')).toBeNull();
  });
});
