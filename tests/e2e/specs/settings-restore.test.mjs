// Restoring a backup from Settings in the real app: a wrong passphrase is refused and changes
// nothing; with the current passphrase the journal is replaced by the backup, the app locks, and
// after unlock what was written after the backup is gone while what the backup held is back.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, click, cliFor, shown, startApp, stopApp, textOf, type, unlockWith } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'settings-restore', 'journal');
const touchpoint = cliFor(journal, PASS);

/** The names on the People screen. */
async function people() {
  await click('nav-people');
  await shown('overview-table');
  const rows = await browser.$$('[data-testid="overview-row"]');
  const names = [];
  for (const row of rows) names.push((await row.$('td, th').getText()).trim());
  return names;
}

async function openRestore() {
  await click('nav-settings');
  await shown('settings-auto-lock');
  await click('backup-restore');
  await browser.waitUntil(async () => /\.db$/.test(await (await shown('restore-path')).getValue()), {
    timeoutMsg: 'the backup was not put in the restore form',
  });
}

before(async () => {
  touchpoint('init');
  touchpoint('person', 'add', 'Ana Costa');
  touchpoint('backup');
  touchpoint('person', 'add', 'Ben Okafor');
  await startApp(['--journal', journal]);
  await unlockWith(PASS);
});

after(async () => {
  await stopApp();
});

test('a wrong passphrase restores nothing and says which passphrase is needed', async () => {
  await openRestore();
  await type('restore-passphrase', 'not the passphrase at all');
  await click('restore-submit');
  assert.match(await textOf('error-message'), /isn't your current passphrase/);
  assert.deepEqual(await people(), ['Ana Costa', 'Ben Okafor']);
});

test('with the current passphrase the backup replaces the journal and the app locks', async () => {
  await openRestore();
  await type('restore-passphrase', PASS);
  await click('restore-submit');
  await shown('unlock-screen');
  assert.match(await textOf('unlock-notice'), /The backup was restored/);
  await unlockWith(PASS);
  assert.deepEqual(await people(), ['Ana Costa'], 'what came after the backup is gone');
});
