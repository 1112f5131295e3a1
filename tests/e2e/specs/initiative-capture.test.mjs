// Capture into a change initiative in the real app: the quick-capture dialog with key presses
// only, the initiative ticked with Space, saved with Ctrl+Enter; the reflection asks the
// initiative's prompts, a concern is recorded from it in one step, the reflection is saved, and
// the command line finds the link and the concern in the journal. With TOUCHPOINT_SCREENSHOTS
// set (`make screenshots`) it pictures the dialog and the reflection with the initiative.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser,
  choose,
  cliFor,
  click,
  el,
  shown,
  snapThemes,
  startApp,
  stopApp,
  type,
  unlockWith,
} from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const INITIATIVE = 'Copilot roll-out';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'initiative-capture', 'journal');
const touchpoint = cliFor(journal, PASS);
let initiativeId = '';
let running = false;

const focused = () =>
  browser.execute(() => {
    const a = document.activeElement;
    return { tag: a?.tagName ?? '', testid: a?.dataset.testid ?? '' };
  });

before(async () => {
  touchpoint('init');
  touchpoint('person', 'add', 'Ana Costa');
  initiativeId = touchpoint('initiative', 'add', INITIATIVE, '--status', 'running');
  await startApp(['--journal', journal]);
  running = true;
  await unlockWith(PASS);
});

after(async () => {
  if (running) await stopApp();
});

test('the keyboard alone captures a touchpoint linked to the initiative', async () => {
  await browser.keys('n');
  await shown('quick-capture');
  assert.equal((await focused()).testid, 'capture-people', 'the cursor starts in People');
  await browser.keys('Ana');
  await browser.keys('Enter');
  await shown('picked-person');
  await browser.keys('Tab');
  assert.equal((await focused()).testid, 'capture-notes');
  await browser.keys('Asked whether code reviews stay human');
  const box = `capture-initiative-${initiativeId}`;
  await shown('capture-initiatives');
  for (let i = 0; i < 10 && (await focused()).testid !== box; i += 1) await browser.keys('Tab');
  assert.equal((await focused()).testid, box, 'Tab reaches the initiative');
  await browser.keys(' ');
  assert.ok(await el(box).isSelected(), 'Space ticks it');
  await snapThemes('quick-capture-initiative');
  await browser.keys(['Control', 'Enter']);
  await shown('reflect-screen');
});

test('the reflection asks the initiative’s prompts and records a concern in one step', async () => {
  await browser.waitUntil(
    async () =>
      (await browser.$('body').getText()).includes(
        'After we spoke, would Ana Costa be more or less worried about being replaced?',
      ),
    { timeoutMsg: 'the roll-out prompts are not shown' },
  );
  assert.ok(await el(`initiative-link-${initiativeId}`).isSelected(), 'shown as linked');
  await click('concern-open');
  await el('concern-kind').selectByAttribute('value', 'consulted');
  await type('concern-text', 'Nobody asked the reviewers before the licences were bought');
  await click('concern-save');
  await shown('concern-recorded');
  assert.equal(
    await el('concern-recorded').getText(),
    `Ana Costa's concern is recorded in ${INITIATIVE}.`,
  );
  await snapThemes('reflect-initiative');
  await choose('willingness-minus1');
  await choose('ability-plus1');
  await click('reflect-save');
  await shown('person-screen');
});

test('the command line finds the entry linked and the concern tied to it', async () => {
  await stopApp();
  running = false;
  const page = JSON.parse(touchpoint('initiative', 'show', INITIATIVE, '--json'));
  assert.equal(page.entries.length, 1, 'one linked entry');
  const entry = page.entries[0];
  assert.equal(page.concerns.length, 1, 'one concern');
  const concern = page.concerns[0];
  assert.equal(concern.kind, 'consulted');
  assert.equal(concern.answered, false);
  assert.equal(concern.text, 'Nobody asked the reviewers before the licences were bought');
  assert.equal(concern.person.name, 'Ana Costa');
  assert.equal(concern.touchpoint_id, entry.id, 'the concern is tied to the captured entry');
  assert.equal(page.balance.events.length, 1, 'the reflection counts in the initiative');
});
