// The prompt library in the real app: a copy of a built-in set edited and saved, the leader's
// sets exported to a JSON file picked in the dialog, and that file imported again.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, click, cliFor, shown, startApp, stopApp, type, unlockWith, willPick } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const work = join(process.env.TOUCHPOINT_E2E_WORK, 'prompt-library');
const journal = join(work, 'journal');
const file = join(work, 'my-prompts.json');
// WebKitWebDriver drops a key pressed twice in a row ("need" arrives as "ned"): no doubles.
const PROMPT = 'What did {name} want most from me today?';

const touchpoint = cliFor(journal, PASS);

async function ownSets() {
  const sets = await browser.$$('[data-testid="prompt-set"]');
  const names = [];
  for (const s of sets) names.push(await s.getText());
  return names.filter((t) => t.includes('My one-on-one'));
}

before(async () => {
  touchpoint('init');
  await startApp(['--journal', journal]);
  await unlockWith(PASS);
});

after(async () => {
  await stopApp();
});

test('a copy of a built-in set is edited, a prompt added, and saved', async () => {
  await click('nav-prompts');
  await shown('prompts-screen');
  await (await browser.$$('[data-testid="edit-copy"]'))[0].click();
  await shown('prompt-editor');
  await type('prompt-set-name', 'My one-on-one');
  await click('add-prompt');
  // The new prompt's field takes the focus.
  await browser.keys(PROMPT);
  await click('save-prompt-set');
  await browser.waitUntil(async () => (await ownSets()).length === 1, {
    timeoutMsg: 'the edited set is not in the library',
  });
});

test('the leader’s sets are exported to the file picked', async () => {
  willPick(file);
  await click('export-prompts');
  await browser.waitUntil(() => existsSync(file) && readFileSync(file, 'utf8').includes(']'), {
    timeoutMsg: 'no export file',
  });
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes('My one-on-one'), 'the set is in the file');
  assert.ok(text.includes(PROMPT), 'the added prompt is in the file');
});

test('a prompt file from someone else imports as a set of its own', async () => {
  // A coach's file: the exported set under another id and name.
  const shared = JSON.parse(readFileSync(file, 'utf8'));
  shared.sets[0].id = randomUUID();
  shared.sets[0].name = 'Coach set for one-on-ones';
  const coachFile = join(work, 'coach-prompts.json');
  writeFileSync(coachFile, JSON.stringify(shared));
  willPick(coachFile);
  await click('import-prompts');
  await browser.waitUntil(
    async () => {
      const sets = await browser.$$('[data-testid="prompt-set"]');
      for (const set of sets) if ((await set.getText()).includes('Coach set for one-on-ones')) return true;
      return false;
    },
    { timeoutMsg: 'the imported set is not in the library' },
  );
  assert.equal((await ownSets()).length, 1, 'the leader’s own set is still there, unchanged');
});
