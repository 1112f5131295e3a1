// The leader's main flow in the real app: create a journal, log and reflect on a one-on-one,
// read the balance and its explanation, lock and unlock, search, and see a slipping relationship.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, choose, click, shown, startApp, stopApp, type } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const NOTE = 'Discussed the quarterly roadmap and the zanzibar migration';

/** Quick capture of one entry with one person, landing on the reflect screen. */
async function capture(kind, person, notes) {
  await click('open-capture');
  await choose(`capture-kind-${kind}`);
  // As a person does it: click into People and type the name.
  await click('capture-people');
  await browser.keys(person);
  await click('people-option');
  await type('capture-notes', notes);
  await click('capture-save');
  await shown('reflect-screen');
}

before(async () => {
  await startApp();
});

after(async () => {
  await stopApp();
});

test('create a journal and confirm the recovery code', async () => {
  await type('create-passphrase', PASS);
  await type('create-passphrase-repeat', PASS);
  await click('create-submit');
  const code = (await (await shown('recovery-code')).getText()).trim();
  const groups = code.split('-');
  assert.equal(groups.length, 8, `a grouped recovery code: ${code}`);
  await click('code-written');
  for (const n of [1, 2]) {
    const input = await shown(`confirm-group-${n}`);
    const index = Number(await input.getAttribute('data-group-index'));
    await input.setValue(groups[index]);
  }
  await click('confirm-submit');
  await shown('today-screen');
});

test('add a person', async () => {
  await click('nav-people');
  await click('show-add-person');
  await type('add-person-name', 'Ana Costa');
  await click('add-person-submit');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="overview-row"]')).length === 1, {
    timeoutMsg: 'Ana never appeared in the overview',
  });
});

test('quick capture and reflection give the balance the spec gives', async () => {
  await capture('one_on_one', 'Ana', NOTE);
  await choose('willingness-plus1');
  await choose('ability-minus2');
  // A commitment and an open topic are saved with the reflection, in the same one call.
  await click('add-commitment');
  await browser.$('#c-what-0-0').setValue('Send Ana the rota draft');
  await click('add-topic');
  await browser.$('#t-0-0').setValue('Wants to lead the migration');
  await click('reflect-save');
  const balance = await shown('balance-value');
  const prepare = await shown('prepare-card');
  await browser.waitUntil(async () => (await prepare.getText()).includes('Send Ana the rota draft'), {
    timeoutMsg: 'the commitment is not on the person page',
  });
  assert.match(await (await shown('open-topics')).getText(), /Wants to lead the migration/);
  // (+1 + -2) = -1, a withdrawal, weighted by the default loss weight 2.0.
  await browser.waitUntil(async () => (await balance.getAttribute('data-value')) === '-2', {
    timeoutMsg: `balance shows ${await balance.getAttribute('data-value')}, expected -2`,
  });
  const rows = await browser.$$('[data-testid="explain-row"]');
  assert.equal(rows.length, 1, 'the explanation lists exactly the one event');
  const row = await rows[0].getText();
  assert.match(row, /one/i, `the row names the kind: ${row}`);
  assert.match(row, /−2|-2/, `the row shows the delta: ${row}`);
});

test('lock, a wrong passphrase is refused, the right one unlocks', async () => {
  await click('lock-button');
  await type('unlock-passphrase', 'not the passphrase');
  await click('unlock-submit');
  const error = await shown('error-message');
  assert.match(await error.getText(), /passphrase/i);
  await type('unlock-passphrase', PASS);
  await click('unlock-submit');
  await shown('today-screen');
});

test('search finds the note', async () => {
  await click('nav-timeline');
  await type('search-input', 'zanzibar');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="search-result"]')).length >= 1, {
    timeoutMsg: 'no search result for the note',
  });
  const hit = await browser.$$('[data-testid="search-result"]')[0].getText();
  assert.match(hit, /zanzibar/i);
});

test('an adversarial entry puts the person on Today as slipping', async () => {
  await capture('conflict', 'Ana', 'Argued about the on-call rota');
  await choose('willingness-minus1');
  await choose('ability-0');
  await choose('reflect-adversarial');
  await click('reflect-save');
  await shown('person-screen');
  await click('nav-today');
  const slipping = await shown('today-slipping');
  await browser.waitUntil(async () => /Ana Costa/.test(await slipping.getText()), {
    timeoutMsg: 'Ana is not listed as slipping',
  });
  await shown('recalibrate-card');
});
