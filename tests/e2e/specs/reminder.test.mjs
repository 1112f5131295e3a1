// A reminder that arrives: in the real app, a calendar meeting that ended while the journal was
// locked is announced with the plain text once its five minutes have passed, and clicking the
// reminder opens that meeting's reflection right after unlock. The app writes its reminders to
// TOUCHPOINT_E2E_NOTIFICATIONS while that file exists (Xvfb has no notification service) and
// treats each as clicked.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  browser,
  choose,
  click,
  cliFor,
  el,
  shown,
  snap,
  startApp,
  stopApp,
  unlockWith,
} from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'reminder', 'journal');
const notifications = process.env.TOUCHPOINT_E2E_NOTIFICATIONS;
const TITLE = 'Roadmap check-in';
// The meeting ends 4¼ minutes before the spec starts, so with the default wait of 5 minutes
// its reminder is due 45 seconds in: after the journal is locked, not before.
const DUE_IN_MS = 45_000;
const dueAt = Date.now() + DUE_IN_MS;

const touchpoint = cliFor(journal, PASS);

const recorded = () => readFileSync(notifications, 'utf8');

/** Clicks a checkbox's label: it toggles, so there is no state to wait for. */
async function toggle(id) {
  const input = el(id);
  await input.waitForExist({ timeout: 20000, timeoutMsg: `${id} never appeared` });
  await input.parentElement().click();
}

const unlock = () => unlockWith(PASS, false);

before(async () => {
  writeFileSync(notifications, '');
  touchpoint('init');
  touchpoint('person', 'add', 'Ana Costa');
  const start = new Date(dueAt - 5 * 60_000 - 30 * 60_000);
  touchpoint(
    'add', '--kind', 'one_on_one', '--with', 'Ana Costa', '--title', TITLE,
    '--at', start.toISOString(), '--minutes', '30', '--draft',
  );
  await startApp(['--journal', journal]);
  await unlock();
  await shown('today-screen');
});

after(async () => {
  await stopApp();
  // The other specs run without the hook.
  rmSync(notifications, { force: true });
});

test('no reminder before the meeting’s end plus the wait', async () => {
  await browser.pause(3000);
  assert.ok(Date.now() < dueAt - 5000, 'the spec started in time');
  assert.equal(recorded(), '');
});

test('a meeting that ends while locked is announced with the plain text only', async () => {
  await click('lock-button');
  await shown('unlock-screen');
  await browser.waitUntil(() => recorded() !== '', {
    timeout: DUE_IN_MS + 30_000,
    interval: 500,
    timeoutMsg: 'no reminder arrived',
  });
  assert.ok(Date.now() >= dueAt - 1500, 'not before its time');
  assert.equal(recorded(), 'Time to reflect\tA meeting has ended — time to reflect\n');
  for (const secret of [TITLE, 'Ana']) assert.ok(!recorded().includes(secret), secret);
  await browser.pause(3000);
  assert.equal(recorded().split('\n').length, 2, 'once');
});

test('the clicked reminder opens that meeting’s reflection after unlock', async () => {
  await unlock();
  const heading = await shown('reflect-screen');
  await browser.waitUntil(async () => (await heading.getText()).includes(`Reflect: ${TITLE}`), {
    timeout: 20_000,
    timeoutMsg: 'the reflection of the reminded meeting did not open',
  });
});

test('Settings says how long a reminder waits, next to the switch and off with it', async () => {
  await click('nav-settings');
  const field = await shown('settings-remind-after');
  assert.equal(await field.getValue(), '5');
  assert.equal(
    await (await shown('remind-after-sentence')).getText(),
    'The reminder comes 5 minutes after the meeting ends.',
  );
  await toggle('settings-remind');
  assert.equal(await field.isEnabled(), false, 'reminders off: nothing to wait for');
  await toggle('settings-remind');
  assert.equal(await field.isEnabled(), true);
  for (const theme of ['light', 'dark']) {
    await choose(`theme-${theme}`);
    await el('settings-remind').scrollIntoView({ block: 'center' });
    await snap(theme === 'light' ? 'settings-reminders' : 'settings-reminders-dark');
  }
  await choose('theme-system');
});
