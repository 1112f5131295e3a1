// Nothing typed is lost, in the real app with a one-minute auto-lock: typing holds the lock off,
// the journal locks once the leader stops, and after unlock the reflection typed so far is back.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, click, cliFor, el, shown, startApp, stopApp, type, unlockWith } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'drafts-lock', 'journal');
const THEIR_SIDE = 'She heard about the reorg from someone else first';
let typed = THEIR_SIDE;

const touchpoint = cliFor(journal, PASS);
const unlock = () => unlockWith(PASS);

before(async () => {
  touchpoint('init');
  touchpoint('settings', '--auto-lock-minutes', '1');
  touchpoint('person', 'add', 'Ana Costa');
  await startApp(['--journal', journal]);
  await unlock();
});

after(async () => {
  await stopApp();
});

test('capture a one-on-one and start its reflection', async () => {
  await click('open-capture');
  await type('capture-people', 'Ana');
  await browser.keys('Enter');
  await shown('picked-person');
  await type('capture-notes', 'Reorg news');
  await click('capture-save');
  await shown('reflect-screen');
  await type('reflect-their-side', THEIR_SIDE);
});

test('typing holds a one-minute auto-lock off', async () => {
  const field = await shown('reflect-their-side');
  // 80 seconds of slow typing: more than the minute, never a minute without a key.
  for (let i = 0; i < 5; i += 1) {
    await browser.pause(16_000);
    await field.addValue('.');
    typed += '.';
  }
  assert.ok(await el('lock-button').isExisting(), 'the journal stayed open while typing');
});

test('left alone, the journal locks and shows nothing of the reflection', async () => {
  await shown('unlock-screen', 90_000);
  const page = await browser.getPageSource();
  assert.ok(!page.includes('reorg'), 'nothing of the journal is on the unlock screen');
});

test('after unlock the reflection typed before the lock is back', async () => {
  await unlock();
  await click('kept-continue');
  await shown('reflect-restored');
  assert.equal(await (await shown('reflect-their-side')).getValue(), typed);
});
