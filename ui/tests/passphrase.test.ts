// The one passphrase rule: every form that sets a new passphrase shows the core's verdict and
// enables its button only when the core calls the passphrase acceptable (mocked IPC; the fake
// refuses "password…" and repeated characters whatever their length, as the core does).
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { callsTo, installFakeBackend } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

const STRONG = 'quiet harbour lantern mosaic';

describe('the passphrase rule in the app', () => {
  it('keeps Create journal disabled until the core calls the passphrase acceptable', async () => {
    const calls = installFakeBackend({ status: 'no_journal' });
    await renderApp();
    const user = userEvent.setup();
    const field = await screen.findByTestId('create-passphrase');
    const submit = screen.getByTestId('create-submit');
    expect(submit).toBeDisabled();

    // Long, but the core refuses it: the button follows the core, not the length.
    await user.type(field, 'password1234567890');
    expect(await screen.findByTestId('strength-reason')).toHaveTextContent(
      'This is a top-10 common password.',
    );
    expect(screen.getByTestId('strength-suggestion')).toHaveTextContent(
      'Add another word or two. Uncommon words are better.',
    );
    expect(screen.getByTestId('strength-word')).toHaveTextContent('Very weak.');
    expect(submit).toBeDisabled();
    await user.type(screen.getByTestId('create-passphrase-repeat'), 'password1234567890');
    await user.click(submit);
    expect(callsTo(calls, 'create_journal')).toHaveLength(0);

    await user.clear(field);
    await user.type(field, 'aaaaaaaaaaaaaaaaaaaaaaaa');
    await waitFor(() =>
      expect(screen.getByTestId('strength-reason')).toHaveTextContent('Repeats like'),
    );
    expect(submit).toBeDisabled();

    // The core accepts this one: the button is enabled and the journal is created with it.
    await user.clear(field);
    await user.type(field, STRONG);
    await waitFor(() => expect(submit).toBeEnabled());
    expect(screen.getByTestId('strength-reason')).toHaveTextContent('Strong enough.');
    expect(screen.queryByTestId('strength-suggestion')).toBeNull();
    await expectAccessible();

    // One more character and the verdict is old: disabled until the core rates the new text.
    await user.type(field, 'x');
    expect(submit).toBeDisabled();
    await waitFor(() => expect(submit).toBeEnabled());
    await user.type(field, '{Backspace}');
    await waitFor(() => expect(submit).toBeEnabled());

    const repeat = screen.getByTestId('create-passphrase-repeat');
    await user.clear(repeat);
    await user.type(repeat, STRONG);
    await user.click(submit);
    await waitFor(() =>
      expect(callsTo(calls, 'create_journal')[0]?.args).toEqual({ dir: null, passphrase: STRONG }),
    );
    // Every verdict came from the core.
    expect(callsTo(calls, 'passphrase_strength').length).toBeGreaterThan(0);
  });

  it('keeps Change passphrase disabled until the core accepts the new one', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'settings' });
    const user = userEvent.setup();
    const submit = await screen.findByTestId('passphrase-submit');
    expect(submit).toBeDisabled();
    await user.type(
      screen.getByLabelText('Current passphrase', { selector: '#cp-current' }),
      'old',
    );
    const next = screen.getByTestId('passphrase-new');

    await user.type(next, 'password-but-longer');
    expect(await screen.findByTestId('strength-reason')).toHaveTextContent('common password');
    expect(screen.getByTestId('strength-suggestion')).toHaveTextContent('Add another word');
    expect(submit).toBeDisabled();

    await user.clear(next);
    await user.type(next, 'short one');
    await waitFor(() =>
      expect(screen.getByTestId('strength-reason')).toHaveTextContent('Too easy to guess'),
    );
    expect(submit).toBeDisabled();

    await user.clear(next);
    await user.type(next, STRONG);
    await waitFor(() => expect(submit).toBeEnabled());
    await user.type(screen.getByLabelText('Repeat the new passphrase'), STRONG);
    await user.click(submit);
    await waitFor(() =>
      expect(callsTo(calls, 'change_passphrase')[0]?.args).toEqual({ current: 'old', new: STRONG }),
    );
    expect(
      await screen.findByText('Passphrase changed. Use the new one from now on.'),
    ).toBeVisible();
    expect(submit).toBeDisabled();
  });

  it('keeps Recover and unlock disabled until the core accepts the new passphrase', async () => {
    const calls = installFakeBackend({ status: 'locked' });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('forgot'));
    await user.type(screen.getByTestId('recover-code'), 'abcd-efgh');
    const submit = screen.getByTestId('recover-submit');
    const field = screen.getByTestId('recover-passphrase');

    await user.type(field, 'aaaaaaaaaaaaaaaa');
    expect(await screen.findByTestId('strength-reason')).toHaveTextContent('Repeats like');
    await user.type(screen.getByTestId('recover-passphrase-repeat'), 'aaaaaaaaaaaaaaaa');
    expect(submit).toBeDisabled();
    await user.click(submit);
    expect(callsTo(calls, 'recover')).toHaveLength(0);

    await user.clear(field);
    await user.type(field, STRONG);
    const repeat = screen.getByTestId('recover-passphrase-repeat');
    await user.clear(repeat);
    await user.type(repeat, STRONG);
    await waitFor(() => expect(submit).toBeEnabled());
    await user.click(submit);
    expect(await screen.findByTestId('today-screen')).toBeVisible();
    expect(callsTo(calls, 'recover')[0]?.args).toEqual({
      code: 'abcd-efgh',
      newPassphrase: STRONG,
    });
  });

  it('shows the core’s reason when it refuses a passphrase on submit', async () => {
    // Should the core ever refuse what it rated acceptable a moment before, its message shows.
    installFakeBackend({
      status: 'no_journal',
      failures: {
        create_journal: {
          code: 'weak_passphrase',
          message: 'this passphrase is too weak. This is a very common password. Add a word.',
        },
      },
    });
    await renderApp();
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('create-passphrase'), STRONG);
    await user.type(screen.getByTestId('create-passphrase-repeat'), STRONG);
    await waitFor(() => expect(screen.getByTestId('create-submit')).toBeEnabled());
    await user.click(screen.getByTestId('create-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent('This is a very common password.');
  });
});
