// Takes the screenshots in docs/screenshots from the real app, every screen light and dark
// (`make screenshots`): first the demo journal's screens, then a journal of the leader's own for
// the unlock screen and the unsaved form kept at lock. Screens that need a flow of their own
// (Settings, Trash, import preview, coach review, team explanation) are taken by their specs.
// Last, a journal with an AI roll-out in its third month: the Initiatives list, the Initiative
// screen and the page for the team it exports.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  browser,
  click,
  cliFor,
  shown,
  snap,
  snapThemes,
  startApp,
  stopApp,
  type,
  unlockWith,
  willPick,
} from './lib/driver.mjs';

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

// An AI roll-out in its third month, recorded with the command line.
const rolloutJournal = join(process.env.TOUCHPOINT_E2E_WORK, 'screenshots-initiative', 'journal');
const cli = cliFor(rolloutJournal, PASS);
/** The local day `days` ago as YYYY-MM-DD. */
function dayAgo(days) {
  const d = new Date(Date.now() - days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
cli('init');
for (const name of ['Ana Costa', 'Ben Okafor', 'Chloe Martin', 'Dev Patel']) {
  cli('person', 'add', name, '--team', 'Platform');
}
const R = 'Copilot roll-out';
cli(
  'initiative', 'add', R, '--purpose', 'Faster, calmer code reviews without losing the craft.',
  '--team', 'Platform', '--status', 'running', '--start', dayAgo(70), '--review', dayAgo(-20),
);
const meet = (who, days, title, w, a, notes) =>
  cli(
    'add', '--kind', 'one_on_one', '--with', who, '--at', `${dayAgo(days)}T10:00:00Z`,
    '--title', title, '--notes', notes, '--willingness', String(w), '--ability', String(a),
  );
const kickoff = cli(
  'add', '--kind', 'team_meeting', '--with', 'Ana Costa,Ben Okafor,Chloe Martin,Dev Patel',
  '--at', `${dayAgo(68)}T09:00:00Z`, '--title', 'Copilot kick-off', '--notes', 'What it is for',
  '--willingness', '1', '--ability', '1',
);
const entries = [
  kickoff,
  meet('Ben Okafor', 60, 'One-on-one: Ben on the roll-out', -1, 0, 'Worried about reviews'),
  meet('Ana Costa', 50, 'One-on-one: Ana', 2, 1, 'Wants to lead the guidelines'),
  meet('Chloe Martin', 40, 'One-on-one: Chloe', 1, 1, 'Tried it on tests'),
  meet('Dev Patel', 30, 'One-on-one: Dev', -1, -1, 'Too busy to explore'),
  meet('Ben Okafor', 20, 'One-on-one: Ben', 1, 2, 'Reviews still human'),
  meet('Dev Patel', 6, 'One-on-one: Dev, again', -1, -2, 'Missed the learning hour again'),
];
for (const e of entries) cli('initiative', 'link', R, e);
for (const [n, days] of [63, 49, 42, 28, 14, 7].entries()) {
  const e = cli(
    'add', '--kind', 'team_meeting', '--with', 'Ana Costa,Chloe Martin',
    '--at', `${dayAgo(days)}T14:00:00Z`, '--title', `Learning hour ${n + 1}`,
  );
  cli('initiative', 'link', R, e, '--step', 'exploration');
}
cli('initiative', 'plan', R, 'exploration', '--cadence', 'weekly', '--since', dayAgo(63));
cli('initiative', 'plan', R, 'training', '--cadence', 'monthly', '--hours', '4', '--since', dayAgo(63));
cli('initiative', 'can', R, 'Drafts first versions of unit tests', '--on', dayAgo(68));
cli('initiative', 'can', R, 'Suggests fixes in code review; a person decides', '--on', dayAgo(68));
const cannot = cli('initiative', 'cannot', R, 'Decide who gets promoted', '--on', dayAgo(68));
cli('initiative', 'restate', cannot, "Never rates anyone's work or performance", '--on', dayAgo(45));
cli('initiative', 'cannot', R, 'See private repositories', '--on', dayAgo(68));
cli('initiative', 'guideline', R, 'Generated code is reviewed like any other', '--by', 'Ana Costa', '--by', 'Ben Okafor', '--on', dayAgo(55));
cli('initiative', 'guideline', R, 'No customer data in prompts', '--by', 'Chloe Martin', '--on', dayAgo(40));
cli('initiative', 'win', R, 'Test drafts cut review prep by half', '--person', 'Chloe Martin', '--on', dayAgo(38));
cli('initiative', 'setback', R, 'A suggestion logged a customer name', '--lesson', 'Check generated logging in review', '--on', dayAgo(25));
cli('initiative', 'win', R, 'Ben paired with the tool on the migration', '--person', 'Ben Okafor', '--on', dayAgo(12));
const answered = cli('initiative', 'concern', R, '--person', 'Ben Okafor', '--kind', 'replacement', '--text', 'Will this replace code review?', '--touchpoint', entries[1]);
cli('initiative', 'answer', answered, '--text', 'Review stays human; the tool suggests, people decide.');
cli('initiative', 'concern', R, '--person', 'Dev Patel', '--kind', 'workload', '--text', 'No time to learn it on top of the sprint', '--touchpoint', entries[4]);
cli('initiative', 'concern', R, '--person', 'Ana Costa', '--kind', 'fairness', '--text', 'Will output per person be compared?', '--touchpoint', entries[2]);
for (const [days, s, c, q, f] of [[60, 0, 0, 0, -1], [35, 1, 0, 0, 0], [10, 1, 1, 1, 1]]) {
  cli(
    'initiative', 'measure', R, '--satisfaction', String(s), '--collaboration', String(c),
    '--quality', String(q), '--confidence', String(f), '--on', dayAgo(days),
  );
}
await startApp(['--journal', rolloutJournal]);
try {
  await unlockWith(PASS);
  await go('initiatives', 'initiative-row');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="initiative-row-concerns"]')).length > 0);
  await snapThemes('initiatives');
  await (await browser.$('button=Copilot roll-out')).click();
  await shown('initiative-plan');
  await snapThemes('initiative');
  // Further down: the balance within it, the five steps, wins and setbacks.
  await browser.execute(() =>
    document.querySelector('[data-testid="initiative-balance"]').scrollIntoView({ block: 'start' }),
  );
  await snapThemes('initiative-plan');
  // The page for the team, as exported, shown in the window (dark: as a dark-mode viewer shows it).
  const page = join(process.env.TOUCHPOINT_E2E_WORK, 'team-page.html');
  willPick(page);
  await click('export-team-page-html');
  await shown('team-page-notice');
  const html = readFileSync(page, 'utf8');
  for (const [name, text] of [
    ['team-page', html.replace('@media (prefers-color-scheme:dark)', '@media not all')],
    ['team-page-dark', html.replace('@media (prefers-color-scheme:dark)', '@media all')],
  ]) {
    await browser.execute((h) => {
      document.open();
      document.write(h);
      document.close();
    }, text);
    await snap(name);
  }
} finally {
  await stopApp();
}
