// A calendar that stays current, in the real app: a linked .ics file's meeting shows on Today;
// the file rewritten on disk (as a sync tool does, by rename) brings its new meeting to Today
// without a click; the file deleted, Today says so calmly. Screenshots of Settings → Calendar.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { browser, click, el, shown, startApp, stopApp, type } from '../lib/driver.mjs';

const PASS = 'lantern orchard pebble compass 58';
const work = join(process.env.TOUCHPOINT_E2E_WORK, 'calendar-link');
const journal = join(work, 'journal');
const calendars = join(work, 'Calendars');
const file = join(calendars, 'work.ics');
const picks = process.env.TOUCHPOINT_E2E_PICKS;
const cli = join(dirname(process.env.TOUCHPOINT_APP), 'touchpoint');

/** An iCalendar file with these meetings, each starting `hoursFromNow` from now. */
function ics(meetings) {
  const stamp = (d) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const events = meetings.map(
    ([uid, title, hoursFromNow]) =>
      `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:${stamp(new Date())}\r\n` +
      `DTSTART:${stamp(new Date(Date.now() + hoursFromNow * 3_600_000))}\r\nDURATION:PT30M\r\n` +
      `SUMMARY:${title}\r\nORGANIZER;CN=Me:mailto:me@example.org\r\n` +
      `ATTENDEE;CN=Ana Costa:mailto:ana@example.org\r\nEND:VEVENT\r\n`,
  );
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//E2E//EN\r\n${events.join('')}END:VCALENDAR\r\n`;
}

/** Replaces the calendar file as sync tools do: a new file renamed over the old one. */
function rewrite(text) {
  writeFileSync(`${file}.part`, text);
  renameSync(`${file}.part`, file);
}

/** With TOUCHPOINT_SCREENSHOTS set (`make screenshots`), saves the screen there as `name`.png. */
async function snap(name) {
  const out = process.env.TOUCHPOINT_SCREENSHOTS;
  if (!out) return;
  await browser.pause(600);
  // WebKitWebDriver's own screenshot stalls under Xvfb; the X server's picture is the real window.
  execFileSync('import', ['-window', 'root', join(out, `${name}.png`)]);
}

/** Picks a radio by clicking its label (the input itself may be styled away). */
async function choose(id) {
  const input = el(id);
  await input.waitForExist({ timeout: 20000, timeoutMsg: `${id} never appeared` });
  await input.parentElement().click();
  await browser.waitUntil(() => input.isSelected(), { timeoutMsg: `${id} was not selected` });
}

async function textOf(id) {
  return (await (await shown(id)).getText()).trim();
}

before(async () => {
  assert.ok(picks, 'run through tests/e2e/run.sh, which sets TOUCHPOINT_E2E_PICKS');
  mkdirSync(calendars, { recursive: true });
  execFileSync(cli, ['--journal', journal, '--json', 'init'], {
    env: { ...process.env, TOUCHPOINT_PASSPHRASE: PASS },
  });
  writeFileSync(file, ics([['e2e-1', 'Weekly 1:1 with Ana', -1]]));
  await startApp(['--journal', journal]);
  await type('unlock-passphrase', PASS);
  await click('unlock-submit');
  await shown('today-screen');
});

after(async () => {
  await stopApp();
});

test('link a calendar file in Settings and see its meeting on Today', async () => {
  await click('nav-settings');
  await shown('calendar-card');
  writeFileSync(picks, `${file}\n`);
  await click('calendar-link');
  assert.match(await textOf('calendar-notice'), /^Linked work\.ics\./);
  assert.equal(await textOf('calendar-status'), 'Up to date');
  assert.match(await textOf('calendar-counts'), /1 added/);

  const card = await shown('calendar-card');
  for (const theme of ['light', 'dark']) {
    await choose(`theme-${theme}`);
    await card.scrollIntoView();
    await snap(`settings-calendar-${theme}`);
  }
  await choose('theme-system');

  await click('nav-today');
  const drafts = await shown('today-drafts');
  assert.match(await drafts.getText(), /Weekly 1:1 with Ana/);
});

test('a new meeting written to the file appears on Today without a click', async () => {
  rewrite(
    ics([
      ['e2e-1', 'Weekly 1:1 with Ana', -1],
      ['e2e-2', 'Roadmap planning', 2],
    ]),
  );
  await browser.waitUntil(async () => (await el('today-drafts').getText()).includes('Roadmap planning'), {
    timeout: 20000,
    timeoutMsg: 'the new meeting never reached Today',
  });
});

test('a deleted file is a calm notice on Today that leads to Settings', async () => {
  rmSync(file);
  const problem = await shown('today-calendar-problem');
  assert.match(await problem.getText(), /work\.ics: file not found/);
  // The meetings it brought in stay.
  assert.match(await el('today-drafts').getText(), /Roadmap planning/);
  await click('today-calendar-settings');
  assert.equal(await textOf('calendar-status'), 'File not found');
});
