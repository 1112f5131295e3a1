// Settings in the real app: auto-lock minutes saved, a backup made and listed, the passphrase
// changed (the old one refused after locking, the new one opens), and the journal re-encrypted
// with a new key (progress shown, a new recovery code once), still opened by the passphrase.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, choose, click, el, shown, snap, startApp, stopApp, textOf, type, unlockWith } from '../lib/driver.mjs';

const FIRST = 'violet ember canyon quartz meadow 71';
const SECOND = 'copper walrus tundra nebula ballad 38';

let firstCode = '';

async function openSettings() {
  await click('nav-settings');
  await shown('settings-screen');
  // The settings have loaded once the auto-lock field is there.
  await shown('settings-auto-lock');
}

// A journal folder of this spec's own: the other specs run before it in the same work folder
// and leave their journals behind, so the default one would open at the unlock screen.
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'settings-secrets', 'journal');

before(async () => {
  await startApp(['--journal', journal]);
});

after(async () => {
  await stopApp();
});

test('create a journal and confirm the recovery code', async () => {
  await type('create-passphrase', FIRST);
  await type('create-passphrase-repeat', FIRST);
  await click('create-submit');
  firstCode = await textOf('recovery-code');
  const groups = firstCode.split('-');
  assert.equal(groups.length, 8, `a grouped recovery code: ${firstCode}`);
  await click('code-written');
  for (const n of [1, 2]) {
    const input = await shown(`confirm-group-${n}`);
    const index = Number(await input.getAttribute('data-group-index'));
    await input.setValue(groups[index]);
  }
  await click('confirm-submit');
  await shown('today-screen');
});

test('auto-lock minutes are saved and read back', async () => {
  await openSettings();
  await type('settings-auto-lock', '25');
  await click('settings-save');
  assert.equal(await textOf('settings-notice'), 'Settings saved.');
  // Away and back: the screen reads the settings from the journal again.
  await click('nav-today');
  await shown('today-screen');
  await openSettings();
  assert.equal(await el('settings-auto-lock').getValue(), '25');
});

test('a backup made with "Back up now" is listed', async () => {
  await click('backup-now');
  await browser.waitUntil(async () => /^Backed up at /.test(await textOf('settings-notice')), {
    timeoutMsg: 'no "Backed up at" notice',
  });
  await click('nav-today');
  await shown('today-screen');
  await openSettings();
  const rows = await browser.$$('[data-testid="backup-list"] tbody tr');
  assert.equal(rows.length, 1, 'the one backup is listed');
  assert.match(await rows[0].getText(), /\.db/, 'the row names the backup file');
});

test('change the passphrase; after locking the old one is refused, the new one opens', async () => {
  await type('passphrase-current', FIRST);
  await type('passphrase-new', SECOND);
  await type('passphrase-repeat', SECOND);
  await click('passphrase-submit');
  assert.equal(await textOf('passphrase-changed'), 'Passphrase changed. Use the new one from now on.');

  // Lock with the keyboard shortcut.
  await browser.keys(['Control', 'Shift', 'L']);
  await shown('unlock-screen');
  await unlockWith(FIRST, false);
  assert.equal(await textOf('error-message'), "That passphrase doesn't open this journal.");
  await unlockWith(SECOND);
});

test('re-encrypt with a new key: progress shown, a new recovery code once', async () => {
  await openSettings();
  const card = await shown('rekey-card');
  for (const theme of ['light', 'dark']) {
    await choose(`theme-${theme}`);
    await card.scrollIntoView();
    await snap(`settings-${theme}`);
  }
  await choose('theme-system');

  // A wrong passphrase changes nothing and says so.
  await type('rekey-passphrase', FIRST);
  await click('rekey-submit');
  assert.equal(
    await textOf('rekey-error'),
    "That isn't your current passphrase. Nothing was changed.",
  );

  // Every value the progress bar shows while the shell works, recorded in the page.
  await browser.execute(() => {
    const seen = [];
    window.__rekeySeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="rekey-card"] [role="progressbar"]');
      if (!bar) return;
      const value = `${bar.getAttribute('aria-valuenow')}/${bar.getAttribute('aria-valuemax')}`;
      if (seen[seen.length - 1] !== value) seen.push(value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await type('rekey-passphrase', SECOND);
  await click('rekey-submit');
  const code = await textOf('rekey-recovery-code');
  assert.equal(code.split('-').length, 8, `a grouped recovery code: ${code}`);
  assert.notEqual(code, firstCode, 'a new recovery code');
  // The bar the shell fed: every step done.
  const bar = await shown('rekey-progress');
  const meter = await bar.$('[role="progressbar"]');
  const now = Number(await meter.getAttribute('aria-valuenow'));
  const max = Number(await meter.getAttribute('aria-valuemax'));
  assert.ok(max > 0, `the shell reported its steps (max ${max})`);
  assert.equal(now, max, 'every step done');
  const seen = await browser.execute(() => window.__rekeySeen);
  assert.ok(
    seen.some((v) => {
      const [n, m] = v.split('/').map(Number);
      return m > 0 && n < m;
    }),
    `the bar showed the work under way, not only its end: ${seen.join(' ')}`,
  );
  assert.match(await textOf('rekey-step'), /\(100%\)$/);
  assert.equal(
    await textOf('rekey-done'),
    'The journal is re-encrypted with a new key. Your passphrase stays the same.',
  );
  // The backup was re-encrypted, not removed (the default).
  const rows = await browser.$$('[data-testid="backup-list"] tbody tr');
  assert.equal(rows.length, 1, 'the backup is still listed');
  await click('rekey-recovery-code-done');
  await browser.waitUntil(async () => !(await el('rekey-recovery-code').isExisting()), {
    timeoutMsg: 'the code is still shown',
  });
});

test('after re-encryption the journal locks and opens with the same passphrase', async () => {
  await click('lock-button');
  await shown('unlock-screen');
  await unlockWith(FIRST, false);
  assert.equal(await textOf('error-message'), "That passphrase doesn't open this journal.");
  await unlockWith(SECOND);
  await openSettings();
  assert.equal(await el('settings-auto-lock').getValue(), '25', 'the settings came through');
});
