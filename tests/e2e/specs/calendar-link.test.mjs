// A calendar that stays current, in the real app: a linked .ics file's meeting shows on Today;
// the file rewritten on disk (as a sync tool does, by rename) brings its new meeting to Today
// without a click; the file deleted, Today says so calmly. A calendar imported once on Share &
// import comes in with its one odd event left out and listed. Screenshots of Settings → Calendar.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  browser,
  click,
  cliFor,
  el,
  shown,
  snapThemes,
  startApp,
  stopApp,
  textOf,
  unlockWith,
  willPick,
} from '../lib/driver.mjs';

const PASS = 'lantern orchard pebble compass 58';
const work = join(process.env.TOUCHPOINT_E2E_WORK, 'calendar-link');
const journal = join(work, 'journal');
const calendars = join(work, 'Calendars');
const file = join(calendars, 'work.ics');
const picks = process.env.TOUCHPOINT_E2E_PICKS;
const touchpoint = cliFor(journal, PASS);

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

before(async () => {
  assert.ok(picks, 'run through tests/e2e/run.sh, which sets TOUCHPOINT_E2E_PICKS');
  mkdirSync(calendars, { recursive: true });
  touchpoint('--json', 'init');
  writeFileSync(file, ics([['e2e-1', 'Weekly 1:1 with Ana', -1]]));
  await startApp(['--journal', journal]);
  await unlockWith(PASS);
});

after(async () => {
  await stopApp();
});

test('link a calendar file in Settings and see its meeting on Today', async () => {
  await click('nav-settings');
  await shown('calendar-card');
  willPick(file);
  await click('calendar-link');
  assert.match(await textOf('calendar-notice'), /^Linked work\.ics\./);
  assert.equal(await textOf('calendar-status'), 'Up to date');
  assert.match(await textOf('calendar-counts'), /1 added/);

  await (await shown('calendar-card')).scrollIntoView();
  await snapThemes('settings-calendar');

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

test('a calendar imported on Share & import brings its meetings and lists the event left out', async () => {
  const once = join(work, 'exported.ics');
  const good = ics([['e2e-3', 'Budget review', 3]]);
  // An event with no start time cannot become a touchpoint; the rest of the file still can.
  const odd = 'BEGIN:VEVENT\r\nUID:e2e-odd\r\nSUMMARY:Offsite without a date\r\nEND:VEVENT\r\n';
  writeFileSync(once, good.replace('END:VCALENDAR', `${odd}END:VCALENDAR`));
  await click('nav-exchange');
  willPick(once);
  await click('import-choose');
  await shown('import-kind');
  await click('import-run');
  assert.match(await textOf('import-done'), /1 meeting\(s\) added as drafts/);
  assert.match(await textOf('import-skipped-heading'), /1 event was left out/);
  assert.match(await textOf('import-skipped-events'), /Offsite without a date — no start time/);
  await click('nav-today');
  assert.match(await (await shown('today-drafts')).getText(), /Budget review/);
});
