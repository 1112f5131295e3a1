// Unlock: clear messages for each failure; locking drops everything shown.
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import { callsTo, installFakeBackend } from './fixtures';
import { renderApp } from './helpers';

describe('unlock', () => {
  it('says the passphrase is wrong, keeps it in the field and focuses it', async () => {
    installFakeBackend({
      status: 'locked',
      failures: { unlock: { code: 'wrong_passphrase', message: 'wrong passphrase' } },
    });
    await renderApp();
    const user = userEvent.setup();
    const field = await screen.findByTestId('unlock-passphrase');
    await user.type(field, 'not it');
    await user.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "That passphrase doesn't open this journal.",
    );
    expect(field).toHaveValue('not it');
    await waitFor(() => expect(field).toHaveFocus());
  });

  it('shows the damaged-journal message naming the file and the latest backup', async () => {
    const message =
      'The journal file /j/journal.db is damaged. The latest backup is /j/backups/2025-03-09.db.';
    installFakeBackend({
      status: 'locked',
      failures: { unlock: { code: 'journal_damaged', message } },
    });
    await renderApp();
    await userEvent.type(await screen.findByTestId('unlock-passphrase'), 'secret words here');
    await userEvent.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
  });

  it('explains a journal open elsewhere and a newer format', async () => {
    installFakeBackend({
      status: 'locked',
      failures: { unlock: { code: 'journal_in_use', message: 'in use' } },
    });
    await renderApp();
    await userEvent.type(await screen.findByTestId('unlock-passphrase'), 'secret words here');
    await userEvent.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent('open in another');
  });

  it('unlocks with the right passphrase', async () => {
    const calls = installFakeBackend({ status: 'locked' });
    await renderApp();
    await userEvent.type(await screen.findByTestId('unlock-passphrase'), 'secret words here');
    await userEvent.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByTestId('today-screen')).toBeVisible();
    expect(callsTo(calls, 'unlock')[0]?.args).toEqual({ passphrase: 'secret words here' });
  });

  it('recovers with the recovery code and a new passphrase', async () => {
    const calls = installFakeBackend({ status: 'locked' });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('forgot'));
    await user.type(screen.getByTestId('recover-code'), 'abcd-efgh');
    await user.type(screen.getByTestId('recover-passphrase'), 'a brand new phrase');
    await user.type(screen.getByTestId('recover-passphrase-repeat'), 'a brand new phrase');
    await waitFor(() => expect(screen.getByTestId('recover-submit')).toBeEnabled());
    await user.click(screen.getByTestId('recover-submit'));
    expect(await screen.findByTestId('today-screen')).toBeVisible();
    expect(callsTo(calls, 'recover')[0]?.args).toEqual({
      code: 'abcd-efgh',
      newPassphrase: 'a brand new phrase',
    });
  });

  it('returns to the unlock screen and drops the journal on `journal-locked`', async () => {
    installFakeBackend();
    await renderApp({ name: 'people' });
    expect(await screen.findAllByTestId('overview-row')).toHaveLength(3);
    await emit('journal-locked', {
      state: 'locked',
      journal_dir: '/j',
      demo: false,
      auto_lock_minutes: 10,
    });
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(screen.queryByText('Ada Lovelace')).toBeNull();
    expect(screen.queryByTestId('lock-button')).toBeNull();
  });

  it('locks with the lock button', async () => {
    const calls = installFakeBackend();
    await renderApp();
    await userEvent.click(await screen.findByTestId('lock-button'));
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(callsTo(calls, 'lock')).toHaveLength(1);
  });

  it('treats a `journal_locked` answer like the lock event', async () => {
    installFakeBackend({
      failures: { today: { code: 'journal_locked', message: 'locked' } },
    });
    await renderApp();
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
  });
});

describe('what a launch loads', () => {
  it('imports the journal screens only on demand, so the unlock screen comes first', async () => {
    // Vite makes a chunk of its own of a module only imported with `import()`; one static
    // import anywhere before unlock would put every screen back into the first script.
    const { readFileSync } = await import('node:fs');
    // Vitest runs in the UI's folder.
    const read = (path: string) => readFileSync(`${process.cwd()}/${path}`, 'utf8');
    const app = read('src/App.svelte');
    const main = read('src/main.ts');
    const unlock = read('src/lib/screens/Unlock.svelte');
    expect(app).toMatch(/import\('\.\/lib\/Shell\.svelte'\)/);
    for (const source of [app, main, unlock])
      expect(source).not.toMatch(/^\s*import\s+\w+\s+from\s+'[^']*Shell\.svelte'/m);
  });
});
