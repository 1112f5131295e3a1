// The Trash screen against the fake shell: what it lists and when each item goes, restoring,
// erasing one item or everything with a sentence saying exactly what goes, and the keyboard.
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { BARBARA, TRASHED_TP, callsTo, installFakeBackend, trashFixture } from './fixtures';
import { expectAccessible, renderApp } from './helpers';
import { formatDate } from '../src/lib/format';
import { confirmEmpty, confirmEraseEntry, confirmErasePerson } from '../src/lib/trash';

const DAY = 86_400_000;

async function openTrash() {
  await renderApp({ name: 'trash' });
  return screen.findByTestId('trash-people');
}

describe('the Trash screen', () => {
  it('lists trashed people and entries with the day each is erased, 30 days after', async () => {
    installFakeBackend();
    await openTrash();
    const fixture = trashFixture();
    const person = screen.getByTestId('trash-person');
    expect(person).toHaveTextContent('Barbara Liskov');
    expect(person).toHaveTextContent('12 entries and 3 reflections go with them');
    const p = fixture.people[0]!;
    expect(new Date(p.erase_after).getTime() - new Date(p.trashed_at).getTime()).toBe(30 * DAY);
    expect(within(person).getByTestId('erase-after')).toHaveTextContent(formatDate(p.erase_after));
    const entry = screen.getByTestId('trash-entry');
    expect(entry).toHaveTextContent('Sprint retro');
    expect(entry).toHaveTextContent('with Grace Hopper');
    expect(within(entry).getByTestId('erase-after')).toHaveTextContent(
      formatDate(fixture.entries[0]!.erase_after),
    );
    expect(screen.getByTestId('trash-explained')).toHaveTextContent(
      'What you move to the trash is kept for 30 days, then erased for good',
    );
    await expectAccessible();
  });

  it('is in the navigation and reachable with g d (deleted)', async () => {
    installFakeBackend();
    await renderApp();
    await screen.findByTestId('today-screen');
    const user = userEvent.setup();
    await user.keyboard('gd');
    expect(await screen.findByTestId('trash-screen')).toBeVisible();
    expect(screen.getByTestId('nav-trash')).toHaveAttribute('aria-current', 'page');
    expect(screen.getByTestId('nav-trash')).toHaveTextContent('Trash');
  });

  it('restores a person with one call', async () => {
    const calls = installFakeBackend();
    await openTrash();
    await userEvent.click(screen.getByRole('button', { name: 'Restore Barbara Liskov' }));
    await waitFor(() => expect(screen.queryByTestId('trash-person')).toBeNull());
    expect(callsTo(calls, 'restore_person')).toEqual([
      { cmd: 'restore_person', args: { id: BARBARA } },
    ]);
    expect(screen.getByTestId('trash-notice')).toHaveTextContent('Barbara Liskov is back.');
    expect(callsTo(calls, 'erase_person')).toHaveLength(0);
  });

  it('asks before erasing a person, saying exactly what goes, and Keep erases nothing', async () => {
    const calls = installFakeBackend();
    await openTrash();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Erase Barbara Liskov now' }));
    const dialog = await screen.findByTestId('confirm-erase');
    expect(within(dialog).getByTestId('confirm-erase-question')).toHaveTextContent(
      'Erase Barbara Liskov and the 12 entries and 3 reflections about them now? This cannot be undone.',
    );
    // Focus starts on Keep, so Enter does not erase by accident; Esc closes.
    expect(within(dialog).getByRole('button', { name: 'Keep' })).toHaveFocus();
    await expectAccessible();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('confirm-erase')).toBeNull());
    expect(callsTo(calls, 'erase_person')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Erase Barbara Liskov now' }));
    await user.click(await screen.findByTestId('confirm-erase-button'));
    await waitFor(() => expect(screen.queryByTestId('trash-person')).toBeNull());
    expect(callsTo(calls, 'erase_person')).toEqual([
      { cmd: 'erase_person', args: { id: BARBARA } },
    ]);
    expect(screen.getByTestId('trash-notice')).toHaveTextContent(
      'Erased for good: 1 person, 12 entries and 3 reflections.',
    );
  });

  it('erases one entry now with one call', async () => {
    const calls = installFakeBackend();
    await openTrash();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Erase Sprint retro now' }));
    expect(await screen.findByTestId('confirm-erase-question')).toHaveTextContent(
      `Erase “Sprint retro” of ${formatDate('2025-03-01T10:00:00+01:00')} and its 2 reflections now? This cannot be undone.`,
    );
    await user.click(screen.getByTestId('confirm-erase-button'));
    await waitFor(() => expect(screen.queryByTestId('trash-entry')).toBeNull());
    expect(callsTo(calls, 'erase_touchpoint')).toEqual([
      { cmd: 'erase_touchpoint', args: { id: TRASHED_TP } },
    ]);
  });

  it('empties the trash after saying what it holds', async () => {
    const calls = installFakeBackend();
    await openTrash();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('empty-trash'));
    expect(await screen.findByTestId('confirm-erase-question')).toHaveTextContent(
      'Erase everything in the trash (1 person and 1 entry, with everything written about them) now? This cannot be undone.',
    );
    await user.click(screen.getByTestId('confirm-erase-button'));
    expect(await screen.findByTestId('trash-empty')).toHaveTextContent('The trash is empty.');
    expect(callsTo(calls, 'empty_trash')).toHaveLength(1);
    expect(screen.getByTestId('empty-trash')).toBeDisabled();
    expect(screen.getByTestId('trash-notice')).toHaveTextContent(
      'Erased for good: 1 person, 13 entries and 5 reflections.',
    );
  });

  it('shows a failure plainly and keeps the item', async () => {
    installFakeBackend({
      failures: {
        restore_person: {
          code: 'invalid_input',
          message:
            'cannot restore "Barbara Liskov": someone else now has that name; rename them first',
        },
      },
    });
    await openTrash();
    await userEvent.click(screen.getByRole('button', { name: 'Restore Barbara Liskov' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('someone else now has that name');
    expect(screen.getByTestId('trash-person')).toBeVisible();
  });
});

describe('the sentences before an erase', () => {
  it('name what goes with a person, or everything written about them', () => {
    const p = trashFixture().people[0]!;
    expect(confirmErasePerson({ ...p, entries: 1, reflections: 0 })).toBe(
      'Erase Barbara Liskov and the 1 entry about them now? This cannot be undone.',
    );
    expect(confirmErasePerson({ ...p, entries: 0, reflections: 0 })).toBe(
      'Erase Barbara Liskov and everything written about them now? This cannot be undone.',
    );
    const e = trashFixture().entries[0]!;
    expect(confirmEraseEntry({ ...e, reflections: 0, entry: { ...e.entry, title: '' } })).toBe(
      `Erase “Team meeting” of ${formatDate(e.entry.occurred_at)} now? This cannot be undone.`,
    );
    expect(confirmEmpty({ people: [], entries: [e, e] })).toBe(
      'Erase everything in the trash (2 entries) now? This cannot be undone.',
    );
  });
});
