// Takes the README's screenshots from the real app with the demo journal: `make screenshots`.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { remote } from 'webdriverio';

const out = process.argv[2] ?? 'docs/screenshots';
mkdirSync(out, { recursive: true });

const browser = await remote({
  hostname: '127.0.0.1',
  port: Number(process.env.TAURI_DRIVER_PORT),
  logLevel: 'warn',
  capabilities: { 'tauri:options': { application: process.env.TOUCHPOINT_APP } },
});

const el = (id) => browser.$(`[data-testid="${id}"]`);
async function shown(id, timeout = 120000) {
  const e = el(id);
  await e.waitForDisplayed({ timeout, timeoutMsg: `${id} never appeared` });
  return e;
}
async function snap(name) {
  await browser.pause(600);
  // WebKitWebDriver's own screenshot stalls under Xvfb; the X server's picture is the real window.
  execFileSync('import', ['-window', 'root', `${out}/${name}.png`]);
  console.log(`saved ${out}/${name}.png`);
}

try {
  await shown('first-run');
  await snap('first-run');
  await (await shown('try-demo')).click();
  await shown('today-screen');
  await snap('today');
  await (await shown('nav-people')).click();
  await shown('overview-table');
  await snap('people');
  await (await browser.$$('[data-testid="overview-row"] a, [data-testid="overview-row"] button')[0]).click();
  await shown('balance-value');
  await snap('person');
  await (await shown('nav-timeline')).click();
  await shown('timeline-screen');
  await snap('timeline');
  await (await shown('open-capture')).click();
  await shown('capture-notes');
  await snap('quick-capture');
  await browser.keys('Escape');
  await (await shown('nav-about')).click();
  await snap('about');
} finally {
  await browser.deleteSession();
}
