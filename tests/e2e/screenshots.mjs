// Takes the screenshots in docs/screenshots from the real app, every screen light and dark
// (`make screenshots`): first the demo journal's screens, then a journal of the leader's own for
// the unlock screen and the unsaved form kept at lock. Screens that need a flow of their own
// (Settings, Trash, import preview, coach review, team explanation) are taken by their specs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { browser, click, cliFor, shown, snapThemes, startApp, stopApp, type, unlockWith } from './lib/driver.mjs';

const out = process.argv[2] ?? 'docs/screenshots';
mkdirSync(out, { recursive: true });
process.env.TOUCHPOINT_SCREENSHOTS = out;

async function go(screen, id) {
  await click(`nav-${screen}`);
  return shown(id);
}

// The demo journal.
await startApp();
try {
  await shown('first-run', 120000);
  await snapThemes('first-run');
  await click('try-demo');
  await shown('today-screen', 120000);
  await snapThemes('today');
  await go('people', 'overview-table');
  await snapThemes('people');
  await (await browser.$('[data-testid="overview-row"] button, [data-testid="overview-row"] a')).click();
  await shown('explain-list');
  await snapThemes('person');
  await go('timeline', 'timeline-screen');
  await snapThemes('timeline');
  await (await browser.$('[data-testid="timeline-list"] .item a')).click();
  await shown('entry-screen');
  await snapThemes('entry');
  await go('today', 'today-screen');
  await (await browser.$('[data-testid="today-drafts"] button')).click();
  await shown('reflect-screen');
  await snapThemes('reflect');
  await click('open-capture');
  await shown('capture-notes');
  await snapThemes('quick-capture');
  await browser.keys('Escape');
  await go('exchange', 'exchange-screen');
  await snapThemes('exchange');
  await go('prompts', 'prompts-screen');
  await snapThemes('prompts');
  await go('about', 'about-screen');
  await snapThemes('about');
} finally {
  await stopApp();
}

// A journal of one's own: the unlock screen, and a form typed before the lock offered back.
const PASS = 'a calm and long passphrase';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'screenshots', 'journal');
const touchpoint = cliFor(journal, PASS);
touchpoint('init');
touchpoint('person', 'add', 'Ana Costa');
await startApp(['--journal', journal]);
try {
  await shown('unlock-screen');
  await snapThemes('unlock');
  await unlockWith(PASS);
  await click('open-capture');
  await type('capture-notes', 'Talked about the reorg and who heard first');
  // Ctrl+Shift+L locks even with the capture open: the form is kept for after the unlock.
  await browser.keys(['Control', 'Shift', 'L']);
  await shown('unlock-screen');
  await unlockWith(PASS);
  await shown('kept-draft');
  await snapThemes('kept-draft');
} finally {
  await stopApp();
}
