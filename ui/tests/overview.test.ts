// The people overview: sortable columns (with aria-sort), filters, and adding a person.
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { callsTo, installFakeBackend } from './fixtures';
import { renderApp } from './helpers';

function names(): string[] {
  return screen
    .getAllByTestId('overview-row')
    .map((r) => r.querySelector('td')?.textContent?.trim() ?? '');
}

describe('people overview', () => {
  it('sorts by each column, both ways, and says so with aria-sort', async () => {
    installFakeBackend();
    await renderApp({ name: 'people' });
    await screen.findAllByTestId('overview-row');
    expect(names()).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);

    const user = userEvent.setup();
    await user.click(screen.getByTestId('sort-balance'));
    expect(names()).toEqual(['Alan Turing', 'Ada Lovelace', 'Grace Hopper']);
    expect(screen.getByTestId('sort-balance').closest('th')).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    expect(screen.getByTestId('sort-name').closest('th')).toHaveAttribute('aria-sort', 'none');

    // The header is a button: Enter on it sorts the other way.
    screen.getByTestId('sort-balance').focus();
    await user.keyboard('{Enter}');
    expect(names()).toEqual(['Grace Hopper', 'Ada Lovelace', 'Alan Turing']);
    expect(screen.getByTestId('sort-balance').closest('th')).toHaveAttribute(
      'aria-sort',
      'descending',
    );

    await user.click(screen.getByTestId('sort-trend'));
    expect(names()).toEqual(['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    await user.click(screen.getByTestId('sort-slipping'));
    expect(names().at(-1)).toBe('Alan Turing');
  });

  it('shows trend arrows with the number and flags', async () => {
    installFakeBackend();
    await renderApp({ name: 'people' });
    const rows = await screen.findAllByTestId('overview-row');
    const alan = rows.find((r) => r.textContent?.includes('Alan Turing'))!;
    expect(alan).toHaveTextContent('↓');
    expect(alan).toHaveTextContent('−8');
    expect(alan).toHaveTextContent('Slipping');
    expect(alan).toHaveTextContent('Overdue');
  });

  it('filters by group and by team', async () => {
    installFakeBackend();
    await renderApp({ name: 'people' });
    await screen.findAllByTestId('overview-row');
    const user = userEvent.setup();
    await user.selectOptions(screen.getByTestId('filter-group'), 'peer');
    expect(names()).toEqual(['Grace Hopper']);
    await user.selectOptions(screen.getByTestId('filter-group'), '');
    await user.selectOptions(screen.getByTestId('filter-team'), 'Platform');
    expect(names()).toEqual(['Ada Lovelace', 'Alan Turing']);
  });

  it('asks for group and team balances, their numbers only', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'people' });
    await waitFor(() => expect(callsTo(calls, 'balance_summary').length).toBe(3));
    // The full report carries every event of the group: megabytes in a big journal.
    expect(callsTo(calls, 'balance')).toHaveLength(0);
    const scopes = callsTo(calls, 'balance_summary').map((c) => c.args.scope);
    expect(scopes).toContainEqual({ type: 'group', group: 'direct_report' });
    expect(scopes).toContainEqual({ type: 'group', group: 'peer' });
    expect(scopes).toContainEqual({ type: 'team', name: 'Platform' });
  });

  it('adds a person', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'people' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('show-add-person'));
    await user.type(screen.getByTestId('add-person-name'), 'Katherine Johnson');
    await user.selectOptions(screen.getByTestId('add-person-group'), 'leader_above');
    await user.type(screen.getByTestId('add-person-teams'), 'Flight, Research');
    await user.click(screen.getByTestId('add-person-submit'));
    await waitFor(() => expect(callsTo(calls, 'add_person')).toHaveLength(1));
    expect(callsTo(calls, 'add_person')[0]!.args.person).toEqual({
      name: 'Katherine Johnson',
      group: 'leader_above',
      emails: [],
      role: '',
      teams: ['Flight', 'Research'],
      cadence_days: null,
      notes: '',
    });
    expect(await screen.findByText('Added Katherine Johnson.')).toBeVisible();
  });
});
