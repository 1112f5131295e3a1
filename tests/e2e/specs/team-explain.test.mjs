// Every number explains itself, in the real app: a team's balance on People opens the events
// that made it, each naming the member it came from, and the totals are the rows' sums. With
// TOUCHPOINT_SCREENSHOTS set, saves the screen light and dark.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, choose, click, cliFor, el, shown, snap, startApp, stopApp, unlockWith } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const journal = join(process.env.TOUCHPOINT_E2E_WORK, 'team-explain', 'journal');
const touchpoint = cliFor(journal, PASS);

function meeting(who, title, willingness, ability) {
  touchpoint(
    'add',
    '--kind',
    'one_on_one',
    '--with',
    who,
    '--title',
    title,
    '--willingness',
    String(willingness),
    '--ability',
    String(ability),
  );
}

async function openTeam() {
  await click('nav-people');
  await shown('people-screen');
  await click('explain-team');
  await shown('explain-screen');
}

before(async () => {
  touchpoint('init');
  touchpoint('person', 'add', 'Ana Costa', '--team', 'Platform');
  touchpoint('person', 'add', 'Ben Okafor', '--team', 'Platform');
  meeting('Ana Costa', 'Roadmap one-on-one', 2, 1);
  meeting('Ben Okafor', 'Missed the handover', -1, 0);
  await startApp(['--journal', journal]);
  await unlockWith(PASS);
});

after(async () => {
  await stopApp();
});

test('the team on People opens its events, each from its member, summing to the balance', async () => {
  await openTeam();
  const rows = await browser.$$('[data-testid="team-explain-row"]');
  assert.equal(rows.length, 2, 'one row per event of the team');
  const texts = [];
  for (const r of rows) texts.push(await r.getText());
  assert.match(texts.join('\n'), /Missed the handover[\s\S]*from Ben Okafor/);
  assert.match(texts.join('\n'), /Roadmap one-on-one[\s\S]*from Ana Costa/);
  // +3 for Ana; (−1 + 0) × the loss weight 2 for Ben: willingness 2 − 2 = 0, ability 1.
  assert.equal(await el('explain-balance').getAttribute('data-value'), '1');
  assert.equal(await el('explain-willingness').getAttribute('data-value'), '0');
  assert.equal(await el('explain-ability').getAttribute('data-value'), '1');
});

test('the team explanation, light and dark', async () => {
  if (!process.env.TOUCHPOINT_SCREENSHOTS) return;
  for (const theme of ['light', 'dark']) {
    await click('nav-settings');
    await shown('settings-screen');
    await choose(`theme-${theme}`);
    await openTeam();
    await snap(theme === 'light' ? 'team-explanation' : 'team-explanation-dark');
  }
  await click('nav-settings');
  await choose('theme-system');
});
