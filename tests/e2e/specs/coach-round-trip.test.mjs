// The coach round trip in the real app, between two journals on one machine: the leader exports
// a bundle to the coach's key; the coach's app opens it in review mode, comments and saves a
// review; the leader imports the review and sees the comment on Today and beside the entry.
// The journals are made with the `touchpoint` CLI (same core); the app instances run one after
// the other, each on its own journal folder (`--journal`). Native file dialogs cannot be driven
// through WebDriver, so the debug app answers them from TOUCHPOINT_E2E_PICKS (see files.rs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { browser, click, cliFor, shown, snapThemes, startApp, stopApp, type, unlockWith, willPick } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const work = join(process.env.TOUCHPOINT_E2E_WORK, 'round-trip');
const leaderDir = join(work, 'leader');
const coachDir = join(work, 'coach');
const bundle = join(work, 'outbox', 'for-coach.touchpoint');
const review = join(work, 'outbox', 'from-coach.touchpoint-review');
const picks = process.env.TOUCHPOINT_E2E_PICKS;
/** Runs the command line on the journal in `dir`. */
const touchpoint = (dir, ...args) => cliFor(dir, PASS)(...args);
const COMMENT = 'Ask Ana what she heard first, before you explain the slip.';

let coachKey = '';

/** Starts the app on `dir` and unlocks it. */
async function openApp(dir) {
  await startApp(['--journal', dir]);
  await unlockWith(PASS);
}

async function closeApp() {
  await stopApp();
}

before(() => {
  assert.ok(picks, 'run through tests/e2e/run.sh, which sets TOUCHPOINT_E2E_PICKS');
  mkdirSync(join(work, 'outbox'), { recursive: true });
  touchpoint(coachDir, 'init');
  coachKey = touchpoint(coachDir, 'key', 'show');
  assert.match(coachKey, /^age1[0-9a-z]+$/);
  touchpoint(leaderDir, 'init');
  touchpoint(leaderDir, 'person', 'add', 'Ana Costa', '--team', 'Platform');
  touchpoint(
    leaderDir,
    'add',
    '--kind',
    'one_on_one',
    '--with',
    'Ana Costa',
    '--title',
    'Roadmap one-on-one',
    '--notes',
    'Told Ana the roadmap slipped',
    '--willingness',
    '1',
    '--ability',
    '-2',
    '--their-side',
    'I heard about it last',
  );
});

after(async () => {
  await closeApp();
});

test('the leader exports a bundle to the coach’s key', async () => {
  await openApp(leaderDir);
  await click('nav-exchange');
  await shown('export-wizard');
  await click('export-next-1');
  await type('export-recipients', coachKey);
  await snapThemes('export-wizard');
  await click('export-next-2');
  willPick(bundle);
  await click('export-save');
  const done = await shown('export-done');
  assert.match(await done.getText(), /Exported 1 entry/);
  assert.ok(existsSync(bundle), 'the bundle was written');
  await closeApp();
});

test('the coach reviews it read-only, comments and saves a review', async () => {
  await openApp(coachDir);
  await click('nav-exchange');
  willPick(bundle);
  await click('review-open');
  const bar = await shown('review-bar');
  assert.match(await bar.getText(), /Someone else’s journal — read-only/);
  const row = await shown('review-person-row');
  assert.match(await row.getText(), /Ana Costa/);
  await click('review-entry-link');
  await shown('review-entry');
  const [input] = await browser.$$('[data-testid="comment-input"]');
  await input.setValue(COMMENT);
  const [add] = await browser.$$('[data-testid="comment-add"]');
  await add.click();
  await browser.waitUntil(
    async () => (await (await shown('review-comment-count')).getText()).startsWith('1 comment'),
    { timeout: 10000, timeoutMsg: 'the comment was not counted' },
  );
  await snapThemes('review-mode');
  await click('review-send');
  await type('review-author', 'Coach Kim');
  willPick(review);
  await click('review-save');
  await shown('review-sent');
  assert.ok(existsSync(review), 'the review file was written');
  await closeApp();
});

test('the leader imports the review and sees the comment', async () => {
  await openApp(leaderDir);
  await click('nav-exchange');
  willPick(review);
  await click('import-choose');
  await shown('import-kind');
  await click('import-run');
  const done = await shown('import-done');
  assert.match(await done.getText(), /1 new comment from Coach Kim/);
  await click('nav-today');
  const card = await shown('today-coach-comments');
  assert.match(await card.getText(), /Ask Ana what she heard first/);
  await card.$('button=Roadmap one-on-one').click();
  const note = await shown('annotation');
  await snapThemes('coach-comment');
  assert.match(await note.getText(), /Coach Kim/);
  assert.match(await note.getText(), /before you explain the slip/);
  // The review carried back the bundle's export id; the comment says whose key signed it.
  const source = await shown('annotation-source');
  assert.match(await source.getText(), /Reviewer key [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}/);
  assert.match(await source.getText(), /answers export [0-9a-f]{8}/);
});
