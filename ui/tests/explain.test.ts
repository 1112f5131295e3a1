// Every number explains itself: a team's or group's balance opens the events that made it, each
// with the member or group it came from and its willingness, ability and total deltas.
import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { callsTo, installFakeBackend } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

describe('team and group explanations', () => {
  it('a team on People opens its events with who each came from', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'people' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('explain-team'));
    expect(await screen.findByTestId('explain-screen')).toBeVisible();
    expect(callsTo(calls, 'balance').at(-1)?.args.scope).toEqual({
      type: 'team',
      name: 'Platform',
    });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Team Platform');
    expect(screen.getByTestId('explain-balance')).toHaveAttribute('data-value', '7');
    expect(screen.getByTestId('explain-willingness')).toHaveAttribute('data-value', '4');
    const rows = await screen.findAllByTestId('team-explain-row');
    expect(rows).toHaveLength(4);
    // Newest first, naming the member, with both dimensions' weighted deltas.
    expect(rows[0]).toHaveTextContent('Weekly one-on-one');
    expect(within(rows[0]!).getByTestId('explain-from')).toHaveTextContent('Ada Lovelace');
    expect(rows[1]).toHaveTextContent('willingness −2 · ability 0');
    await expectAccessible();
  });

  it('a group on People opens its explanation too', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'people' });
    const user = userEvent.setup();
    const groups = await screen.findAllByTestId('explain-group');
    await user.click(groups[0]!);
    expect(await screen.findByTestId('explain-screen')).toBeVisible();
    expect(callsTo(calls, 'balance').at(-1)?.args.scope).toMatchObject({ type: 'group' });
  });
});
