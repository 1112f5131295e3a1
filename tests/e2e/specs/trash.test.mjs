// The Trash screen in the real app: a person moved to the trash and restored; an entry moved to
// the trash and erased from it for good (gone from the trash and from search, and the CLI can no
// longer restore it). With TOUCHPOINT_SCREENSHOTS set, saves the screen light and dark.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, choose, click, cliFor, shown, snap, startApp, stopApp, textOf, type, unlockWith } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'trash', 'journal');
const touchpoint = cliFor(journal, PASS);

async function openTrash() {
  await click('nav-trash');
  await shown('trash-screen');
  await browser.waitUntil(async () => !(await browser.$('*=Opening the trash').isExisting()), {
    timeoutMsg: 'the trash never loaded',
  });
}

/** The text of every row of the trash. */
async function rows() {
  const items = await browser.$$('[data-testid="trash-person"], [data-testid="trash-entry"]');
  const texts = [];
  for (const item of items) texts.push(await item.getText());
  return texts;
}

async function search(word) {
  await click('nav-timeline');
  await type('search-input', word);
  await browser.pause(800);
  return (await browser.$$('[data-testid="search-result"]')).length;
}

before(async () => {
  touchpoint('init');
  for (const name of ['Ana Lima', 'Ben Okafor', 'Dana Reyes']) touchpoint('person', 'add', name);
  const entry = (who, title, notes) =>
    touchpoint(
      'add', '--kind', 'one_on_one', '--with', who, '--title', title, '--notes', notes,
      '--willingness', '1', '--ability', '1',
    );
  entry('Ana Lima', 'Roadmap check-in', 'quokka roadmap');
  entry('Ben Okafor', 'Offsite planning', 'wombat offsite agenda');
  for (const t of ['Career conversation', 'Feedback on the launch', 'Weekly one-on-one']) {
    entry('Dana Reyes', t, 'numbat notes');
  }
  const old = entry('Ben Okafor', 'Hiring debrief', 'aardvark debrief');
  // Something already in the trash, so the screen shows both kinds of item.
  touchpoint('person', 'remove', 'Dana Reyes');
  touchpoint('delete', old);
  await startApp(['--journal', journal]);
  await unlockWith(PASS);
});

after(async () => {
  await stopApp();
});

test('a person moved to the trash is listed with the day they go, and comes back', async () => {
  await click('nav-people');
  await shown('people-screen');
  await (await browser.$('button=Ana Lima')).click();
  await shown('person-screen');
  await click('edit-person');
  await click('trash-person-ask');
  await click('trash-person-confirm');
  await shown('people-screen');

  await openTrash();
  const ana = (await rows()).find((r) => r.includes('Ana Lima'));
  assert.ok(ana, 'Ana is in the trash');
  assert.match(ana, /erased for good after/);
  const days = await browser.execute(() => {
    const row = [...document.querySelectorAll('[data-testid="trash-person"]')].find((r) =>
      r.textContent.includes('Ana Lima'),
    );
    return row.querySelector('[data-testid="erase-after"]').textContent;
  });
  const inThirty = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(
    new Date(Date.now() + 30 * 86_400_000),
  );
  assert.equal(days.trim(), inThirty, 'kept for 30 days');

  await (await browser.$('[aria-label="Restore Ana Lima"]')).click();
  assert.equal(await textOf('trash-notice'), 'Ana Lima is back.');
  assert.ok(!(await rows()).some((r) => r.includes('Ana Lima')), 'Ana left the trash');
  await click('nav-people');
  await shown('people-screen');
  await (await browser.$('button=Ana Lima')).waitForDisplayed({ timeoutMsg: 'Ana is not back' });
});

test('the trash screen, light and dark', async () => {
  if (!process.env.TOUCHPOINT_SCREENSHOTS) return;
  for (const theme of ['light', 'dark']) {
    await click('nav-settings');
    await shown('settings-screen');
    await choose(`theme-${theme}`);
    await openTrash();
    await snap(theme === 'light' ? 'trash' : 'trash-dark');
  }
  await click('nav-settings');
  await choose('theme-system');
});

test('an entry erased from the trash is gone from the trash and from search', async () => {
  assert.equal(await search('wombat'), 1, 'found before it is trashed');
  await (await browser.$('[data-testid="search-result"] button')).click();
  await shown('entry-screen');
  await click('trash-entry-ask');
  await click('trash-entry-confirm');

  await openTrash();
  assert.ok((await rows()).some((r) => r.includes('Offsite planning')));
  await (await browser.$('[aria-label="Erase Offsite planning now"]')).click();
  const question = await textOf('confirm-erase-question');
  assert.match(question, /^Erase “Offsite planning” of .* and its 1 reflection now\? This cannot be undone\.$/);
  await click('confirm-erase-button');
  await browser.waitUntil(async () => !(await rows()).some((r) => r.includes('Offsite planning')), {
    timeoutMsg: 'the entry is still in the trash',
  });
  assert.equal(await textOf('trash-notice'), 'Erased for good: 1 entry and 1 reflection.');
  assert.equal(await search('wombat'), 0, 'gone from search');
  assert.equal(await search('quokka'), 1, 'the rest stays');
});

test('emptying the trash erases what is left, after saying what goes', async () => {
  await openTrash();
  await click('empty-trash');
  assert.equal(
    await textOf('confirm-erase-question'),
    'Erase everything in the trash (1 person and 1 entry, with everything written about them) now? This cannot be undone.',
  );
  await click('confirm-erase-button');
  assert.equal(await textOf('trash-empty'), 'The trash is empty.');
  assert.equal(await search('numbat'), 0);
  assert.equal(await search('aardvark'), 0);
  await stopApp();
  // Gone for good: once the app has let go of the journal, the CLI finds nothing to restore.
  let listing = '';
  for (let i = 0; i < 50 && !listing; i++) {
    try {
      listing = touchpoint('trash', 'list');
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.match(listing, /The trash is empty\./);
  assert.throws(
    () =>
touchpoint('trash', 'restore', 'Dana Reyes'),
    (e) => /no one called "Dana Reyes" in the trash/.test(String(e.stderr)),
  );
});
