// Careful imports in the real app: a forged review (plain JSON, which anyone holding the
// leader's public key could write) is refused with a clear message and no comment appears; an
// export of another journal that would change existing records shows its preview (counts per
// kind, the records it would change) and Cancel leaves the journal exactly as it was, compared
// as a full JSON export before and after. The journal is made with the `touchpoint` CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browser, choose, click, cliFor, el, shown, snap, startApp, stopApp, unlockWith, willPick } from '../lib/driver.mjs';

const PASS = 'a calm and long passphrase';
const work = join(process.env.TOUCHPOINT_E2E_WORK, 'import-guard');
const journal = join(work, 'journal');
const forged = join(work, 'inbox', 'review-from-coach.json');
const foreign = join(work, 'inbox', 'other-journal.json');
const picks = process.env.TOUCHPOINT_E2E_PICKS;
const touchpoint = cliFor(journal, PASS);

let entry = '';

/** The whole journal as a JSON export, less its time of export. */
function whole(name) {
  const path = join(work, `${name}.json`);
  touchpoint('export', '--format', 'json', '--out', path);
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  doc.exported_at = null;
  return doc;
}

async function openApp() {
  await startApp(['--journal', journal]);
  await unlockWith(PASS);
}

/** Picks `path` on the import card and presses Import. */
async function importFile(path) {
  await click('nav-exchange');
  willPick(path);
  await click('import-choose');
  await shown('import-kind');
  await click('import-run');
}

before(() => {
  assert.ok(picks, 'run through tests/e2e/run.sh, which sets TOUCHPOINT_E2E_PICKS');
  mkdirSync(join(work, 'inbox'), { recursive: true });
  touchpoint('init');
  touchpoint('person', 'add', 'Ana Costa', '--team', 'Platform');
  entry = touchpoint(
    'add',
    '--kind',
    'one_on_one',
    '--with',
    'Ana Costa',
    '--title',
    'Roadmap one-on-one',
    '--notes',
    'Told Ana the roadmap slipped',
    '--willingness',
    '1',
    '--ability',
    '-2',
  );
  touchpoint('add', '--kind', 'feedback', '--with', 'Ana Costa', '--title', 'Praised the demo');
  const key = touchpoint('key', 'show');

  // What a stranger can write: the leader's public key is in every bundle, entry ids too.
  writeFileSync(
    forged,
    JSON.stringify({
      format: 'touchpoint-review',
      version: 2,
      generator: 'not Touchpoint',
      reviewer: 'Coach Kim',
      created_at: '2025-05-02T18:30:00+02:00',
      for_public_key: key,
      export_exported_at: '2025-05-01T18:30:00+02:00',
      export_id: '0b7e3c1c-7a40-4a43-9a0e-2f2d1f7f3a11',
      reviewer_key: key,
      annotations: [
        {
          id: '0190a8b2-0000-7000-8000-000000000001',
          target_id: entry,
          author: 'Coach Kim',
          text: 'A forged comment.',
          created_at: '2025-05-02T18:30:00+02:00',
        },
      ],
    }),
  );

  // Another journal's export with the same ids, other ratings and another title.
  const other = whole('mine');
  other.exported_at = '2025-05-02T18:30:00+02:00';
  other.reflections[0].willingness = -2;
  other.reflections[0].ability = -2;
  const roadmap = other.touchpoints.find((t) => t.id === entry);
  roadmap.title = 'Roadmap one-on-one (their version)';
  writeFileSync(foreign, JSON.stringify(other));
});

after(async () => {
  await stopApp();
});

test('a forged plain JSON review is refused and no comment appears', async () => {
  const before = whole('before-forged');
  await openApp();
  await importFile(forged);
  const error = await shown('error-message');
  assert.match(await error.getText(), /Refused: this review is not encrypted to your journal/);
  assert.match(await error.getText(), /Nothing was imported/);
  await click('nav-today');
  await shown('today-screen');
  assert.equal(await el('today-coach-comments').isExisting(), false, 'no comment on Today');
  await stopApp();
  assert.deepEqual(whole('after-forged'), before, 'the journal is as it was');
  const shownEntry = JSON.parse(touchpoint('--json', 'show', entry));
  assert.deepEqual(shownEntry.annotations, [], 'no comment beside the entry');
});

test('the preview of a foreign export shows its counts and Cancel changes nothing', async () => {
  const before = whole('before-foreign');
  await openApp();
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') {
      await click('nav-settings');
      await shown('settings-auto-lock');
      await choose('theme-dark');
      await click('settings-save');
      await shown('settings-screen');
    }
    await importFile(foreign);
    const preview = await shown('import-preview');
    const text = await preview.getText();
    assert.match(text, /It would change 2 records already in your journal/);
    const rows = await browser.$$('[data-testid="import-preview-row"]');
    const cells = [];
    for (const row of rows) {
      const parts = [];
      for (const cell of await row.$$('th, td')) parts.push((await cell.getText()).trim());
      cells.push(parts.join(' '));
    }
    assert.ok(cells.includes('Entries 0 1 1'), cells.join(' | '));
    assert.ok(cells.includes('Reflections 0 1 0'), cells.join(' | '));
    assert.match(
      await (await shown('import-preview-changes')).getText(),
      /Roadmap one-on-one \(their version\)/,
    );
    await preview.scrollIntoView();
    await snap(theme === 'light' ? 'import-preview' : 'import-preview-dark');
    await click('import-preview-cancel');
    const error = await shown('error-message');
    assert.match(await error.getText(), /Import cancelled; the journal is as it was/);
  }
  await stopApp();
  const after = whole('after-foreign');
  // The theme is a setting, not part of the export: the journal's records are as they were.
  assert.deepEqual(after, before, 'Cancel changed nothing');
});
