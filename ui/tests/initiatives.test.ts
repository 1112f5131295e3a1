// Change initiatives in the app: the list and a new initiative, every form of the Initiative
// screen (what it sends; an error from the core shown with the form kept as typed), the
// explanation within an initiative, the team page export, and the nudges on Today.
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ADA, callsTo, installFakeBackend, TP1 } from './fixtures';
import { expectAccessible, renderApp } from './helpers';
import { initiativeFake, ROLLOUT } from './initiativeFake';
import { router } from '../src/lib/router.svelte';

const refused = { code: 'invalid_input', message: 'The core said no.' };

async function openRollout(failures: Record<string, { code: string; message: string }> = {}) {
  const fake = initiativeFake();
  const calls = installFakeBackend({ initiativeFake: fake, failures, picks: ['/tmp/team.html'] });
  await renderApp({ name: 'initiative', id: ROLLOUT });
  await screen.findByTestId('initiative-title');
  return { calls, fake, user: userEvent.setup() };
}

describe('the initiatives list', () => {
  it('is in the navigation and reachable with g i, with status and open concerns', async () => {
    installFakeBackend({ initiativeFake: initiativeFake() });
    await renderApp();
    await screen.findByTestId('today-screen');
    const user = userEvent.setup();
    await user.keyboard('gi');
    expect(await screen.findByTestId('initiatives-screen')).toBeVisible();
    expect(screen.getByTestId('nav-initiatives')).toHaveAttribute('aria-current', 'page');
    const row = await screen.findByTestId('initiative-row');
    expect(row).toHaveTextContent('Copilot roll-out');
    expect(within(row).getByTestId('initiative-row-status')).toHaveTextContent('Running');
    expect(await within(row).findByTestId('initiative-row-concerns')).toHaveTextContent(
      '1 open concern',
    );
    await expectAccessible();
  });

  it('starts a new initiative with its people, dates and status, then opens it', async () => {
    const calls = installFakeBackend({ initiativeFake: initiativeFake({ empty: true }) });
    await renderApp({ name: 'initiatives' });
    const user = userEvent.setup();
    await screen.findByText(/No initiatives yet/);
    await user.click(screen.getByTestId('new-initiative'));
    await user.type(screen.getByTestId('initiative-name'), 'Copilot pilot');
    await user.type(screen.getByTestId('initiative-purpose'), 'Faster reviews, same craft.');
    await user.click(screen.getByLabelText('Platform'));
    await user.type(screen.getByTestId('initiative-people'), 'Ada{Enter}');
    await user.type(screen.getByTestId('initiative-starts'), '2025-03-01');
    await user.selectOptions(screen.getByTestId('initiative-status'), 'running');
    await expectAccessible();
    await user.click(screen.getByTestId('initiative-create'));
    expect(await screen.findByTestId('initiative-screen')).toBeVisible();
    expect(await screen.findByTestId('initiative-title')).toHaveTextContent('Copilot pilot');
    expect(callsTo(calls, 'add_initiative')[0]?.args.initiative).toEqual({
      name: 'Copilot pilot',
      purpose: 'Faster reviews, same craft.',
      status: 'running',
      starts_on: '2025-03-01',
      review_on: null,
      tag: null,
      teams: ['Platform'],
      people: [ADA],
    });
  });

  it('shows the core refusing a new initiative and keeps what was typed', async () => {
    installFakeBackend({
      initiativeFake: initiativeFake({ empty: true }),
      failures: { add_initiative: refused },
    });
    await renderApp({ name: 'initiatives' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('new-initiative'));
    await user.type(screen.getByTestId('initiative-name'), 'Copilot pilot');
    await user.click(screen.getByTestId('initiative-create'));
    expect(await screen.findByTestId('initiative-form-error')).toHaveTextContent(
      'The core said no.',
    );
    expect(screen.getByTestId('initiative-name')).toHaveValue('Copilot pilot');
    expect(screen.getByTestId('initiatives-screen')).toBeVisible();
  });
});

describe('the Initiative screen', () => {
  it('shows every part and passes axe', async () => {
    await openRollout();
    for (const id of [
      'initiative-statements',
      'initiative-concerns',
      'initiative-plan',
      'initiative-outcomes',
      'initiative-measures',
      'initiative-guidelines',
      'initiative-entries',
      'initiative-balance',
      'team-page-export',
    ])
      expect(screen.getByTestId(id)).toBeVisible();
    expect(screen.getByTestId('initiative-measures')).toHaveTextContent(
      'Your perspective-taking, not a survey',
    );
    await expectAccessible();
  });

  it('edits the name and status; a refusal keeps the form', async () => {
    const { calls, user } = await openRollout();
    await user.click(screen.getByTestId('edit-initiative'));
    await user.clear(screen.getByTestId('edit-name'));
    await user.type(screen.getByTestId('edit-name'), 'Copilot for everyone');
    await user.selectOptions(screen.getByTestId('edit-status'), 'paused');
    await user.click(screen.getByTestId('edit-save'));
    await waitFor(() =>
      expect(screen.getByTestId('initiative-title')).toHaveTextContent('Copilot for everyone'),
    );
    expect(screen.getByTestId('initiative-status-badge')).toHaveTextContent('Paused');
    expect(callsTo(calls, 'update_initiative')[0]?.args.initiative).toMatchObject({
      id: ROLLOUT,
      name: 'Copilot for everyone',
      status: 'paused',
      people: [{ id: ADA, name: 'Ada Lovelace' }],
    });

    await user.click(screen.getByTestId('edit-initiative'));
    await user.clear(screen.getByTestId('edit-name'));
    await user.click(screen.getByTestId('edit-save'));
    expect(await screen.findByTestId('edit-initiative-error')).toHaveTextContent(
      'the name is empty',
    );
    expect(screen.getByTestId('edit-name')).toBeVisible();
  });

  it('deletes the initiative after asking, saying its entries stay; a refusal is shown', async () => {
    const { calls, user } = await openRollout({ delete_initiative: refused });
    await user.click(screen.getByTestId('edit-initiative'));
    await user.click(screen.getByTestId('delete-initiative'));
    const dialog = await screen.findByTestId('confirm-delete-initiative');
    expect(dialog).toHaveTextContent('cannot be undone');
    expect(dialog).toHaveTextContent('The entries linked to it stay in the journal.');
    await user.click(within(dialog).getByText('Keep'));
    expect(screen.queryByTestId('confirm-delete-initiative')).toBeNull();
    expect(callsTo(calls, 'delete_initiative')).toHaveLength(0);

    await user.click(screen.getByTestId('delete-initiative'));
    await user.click(screen.getByTestId('confirm-delete-initiative-button'));
    expect(await screen.findByTestId('delete-initiative-error')).toHaveTextContent(
      'The core said no.',
    );
    expect(screen.getByTestId('initiative-title')).toBeVisible();

    installFakeBackend({ initiativeFake: initiativeFake() });
    await user.click(screen.getByTestId('confirm-delete-initiative-button'));
    expect(await screen.findByTestId('initiatives-screen')).toBeVisible();
    expect(screen.queryByTestId('initiative-row')).toBeNull();
  });

  it('adds, restates and withdraws a statement, keeping its history', async () => {
    const { calls, user } = await openRollout();
    await user.type(screen.getByTestId('statement-text-does_not'), 'Rates anyone');
    await user.click(screen.getByTestId('statement-add-does_not'));
    const st = await within(screen.getByTestId('statements-does_not')).findByTestId('statement');
    expect(st).toHaveTextContent('Rates anyone');
    await user.click(within(st).getByTestId('restate'));
    await user.clear(screen.getByTestId('restate-text'));
    await user.type(screen.getByTestId('restate-text'), "Never rates anyone's work");
    await user.click(screen.getByTestId('restate-save'));
    await waitFor(() => expect(st).toHaveTextContent("Never rates anyone's work"));
    expect(st).toHaveTextContent('Earlier wordings (1)');
    await user.click(within(st).getByTestId('withdraw'));
    await waitFor(() => expect(st).toHaveTextContent('withdrawn'));
    expect(callsTo(calls, 'add_statement')[0]?.args).toMatchObject({
      id: ROLLOUT,
      side: 'does_not',
      text: 'Rates anyone',
    });
  });

  it('shows a refused statement with the text kept', async () => {
    const { user } = await openRollout({ add_statement: refused });
    await user.type(screen.getByTestId('statement-text-does'), 'Drafts tests');
    await user.click(screen.getByTestId('statement-add-does'));
    expect(await screen.findByTestId('statement-error')).toHaveTextContent('The core said no.');
    expect(screen.getByTestId('statement-text-does')).toHaveValue('Drafts tests');
  });

  it('records a concern, answers it, folds it away and reopens it', async () => {
    const { calls, user } = await openRollout();
    const box = screen.getByTestId('initiative-concerns');
    await user.click(screen.getByTestId('concern-new'));
    await user.selectOptions(screen.getByTestId('concern-person'), ADA);
    await user.selectOptions(screen.getByTestId('concern-kind'), 'workload');
    await user.type(screen.getByTestId('concern-text'), 'Reviews pile up');
    await user.click(screen.getByTestId('concern-add'));
    await waitFor(() => expect(within(box).getAllByTestId('open-concern')).toHaveLength(2));
    expect(callsTo(calls, 'add_concern')[0]?.args).toMatchObject({
      kind: 'workload',
      personId: ADA,
      text: 'Reviews pile up',
      touchpointId: null,
    });
    await user.click(within(box).getAllByTestId('concern-answer')[0]!);
    await user.type(screen.getByTestId('concern-answer-text'), 'Review stays human.');
    await user.click(screen.getByTestId('concern-answer-save'));
    await waitFor(() => expect(within(box).getAllByTestId('open-concern')).toHaveLength(1));
    const answered = screen.getByTestId('answered-concerns');
    expect(answered).not.toHaveAttribute('open');
    expect(answered).toHaveTextContent('Answered (1)');
    await user.click(within(answered).getByText('Answered (1)'));
    await user.click(within(answered).getByRole('button', { name: 'Reopen' }));
    await waitFor(() => expect(within(box).getAllByTestId('open-concern')).toHaveLength(2));
  });

  it('asks who raised a concern, and keeps a refused answer as typed', async () => {
    const { calls, user } = await openRollout({ answer_concern: refused });
    await user.click(screen.getByTestId('concern-new'));
    await user.type(screen.getByTestId('concern-text'), 'Unclear why');
    await user.click(screen.getByTestId('concern-add'));
    expect(await screen.findByTestId('concern-error')).toHaveTextContent('Choose who raised');
    expect(callsTo(calls, 'add_concern')).toHaveLength(0);
    expect(screen.getByTestId('concern-text')).toHaveValue('Unclear why');
    await user.click(screen.getByTestId('concern-answer'));
    await user.type(screen.getByTestId('concern-answer-text'), 'We talked.');
    await user.click(screen.getByTestId('concern-answer-save'));
    expect(await screen.findByTestId('concern-error')).toHaveTextContent('The core said no.');
    expect(screen.getByTestId('concern-answer-text')).toHaveValue('We talked.');
  });

  it('logs a win on the timeline; a setback without its lesson is refused and kept', async () => {
    const { calls, user } = await openRollout();
    await user.click(screen.getByTestId('outcome-new'));
    await user.type(screen.getByTestId('outcome-what'), 'Tests drafted in minutes');
    await user.click(screen.getByTestId('outcome-add'));
    const item = await screen.findByTestId('outcome');
    expect(item).toHaveTextContent('Win');
    expect(item).toHaveTextContent('Tests drafted in minutes');
    expect(callsTo(calls, 'add_outcome')[0]?.args).toMatchObject({ kind: 'win' });

    await user.click(screen.getByTestId('outcome-new'));
    await user.click(screen.getByTestId('outcome-kind-setback'));
    await user.type(screen.getByTestId('outcome-what'), 'A suggestion leaked a name');
    await user.click(screen.getByTestId('outcome-add'));
    expect(await screen.findByTestId('outcome-error')).toHaveTextContent(
      'a setback needs its lesson',
    );
    expect(screen.getByTestId('outcome-what')).toHaveValue('A suggestion leaked a name');
    await user.type(screen.getByTestId('outcome-lesson'), 'Check generated logging');
    await user.click(screen.getByTestId('outcome-add'));
    await waitFor(() => expect(screen.getAllByTestId('outcome')).toHaveLength(2));
    expect(screen.getAllByTestId('outcome')[0]).toHaveTextContent(
      'Lesson: Check generated logging',
    );
  });

  it('adds a guideline with who shaped it; a refused one is kept as typed', async () => {
    const { calls, fake, user } = await openRollout();
    await user.click(screen.getByTestId('guideline-new'));
    await user.type(screen.getByTestId('guideline-text'), 'Review generated code like any other');
    await user.type(screen.getByTestId('guideline-people'), 'Ada{Enter}');
    const answer = fake.answer;
    fake.answer = (cmd, args) => {
      if (cmd === 'add_guideline') throw refused;
      return answer(cmd, args);
    };
    await user.click(screen.getByTestId('guideline-add'));
    expect(await screen.findByTestId('guideline-error')).toHaveTextContent('The core said no.');
    expect(screen.getByTestId('guideline-text')).toHaveValue(
      'Review generated code like any other',
    );
    fake.answer = answer;
    await user.click(screen.getByTestId('guideline-add'));
    const g = await screen.findByTestId('guideline');
    expect(g).toHaveTextContent('Review generated code like any other');
    expect(g).toHaveTextContent('shaped by Ada Lovelace · agreed');
    expect(callsTo(calls, 'add_guideline').at(-1)?.args).toEqual({
      id: ROLLOUT,
      text: 'Review generated code like any other',
      shapedBy: [ADA],
      touchpointId: null,
      agreedOn: null,
    });
  });

  it('adds a reading with the four scales; an unfinished or refused one is kept', async () => {
    const { calls, fake, user } = await openRollout();
    await user.click(screen.getByTestId('measure-new'));
    await user.click(screen.getByTestId('measure-satisfaction-plus1'));
    await user.click(screen.getByTestId('measure-save'));
    expect(await screen.findByTestId('measure-error')).toHaveTextContent('each of the four');
    expect(callsTo(calls, 'add_measure')).toHaveLength(0);
    await user.click(screen.getByTestId('measure-collaboration-0'));
    await user.click(screen.getByTestId('measure-quality-minus1'));
    await user.click(screen.getByTestId('measure-confidence-plus2'));
    await user.type(screen.getByTestId('measure-note'), 'Calmer stand-ups');
    const answer = fake.answer;
    fake.answer = (cmd, args) => {
      if (cmd === 'add_measure') throw refused;
      return answer(cmd, args);
    };
    await user.click(screen.getByTestId('measure-save'));
    expect(await screen.findByTestId('measure-error')).toHaveTextContent('The core said no.');
    expect(screen.getByTestId('measure-note')).toHaveValue('Calmer stand-ups');
    expect(screen.getByTestId('measure-satisfaction-plus1')).toBeChecked();
    fake.answer = answer;
    await user.click(screen.getByTestId('measure-save'));
    const row = await screen.findByTestId('measure-row');
    expect(row).toHaveTextContent('Calmer stand-ups');
    expect(callsTo(calls, 'add_measure').at(-1)?.args.measure).toEqual({
      taken_on: null,
      satisfaction: 1,
      collaboration: 0,
      quality: -1,
      confidence: 2,
      note: 'Calmer stand-ups',
    });
  });

  it('plans a step with hours per month and shows its marks; a refusal keeps the form', async () => {
    const { calls, user } = await openRollout();
    await user.click(screen.getByTestId('plan-training'));
    await user.selectOptions(screen.getByTestId('plan-cadence'), 'monthly');
    await user.type(screen.getByTestId('plan-hours'), '4');
    await user.click(screen.getByTestId('plan-save'));
    const step = screen.getByTestId('plan-step-training');
    await waitFor(() => expect(step).toHaveTextContent('4 hours a month'));
    expect(within(step).getByTestId('period-held')).toHaveAccessibleName(/held$/);
    expect(within(step).getByTestId('period-missed')).toHaveAccessibleName(/missed$/);
    expect(callsTo(calls, 'plan_step')[0]?.args).toMatchObject({
      step: 'training',
      cadence: 'monthly',
      hoursPerMonth: 4,
    });

    await user.click(screen.getByTestId('plan-exploration'));
    await user.type(screen.getByTestId('plan-since'), '2030-01-01');
    installFakeBackend({ initiativeFake: initiativeFake(), failures: { plan_step: refused } });
    await user.click(screen.getByTestId('plan-save'));
    expect(await screen.findByTestId('plan-error')).toHaveTextContent('The core said no.');
    expect(screen.getByTestId('plan-since')).toHaveValue('2030-01-01');
  });

  it('links a recent entry, opens it and unlinks it; a refused link says why', async () => {
    const { calls, user } = await openRollout();
    const select = screen.getByTestId('link-entry-select');
    await waitFor(() => expect(within(select).getAllByRole('option').length).toBeGreaterThan(1));
    await user.selectOptions(select, TP1);
    await user.click(screen.getByTestId('link-entry'));
    const linked = await screen.findByTestId('linked-entry');
    expect(linked).toHaveTextContent('Weekly one-on-one');
    expect(callsTo(calls, 'link_initiative')[0]?.args).toEqual({
      id: ROLLOUT,
      touchpointId: TP1,
    });
    // Opening it shows the entry; going back returns to the initiative.
    await user.click(within(linked).getByRole('button', { name: 'Weekly one-on-one' }));
    expect(await screen.findByTestId('entry-screen')).toBeVisible();
    router.back();
    await screen.findByTestId('linked-entry');
    await user.click(screen.getByRole('button', { name: 'Unlink Weekly one-on-one' }));
    await waitFor(() => expect(screen.queryByTestId('linked-entry')).toBeNull());

    installFakeBackend({
      initiativeFake: initiativeFake(),
      failures: { link_initiative: refused },
    });
    await user.selectOptions(screen.getByTestId('link-entry-select'), TP1);
    await user.click(screen.getByTestId('link-entry'));
    expect(await screen.findByTestId('link-error')).toHaveTextContent('The core said no.');
  });

  it('counts a linked entry towards a planned step; a refused unlink says why and keeps it', async () => {
    const { calls, fake, user } = await openRollout();
    const page = fake.pages.get(ROLLOUT)!;
    page.entries.push({
      id: TP1,
      occurred_at: '2025-03-07T09:00:00Z',
      title: 'Learning hour',
      private: false,
    });
    await user.click(screen.getByTestId('plan-exploration'));
    await user.click(screen.getByTestId('plan-save'));
    const step = screen.getByTestId('plan-step-exploration');
    const count = await within(step).findByLabelText('An entry that counts towards this step');
    await user.selectOptions(count, TP1);
    await user.click(within(step).getByRole('button', { name: 'Count it' }));
    await waitFor(() =>
      expect(callsTo(calls, 'mark_step')[0]?.args).toEqual({
        id: ROLLOUT,
        step: 'exploration',
        touchpointId: TP1,
      }),
    );

    const answer = fake.answer;
    fake.answer = (cmd, args) => {
      if (cmd === 'unlink_initiative')
        throw { code: 'invalid_input', message: 'a concern raised in this entry is kept' };
      return answer(cmd, args);
    };
    await user.click(screen.getByRole('button', { name: 'Unlink Learning hour' }));
    expect(await screen.findByTestId('link-error')).toHaveTextContent(
      'a concern raised in this entry is kept',
    );
    expect(screen.getByTestId('linked-entry')).toHaveTextContent('Learning hour');
  });

  it('opens the balance explained within the initiative, for everyone and for one person', async () => {
    const { calls, user } = await openRollout();
    const share = screen.getByTestId('share-person');
    expect(share).toHaveTextContent('Slipping');
    await user.click(within(share).getByRole('button', { name: 'Ada Lovelace' }));
    expect(await screen.findByTestId('explain-screen')).toBeVisible();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'Ada Lovelace in Copilot roll-out',
    );
    expect(callsTo(calls, 'initiative_balance').at(-1)?.args).toEqual({
      id: ROLLOUT,
      scope: { type: 'person', id: ADA },
    });
    expect(screen.getByTestId('nav-initiatives')).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await user.click(await screen.findByTestId('initiative-explain'));
    await screen.findByTestId('explain-screen');
    expect(callsTo(calls, 'initiative_balance').at(-1)?.args).toEqual({
      id: ROLLOUT,
      scope: null,
    });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'Everyone in Copilot roll-out',
    );
  });

  it('exports the team page where the leader picks, saying what it never contains', async () => {
    const { calls, user } = await openRollout();
    expect(screen.getByTestId('team-page-promise')).toHaveTextContent(
      'It never contains private entries, ratings, balances, measures, reflections or concerns',
    );
    await user.click(screen.getByTestId('export-team-page-html'));
    expect(await screen.findByTestId('team-page-notice')).toHaveTextContent('/tmp/team.html');
    expect(callsTo(calls, 'pick_path')[0]?.args).toMatchObject({
      kind: 'save_file',
      fileName: 'copilot-roll-out-team-page.html',
    });
    expect(callsTo(calls, 'export_team_page')[0]?.args).toEqual({
      id: ROLLOUT,
      format: 'html',
      path: '/tmp/team.html',
    });
    // A cancelled dialog writes nothing.
    await user.click(screen.getByTestId('export-team-page-markdown'));
    await waitFor(() => expect(callsTo(calls, 'pick_path')).toHaveLength(2));
    expect(callsTo(calls, 'export_team_page')).toHaveLength(1);
  });

  it('shows a refused export', async () => {
    const { user } = await openRollout({ export_team_page: refused });
    await user.click(screen.getByTestId('export-team-page-html'));
    expect(await screen.findByTestId('team-page-error')).toHaveTextContent('The core said no.');
  });
});

describe('initiative nudges on Today', () => {
  it('show calmly, each leading to its initiative', async () => {
    const fake = initiativeFake();
    const page = fake.pages.get(ROLLOUT)!;
    const initiative = { id: ROLLOUT, name: 'Copilot roll-out' };
    fake.nudges = [
      { type: 'concern_waiting', initiative, concern: page.concerns[0]!, days: 28 },
      { type: 'nothing_learnt', initiative, last: null, days: 37 },
      {
        type: 'slot_missed',
        initiative,
        step: 'exploration',
        period: { starts_on: '2025-03-03', ends_on: '2025-03-09', mark: 'missed', entries: 0 },
      },
      {
        type: 'slipping',
        initiative,
        person: { id: ADA, name: 'Ada Lovelace' },
        reasons: ['sharp_drop'],
      },
    ];
    installFakeBackend({ initiativeFake: fake });
    await renderApp();
    const box = await screen.findByTestId('today-initiative-nudges');
    const rows = within(box).getAllByTestId('initiative-nudge');
    expect(rows.map((r) => r.dataset.type)).toEqual([
      'concern_waiting',
      'nothing_learnt',
      'slot_missed',
      'slipping',
    ]);
    expect(rows[0]).toHaveTextContent(
      "Ada Lovelace's concern (fear of being replaced) has waited 28 days for an answer.",
    );
    expect(rows[1]).toHaveTextContent('No win or lesson recorded for 37 days.');
    expect(rows[2]).toHaveTextContent('Time to explore the tool was missed');
    expect(rows[3]).toHaveTextContent(
      'Trust with Ada Lovelace is slipping within this initiative.',
    );
    await expectAccessible();
    const user = userEvent.setup();
    await user.click(within(rows[0]!).getByRole('button', { name: 'Copilot roll-out' }));
    expect(await screen.findByTestId('initiative-title')).toHaveTextContent('Copilot roll-out');
  });

  it('a failure to read them leaves the rest of Today', async () => {
    installFakeBackend({
      initiativeFake: initiativeFake(),
      failures: { initiative_nudges: refused },
    });
    await renderApp();
    await screen.findByTestId('today-screen');
    await screen.findByTestId('today-drafts');
    expect(screen.queryByTestId('today-initiative-nudges')).toBeNull();
    expect(screen.queryByTestId('error-message')).toBeNull();
  });
});
