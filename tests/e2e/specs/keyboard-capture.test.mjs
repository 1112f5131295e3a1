// A whole capture and reflection with key presses only, in the real app: N puts the cursor in
// People, Enter adds the person, Tab reaches the notes, Ctrl+Enter saves and opens the
// reflection with the cursor in its first field, the ratings are set with Tab and the arrows.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, cliFor, el, shown, startApp, stopApp, unlockWith } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'keyboard-capture', 'journal');
const touchpoint = cliFor(journal, PASS);

const focused = () =>
  browser.execute(() => {
    const a = document.activeElement;
    return { tag: a?.tagName ?? '', name: a?.getAttribute('name') ?? '', testid: a?.dataset.testid ?? '' };
  });

/** Presses Tab until the focus is on a radio of the group `name` (at most 40 times). */
async function tabTo(name) {
  for (let i = 0; i < 40; i += 1) {
    if ((await focused()).name === name) return;
    await browser.keys('Tab');
  }
  assert.fail(`Tab never reached ${name}`);
}

before(async () => {
  touchpoint('init');
  touchpoint('person', 'add', 'Ana Costa');
  await startApp(['--journal', journal]);
  await unlockWith(PASS);
});

after(async () => {
  await stopApp();
});

test('N, a name, Enter, Tab, notes, Ctrl+Enter: captured, and the reflection waits for typing', async () => {
  await browser.keys('n');
  await shown('quick-capture');
  assert.equal((await focused()).testid, 'capture-people', 'the cursor starts in People');
  await browser.keys('Ana');
  await browser.keys('Enter');
  await shown('picked-person');
  await browser.keys('Tab');
  assert.equal((await focused()).testid, 'capture-notes', 'Tab reaches the notes');
  await browser.keys('Asked to own the migration');
  assert.equal(await el('capture-notes').getValue(), 'Asked to own the migration');
  await browser.keys(['Control', 'Enter']);
  await shown('reflect-screen');
  await browser.waitUntil(async () => (await focused()).tag === 'TEXTAREA', {
    timeoutMsg: 'the cursor is not in the reflection’s first field',
  });
  await browser.keys('She wants the hard problem');
  const first = await browser.execute(() => document.activeElement?.value ?? '');
  assert.equal(first, 'She wants the hard problem', 'typed into the first field');
});

test('the ratings from the keyboard, Ctrl+Enter saves, the balance follows', async () => {
  await tabTo('willingness');
  // Into an unrated scale the focus lands on −2; each arrow moves one step and chooses it.
  for (let i = 0; i < 3; i += 1) await browser.keys('ArrowRight');
  await tabTo('ability');
  await browser.keys(' ');
  assert.ok(await el('willingness-plus1').isSelected(), 'willingness +1 chosen by arrows');
  assert.ok(await el('ability-minus2').isSelected(), 'ability −2 chosen by Space');
  await browser.keys(['Control', 'Enter']);
  const balance = await shown('balance-value');
  // (+1 + −2) = −1, a withdrawal, weighted by the default loss weight 2.0.
  await browser.waitUntil(async () => (await balance.getAttribute('data-value')) === '-2', {
    timeoutMsg: `balance shows ${await balance.getAttribute('data-value')}, expected -2`,
  });
});
