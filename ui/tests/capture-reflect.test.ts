// Quick capture from the keyboard, then the reflection from the other person's side.
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import {
  ADA,
  GRACE,
  NEW_TP,
  PAUSED,
  ROLLOUT,
  TP1,
  callsTo,
  initiativeList,
  installFakeBackend,
  savedSides,
} from './fixtures';
import { expectAccessible, renderApp } from './helpers';

describe('quick capture → reflect', () => {
  it('logs a one-on-one with the keyboard and saves willingness +1 / ability −2', async () => {
    const calls = installFakeBackend();
    await renderApp();
    await screen.findByTestId('today-screen');
    const user = userEvent.setup();

    // `n` opens quick capture with the cursor in People, so a name can be typed at once.
    await user.keyboard('n');
    const dialog = await screen.findByTestId('quick-capture');
    expect(screen.getByTestId('capture-people')).toHaveFocus();
    expect(screen.getByTestId('capture-kind-one_on_one')).toBeChecked();
    // Alt and a digit choose the kind without leaving the field.
    await user.keyboard('{Alt>}3{/Alt}');
    expect(screen.getByTestId('capture-kind-feedback')).toBeChecked();
    expect(screen.getByTestId('capture-people')).toHaveFocus();
    await user.keyboard('{Alt>}1{/Alt}');
    expect(screen.getByTestId('capture-kind-one_on_one')).toBeChecked();

    // Type-ahead and Enter picks.
    await user.keyboard('ada');
    expect(within(dialog).getAllByTestId('people-option')[0]).toHaveTextContent('Ada Lovelace');
    await user.keyboard('{Enter}');
    expect(within(dialog).getByTestId('picked-person')).toHaveTextContent('Ada Lovelace');

    // Tab to notes, type, Ctrl+Enter saves.
    await user.tab();
    expect(screen.getByTestId('capture-notes')).toHaveFocus();
    await user.keyboard('Talked about the migration plan.');
    await user.keyboard('{Control>}{Enter}{/Control}');

    // Straight to the reflection.
    expect(await screen.findByTestId('reflect-screen')).toBeVisible();
    expect(screen.queryByTestId('quick-capture')).toBeNull();
    const added = callsTo(calls, 'add_touchpoint')[0]?.args.touchpoint as Record<string, unknown>;
    expect(added).toMatchObject({
      kind: 'one_on_one',
      participants: [ADA],
      notes: 'Talked about the migration plan.',
      tags: [],
    });
    expect(String(added.occurred_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);

    // The cursor waits in the reflection's first field.
    await waitFor(() => expect(document.activeElement?.tagName).toBe('TEXTAREA'));

    // The kind's prompts are shown with the person's name.
    expect(
      await screen.findByText(
        'What would Ada Lovelace say was the one thing they most needed me to hear today?',
      ),
    ).toBeVisible();
    expect(screen.getByText('How would Ada Lovelace tell it tonight?')).toBeVisible();

    await user.click(screen.getByTestId('willingness-plus1'));
    await user.click(screen.getByTestId('ability-minus2'));
    await user.click(screen.getByTestId('reflect-adversarial'));
    await user.type(screen.getByTestId('reflect-next-time'), 'Send the agenda a day early');
    await user.click(screen.getByTestId('add-commitment'));
    await user.type(screen.getByLabelText('What I promised'), 'Review the design doc');
    await user.click(screen.getByTestId('reflect-save'));

    // Then the person page.
    expect(await screen.findByTestId('person-screen')).toBeVisible();
    expect(callsTo(calls, 'save_reflection')).toHaveLength(1);
    const side = savedSides(calls)[0]!;
    expect(side.reflection).toMatchObject({
      touchpoint_id: NEW_TP,
      person_id: ADA,
      willingness: 1,
      ability: -2,
      adversarial: true,
      next_time: 'Send the agenda a day early',
    });
    expect(side.commitments).toEqual([
      { id: expect.any(String), what: 'Review the design doc', due: null },
    ]);
    // One call saves the whole form: no separate commitment or topic writes.
    expect(callsTo(calls, 'add_commitment')).toHaveLength(0);
    expect(callsTo(calls, 'add_topic')).toHaveLength(0);
    const order = calls.map((c) => c.cmd);
    expect(order.indexOf('add_touchpoint')).toBeLessThan(order.indexOf('save_reflection'));
  });

  it('asks for both willingness and ability before saving', async () => {
    const calls = installFakeBackend();
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.type(screen.getByTestId('capture-people'), 'Ada{Enter}');
    await user.click(screen.getByTestId('capture-save'));
    await screen.findByTestId('reflect-screen');
    await user.click(await screen.findByTestId('willingness-plus2'));
    await user.click(screen.getByTestId('reflect-save'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'choose both willingness and ability',
    );
    expect(callsTo(calls, 'save_reflection')).toHaveLength(0);
  });

  it('shows the AI roll-out prompts for a touchpoint tagged ai-rollout', async () => {
    installFakeBackend();
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.type(screen.getByTestId('capture-people'), 'Ada{Enter}');
    await user.type(screen.getByTestId('capture-tags'), 'ai-rollout');
    await user.click(screen.getByTestId('capture-save'));
    expect(
      await screen.findByText(
        'After we spoke, would Ada Lovelace be more or less worried about being replaced?',
      ),
    ).toBeVisible();
  });

  it('needs someone for a one-on-one, and can add a new person from the picker', async () => {
    const calls = installFakeBackend();
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.click(screen.getByTestId('capture-save'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Add at least one person');
    await user.type(screen.getByTestId('capture-people'), 'Barbara Liskov');
    expect(screen.getAllByTestId('people-option').at(-1)).toHaveTextContent(
      'Add “Barbara Liskov” as a new person',
    );
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('picked-person')).toHaveTextContent('Barbara Liskov'),
    );
    expect(callsTo(calls, 'add_person')[0]?.args.person).toMatchObject({ name: 'Barbara Liskov' });
  });

  it('records the impact on each affected group for a decision', async () => {
    const calls = installFakeBackend();
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.click(screen.getByTestId('capture-kind-decision'));
    await user.click(screen.getByTestId('capture-save'));
    await user.click(await screen.findByTestId('impact-group-customer'));
    await user.click(screen.getByTestId('impact-customer-minus1'));
    await user.click(screen.getByTestId('reflect-save'));
    await screen.findByTestId('people-screen');
    const form = callsTo(calls, 'save_reflection')[0]?.args.form as {
      group_impacts: unknown;
    };
    expect(form.group_impacts).toEqual([{ group: 'customer', impact: -1 }]);
    expect(callsTo(calls, 'update_touchpoint')).toHaveLength(0);
  });

  it('reflects per participant in tabs, skipping anyone left untouched', async () => {
    const calls = installFakeBackend();
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.click(screen.getByTestId('capture-kind-team_meeting'));
    await user.type(screen.getByTestId('capture-people'), 'Ada{Enter}Grace{Enter}Alan{Enter}');
    await user.click(screen.getByTestId('capture-save'));
    const tabs = await screen.findAllByTestId('reflect-tab');
    expect(tabs.map((t) => t.textContent?.trim())).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Alan Turing',
    ]);
    await user.click(screen.getByTestId('willingness-plus2'));
    await user.click(screen.getByTestId('ability-plus1'));
    // Arrow keys move between participants.
    tabs[0]!.focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getAllByTestId('reflect-tab')[1]).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('heading', { name: "Grace Hopper's side" })).toBeVisible();
    await user.click(screen.getByTestId('willingness-minus1'));
    await user.click(screen.getByTestId('ability-0'));
    await user.click(screen.getByTestId('reflect-save'));
    await screen.findByTestId('person-screen');
    const reflections = savedSides(calls).map((side) => side.reflection);
    expect(reflections).toMatchObject([
      { person_id: ADA, willingness: 2, ability: 1 },
      { person_id: GRACE, willingness: -1, ability: 0 },
    ]);
  });

  it('saving again after a failure sends the same ids, so nothing is duplicated', async () => {
    const failures: Record<string, { code: string; message: string }> = {
      save_reflection: { code: 'storage', message: 'the disk is full' },
    };
    const calls = installFakeBackend({ failures });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.type(screen.getByTestId('capture-people'), 'Ada{Enter}');
    await user.click(screen.getByTestId('capture-save'));
    await user.click(await screen.findByTestId('willingness-plus1'));
    await user.click(screen.getByTestId('ability-plus1'));
    await user.click(screen.getByTestId('add-commitment'));
    await user.type(screen.getByLabelText('What I promised'), 'Share the budget');
    await user.click(screen.getByTestId('add-topic'));
    await user.type(screen.getByLabelText('Topic'), 'Career path');
    await user.click(screen.getByTestId('reflect-save'));
    expect(await screen.findByRole('alert')).toHaveTextContent('the disk is full');
    delete failures.save_reflection;
    await user.click(screen.getByTestId('reflect-save'));
    await screen.findByTestId('person-screen');
    const [first, second] = savedSides(calls);
    expect(second!.commitments).toEqual(first!.commitments);
    expect(second!.topics).toEqual(first!.topics);
    expect(first!.commitments).toHaveLength(1);
    expect(first!.topics).toHaveLength(1);
  });

  it('keeps the people list open after a quick click away and back into People', async () => {
    installFakeBackend();
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.click(screen.getByTestId('capture-kind-conflict'));
    await user.click(screen.getByTestId('capture-people'));
    await user.keyboard('Ad');
    await new Promise((r) => setTimeout(r, 300));
    const first = screen.getAllByTestId('people-option')[0]!;
    expect(first).toHaveTextContent('Ada Lovelace');
    expect(first).toBeVisible();
  });
});

describe('change initiatives in the daily loop', () => {
  const REPLACED =
    'After we spoke, would Ada Lovelace be more or less worried about being replaced?';

  it('offers no initiative choice while none exists', async () => {
    installFakeBackend();
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await screen.findByTestId('capture-notes');
    expect(screen.queryByTestId('capture-initiatives')).toBeNull();
  });

  it('links a capture to a running initiative in the one capture call, and asks its prompts', async () => {
    const calls = installFakeBackend({ initiatives: initiativeList });
    await renderApp();
    const user = userEvent.setup();
    await user.keyboard('n');
    await screen.findByTestId('quick-capture');
    await user.keyboard('ada{Enter}');
    // Only planned and running initiatives are offered: the paused one is not.
    const offered = await screen.findByTestId('capture-initiatives');
    expect(offered).toHaveTextContent('Copilot roll-out');
    expect(screen.queryByTestId(`capture-initiative-${PAUSED}`)).toBeNull();
    // Keyboard only: Tab through notes, when and tags to the initiative, Space ticks it.
    await user.tab();
    await user.keyboard('She asked whether reviews stay human.');
    await user.tab();
    await user.tab();
    await user.tab();
    expect(screen.getByTestId(`capture-initiative-${ROLLOUT}`)).toHaveFocus();
    await user.keyboard(' ');
    expect(screen.getByTestId(`capture-initiative-${ROLLOUT}`)).toBeChecked();
    await user.keyboard('{Control>}{Enter}{/Control}');

    await screen.findByTestId('reflect-screen');
    const adds = callsTo(calls, 'add_touchpoint');
    expect(adds).toHaveLength(1);
    expect(adds[0]!.args.initiatives).toEqual([ROLLOUT]);
    // Never capture-then-link: the link went in with the entry.
    expect(callsTo(calls, 'link_initiative')).toHaveLength(0);
    // The initiative's prompts (through its tag) are asked, and the link shows ticked.
    expect(await screen.findByText(REPLACED)).toBeVisible();
    expect(callsTo(calls, 'prompts_for_touchpoint')[0]?.args).toEqual({ touchpointId: NEW_TP });
    expect(await screen.findByTestId(`initiative-link-${ROLLOUT}`)).toBeChecked();
  });

  it('ticking an initiative in the reflection links it and brings its prompts', async () => {
    const calls = installFakeBackend({ initiatives: initiativeList });
    await renderApp({ name: 'reflect', touchpointId: TP1 });
    const user = userEvent.setup();
    const box = await screen.findByTestId(`initiative-link-${ROLLOUT}`);
    expect(box).not.toBeChecked();
    expect(screen.queryByText(REPLACED)).toBeNull();
    expect(screen.queryByTestId('record-concern')).toBeNull();
    await user.click(box);
    expect(await screen.findByText(REPLACED)).toBeVisible();
    expect(callsTo(calls, 'link_initiative')[0]?.args).toEqual({ id: ROLLOUT, touchpointId: TP1 });
    expect(screen.getByTestId('record-concern')).toBeVisible();
    await user.click(screen.getByTestId('concern-open'));
    await expectAccessible();
  });

  it('records a concern from the reflection in one call; an error is shown and the text kept', async () => {
    const failures: Record<string, { code: string; message: string }> = {
      add_concern: { code: 'storage', message: 'the disk is full' },
    };
    const calls = installFakeBackend({ initiatives: initiativeList, failures });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.type(screen.getByTestId('capture-people'), 'Ada{Enter}');
    await user.click(await screen.findByTestId(`capture-initiative-${ROLLOUT}`));
    await user.click(screen.getByTestId('capture-save'));

    await user.click(await screen.findByTestId('concern-open'));
    expect(screen.getByText(/whether\s+or not you save this reflection/)).toBeVisible();
    await user.selectOptions(screen.getByTestId('concern-kind'), 'consulted');
    await user.type(screen.getByTestId('concern-text'), 'Nobody asked the reviewers first');
    await user.click(screen.getByTestId('concern-save'));
    const concern = await screen.findByTestId('record-concern');
    expect(await within(concern).findByRole('alert')).toHaveTextContent('the disk is full');
    expect(screen.getByTestId('concern-text')).toHaveValue('Nobody asked the reviewers first');
    expect(screen.queryByTestId('concern-recorded')).toBeNull();

    delete failures.add_concern;
    await user.click(screen.getByTestId('concern-save'));
    expect(await screen.findByTestId('concern-recorded')).toHaveTextContent(
      "Ada Lovelace's concern is recorded in Copilot roll-out.",
    );
    expect(screen.getByTestId('concern-text')).toHaveValue('');
    const sent = callsTo(calls, 'add_concern');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.args).toEqual({
      id: ROLLOUT,
      kind: 'consulted',
      personId: ADA,
      text: 'Nobody asked the reviewers first',
      touchpointId: NEW_TP,
    });
    // Recorded before the reflection was saved, and nothing else was written for it.
    expect(callsTo(calls, 'save_reflection')).toHaveLength(0);
    // An empty concern is refused in the form, without a call.
    await user.click(screen.getByTestId('concern-save'));
    expect(within(concern).getByRole('alert')).toHaveTextContent('Write the concern');
    expect(callsTo(calls, 'add_concern')).toHaveLength(2);
    // Leaving the reflection unsaved touches nothing of the concern: it is its own record.
    const before = calls.length;
    await user.click(screen.getByRole('button', { name: 'Later' }));
    await screen.findByTestId('today-screen');
    const after = calls.slice(before).map((c) => c.cmd);
    expect(after.filter((c) => /concern|unlink|trash|erase/.test(c))).toEqual([]);
  });

  it('the entry shows its initiatives and links and unlinks them; a refusal keeps the box as it was', async () => {
    const failures: Record<string, { code: string; message: string }> = {};
    const calls = installFakeBackend({ initiatives: initiativeList, failures });
    await renderApp({ name: 'entry', id: TP1 });
    const user = userEvent.setup();
    const box = await screen.findByTestId(`initiative-link-${ROLLOUT}`);
    expect(screen.queryByTestId(`initiative-link-${PAUSED}`)).toBeNull();
    await user.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(callsTo(calls, 'link_initiative')[0]?.args).toEqual({ id: ROLLOUT, touchpointId: TP1 });

    failures.unlink_initiative = {
      code: 'invalid_input',
      message: 'A concern was raised in this entry; it stays linked while the concern is kept.',
    };
    await user.click(box);
    expect(await screen.findByRole('alert')).toHaveTextContent('A concern was raised');
    expect(box).toBeChecked();

    delete failures.unlink_initiative;
    await user.click(box);
    await waitFor(() => expect(box).not.toBeChecked());
    expect(callsTo(calls, 'unlink_initiative')).toHaveLength(2);
  });
});
