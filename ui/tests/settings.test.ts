// Settings' "Re-encrypt the journal with a new key" card and the new recovery code, against the
// fake shell: progress, the code shown once, plain errors, and the confirmation before backups go.
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { REKEY_CODE, RECOVERY_CODE, callsTo, installFakeBackend } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

const PASS = 'quiet harbour lantern 42';

/** The Settings screen with its backups listed, and the re-encryption card. */
async function openCard() {
  await renderApp({ name: 'settings' });
  await screen.findByTestId('backup-list');
  return screen.getByTestId('rekey-card');
}

describe('re-encrypt the journal with a new key', () => {
  it('says in one sentence how it differs from changing the passphrase', async () => {
    installFakeBackend();
    const card = await openCard();
    expect(within(card).getByRole('heading', { level: 2 })).toHaveTextContent(
      'Re-encrypt the journal with a new key',
    );
    expect(within(card).getByTestId('rekey-explained')).toHaveTextContent(
      'Changing the passphrase rewraps the same key; re-encrypting replaces the key itself, in the journal and its backups, for when a passphrase or an old copy of the key file may have leaked, and gives you a new recovery code.',
    );
    // Re-encrypting the backups is the default; nothing asks for a confirmation then.
    expect(within(card).getByTestId('rekey-backups-reencrypt')).toBeChecked();
    expect(within(card).queryByTestId('rekey-confirm-remove')).toBeNull();
    await expectAccessible();
  });

  it('shows the progress the shell reports, then the new code once', async () => {
    let release: (v?: unknown) => void = () => {};
    const gate = new Promise((r) => (release = r));
    const calls = installFakeBackend({ rekeyGate: gate });
    const card = await openCard();
    const user = userEvent.setup();
    await user.type(within(card).getByTestId('rekey-passphrase'), PASS);
    await user.click(within(card).getByTestId('rekey-submit'));

    const bar = await within(card).findByRole('progressbar', { name: 'Re-encryption progress' });
    expect(bar).toHaveAttribute('aria-valuemin', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '3');
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    expect(bar).toHaveAttribute('aria-valuetext', 'Re-encrypting the journal: 0 of 3');
    expect(within(card).getByTestId('rekey-step')).toHaveTextContent(
      'Re-encrypting the journal (0%)',
    );
    expect(within(card).getByTestId('rekey-submit')).toBeDisabled();
    expect(within(card).getByTestId('rekey-passphrase')).toBeDisabled();
    await expectAccessible();

    release();
    expect(await within(card).findByTestId('rekey-recovery-code')).toHaveTextContent(REKEY_CODE);
    const done = within(card).getByRole('progressbar');
    expect(done).toHaveAttribute('aria-valuenow', '3');
    expect(done).toHaveAttribute('aria-valuemax', '3');
    expect(within(card).getByTestId('rekey-done')).toHaveTextContent(
      'The journal is re-encrypted with a new key. Your passphrase stays the same.',
    );
    expect(card).toHaveTextContent('It is shown once; the old code no longer works.');
    // The keyboard lands on the code, not on a form that is gone.
    expect(document.activeElement).toHaveTextContent('Your new recovery code.');
    expect(callsTo(calls, 'rekey_journal')[0]!.args).toMatchObject({
      current: PASS,
      oldBackups: 'reencrypt',
    });
    // The backups were re-encrypted: the screen lists them again.
    expect(callsTo(calls, 'backups').length).toBe(2);
    await expectAccessible();

    // Shown once: after "I have written it down" it is gone for good.
    await user.click(within(card).getByTestId('rekey-recovery-code-done'));
    expect(screen.queryByText(REKEY_CODE)).toBeNull();
    expect(within(card).queryByRole('progressbar')).toBeNull();
    expect(within(card).getByTestId('rekey-passphrase')).toHaveValue('');
  });

  it('answers a wrong passphrase in plain words and keeps the form', async () => {
    installFakeBackend({
      failures: { rekey_journal: { code: 'wrong_passphrase', message: 'wrong passphrase' } },
    });
    const card = await openCard();
    const user = userEvent.setup();
    await user.type(within(card).getByTestId('rekey-passphrase'), 'not my passphrase');
    await user.click(within(card).getByTestId('rekey-submit'));
    expect(await within(card).findByTestId('rekey-error')).toHaveTextContent(
      "That isn't your current passphrase. Nothing was changed.",
    );
    expect(within(card).queryByTestId('rekey-recovery-code')).toBeNull();
    expect(within(card).queryByRole('progressbar')).toBeNull();
    expect(within(card).getByTestId('rekey-submit')).toBeEnabled();
  });

  it('answers a full disk in plain words', async () => {
    installFakeBackend({
      failures: { rekey_journal: { code: 'disk_full', message: 'the disk is full' } },
    });
    const card = await openCard();
    const user = userEvent.setup();
    await user.type(within(card).getByTestId('rekey-passphrase'), PASS);
    await user.click(within(card).getByTestId('rekey-submit'));
    expect(await within(card).findByTestId('rekey-error')).toHaveTextContent(
      'The disk is full, so the journal could not be re-encrypted. Free some space and try again.',
    );
  });

  it('asks for the passphrase before calling the shell', async () => {
    const calls = installFakeBackend();
    const card = await openCard();
    await userEvent.click(within(card).getByTestId('rekey-submit'));
    expect(within(card).getByTestId('rekey-error')).toHaveTextContent(
      'Type your current passphrase.',
    );
    expect(callsTo(calls, 'rekey_journal')).toEqual([]);
  });

  it('removes the old backups only after the sentence saying what goes is confirmed', async () => {
    const calls = installFakeBackend();
    const card = await openCard();
    const user = userEvent.setup();
    await user.type(within(card).getByTestId('rekey-passphrase'), PASS);
    await user.click(within(card).getByTestId('rekey-backups-remove'));
    expect(within(card).getByTestId('rekey-remove-sentence')).toHaveTextContent(
      'Delete the 1 backup listed under “Your backups”. They cannot be restored afterwards; the journal itself is kept.',
    );
    // Not confirmed: nothing is sent.
    await user.click(within(card).getByTestId('rekey-submit'));
    expect(within(card).getByTestId('rekey-error')).toHaveTextContent(
      'Tick the box to confirm the old backups are deleted, or keep them re-encrypted.',
    );
    expect(callsTo(calls, 'rekey_journal')).toEqual([]);
    await expectAccessible();

    await user.click(within(card).getByTestId('rekey-confirm-remove'));
    await user.click(within(card).getByTestId('rekey-submit'));
    expect(await within(card).findByTestId('rekey-recovery-code')).toHaveTextContent(REKEY_CODE);
    expect(callsTo(calls, 'rekey_journal')[0]!.args).toMatchObject({ oldBackups: 'remove' });
    // The backups listed before are gone from the screen too.
    await waitFor(() => expect(screen.queryByTestId('backup-list')).toBeNull());
    expect(screen.getByText('No backups yet.')).toBeVisible();
  });

  it('is reached and run from the keyboard alone', async () => {
    const calls = installFakeBackend();
    const card = await openCard();
    const user = userEvent.setup();
    const field = within(card).getByTestId('rekey-passphrase');
    field.focus();
    await user.keyboard(PASS);
    await user.tab();
    expect(within(card).getByTestId('rekey-backups-reencrypt')).toHaveFocus();
    // Arrow keys move within the radio group.
    await user.keyboard('{ArrowDown}');
    expect(within(card).getByTestId('rekey-backups-remove')).toBeChecked();
    await user.tab();
    expect(within(card).getByTestId('rekey-confirm-remove')).toHaveFocus();
    await user.keyboard(' ');
    await user.tab();
    expect(within(card).getByTestId('rekey-submit')).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(await within(card).findByTestId('rekey-recovery-code')).toHaveTextContent(REKEY_CODE);
    expect(callsTo(calls, 'rekey_journal')[0]!.args).toMatchObject({ oldBackups: 'remove' });
  });
});

describe('new recovery code', () => {
  it('shows the new code once, with the same words as after re-encryption', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    const user = userEvent.setup();
    await user.type(
      await screen.findByLabelText('Current passphrase', { selector: '#rc-pass' }),
      PASS,
    );
    await user.click(screen.getByRole('button', { name: 'Show a new recovery code' }));
    expect(await screen.findByTestId('new-recovery-code')).toHaveTextContent(RECOVERY_CODE);
    expect(screen.getByText(/the old code no longer works/)).toBeVisible();
    expect(callsTo(calls, 'new_recovery_code')[0]!.args).toEqual({ current: PASS });
    await user.click(screen.getByTestId('new-recovery-code-done'));
    expect(screen.queryByText(RECOVERY_CODE)).toBeNull();
  });
});
