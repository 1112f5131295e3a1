// First run: create a journal, see the recovery code once, and prove it was copied down.
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RECOVERY_CODE, callsTo, installFakeBackend } from './fixtures';
import { renderApp } from './helpers';

const GROUPS = RECOVERY_CODE.split('-');

async function createJournal() {
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('create-passphrase'), 'correct horse battery');
  // The strength meter shows the core's advice.
  expect(await screen.findByTestId('strength-advice')).toHaveTextContent('Strong enough.');
  await user.type(screen.getByTestId('create-passphrase-repeat'), 'correct horse battery');
  await waitFor(() => expect(screen.getByTestId('create-submit')).toBeEnabled());
  await user.click(screen.getByTestId('create-submit'));
  return user;
}

describe('first run', () => {
  it('refuses to continue until two groups of the recovery code are typed back correctly', async () => {
    const calls = installFakeBackend({ status: 'no_journal' });
    await renderApp();
    const user = await createJournal();

    expect(callsTo(calls, 'create_journal')[0]?.args).toEqual({
      dir: null,
      passphrase: 'correct horse battery',
    });
    expect(await screen.findByTestId('recovery-code')).toHaveTextContent(RECOVERY_CODE);
    await user.click(screen.getByTestId('code-written'));

    // The code is hidden while it is checked.
    expect(screen.queryByTestId('recovery-code')).toBeNull();
    const first = screen.getByTestId('confirm-group-1');
    const second = screen.getByTestId('confirm-group-2');
    const a = Number(first.dataset.groupIndex);
    const b = Number(second.dataset.groupIndex);
    expect(a).not.toBe(b);

    // A wrong group is rejected and the app stays on this step.
    await user.type(first, GROUPS[a]!);
    await user.type(second, GROUPS[(b + 1) % 8] === GROUPS[b] ? 'ZZZZ' : GROUPS[(b + 1) % 8]!);
    await user.click(screen.getByTestId('confirm-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent('is not the');
    expect(screen.queryByTestId('today-screen')).toBeNull();
    expect(callsTo(calls, 'app_status')).toHaveLength(1);

    // The right groups, typed in lower case, are accepted (Crockford base32 ignores case).
    await user.clear(second);
    await user.type(second, GROUPS[b]!.toLowerCase());
    await user.click(screen.getByTestId('confirm-submit'));
    expect(await screen.findByTestId('today-screen')).toBeVisible();
  });

  it('asks for matching passphrases', async () => {
    const calls = installFakeBackend({ status: 'no_journal' });
    await renderApp();
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('create-passphrase'), 'correct horse battery');
    await user.type(screen.getByTestId('create-passphrase-repeat'), 'correct horse');
    await waitFor(() => expect(screen.getByTestId('create-submit')).toBeEnabled());
    await user.click(screen.getByTestId('create-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent('not the same');
    expect(callsTo(calls, 'create_journal')).toHaveLength(0);
  });

  it('opens a demo journal and shows the demo banner', async () => {
    installFakeBackend({ status: 'no_journal' });
    await renderApp();
    await userEvent.click(await screen.findByTestId('try-demo'));
    expect(await screen.findByTestId('demo-banner')).toHaveTextContent('Demo journal');
  });

  it('opens another journal folder picked with the dialog', async () => {
    const calls = installFakeBackend({ status: 'no_journal', picks: ['/media/usb/journal'] });
    await renderApp();
    await userEvent.click(await screen.findByTestId('open-folder'));
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(callsTo(calls, 'pick_path')[0]?.args).toMatchObject({ kind: 'open_folder' });
    await waitFor(() =>
      expect(callsTo(calls, 'choose_journal')[0]?.args).toEqual({ dir: '/media/usb/journal' }),
    );
  });
});
