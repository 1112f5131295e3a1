// What every end-to-end spec does with the real app: start it through tauri-driver, find
// elements by test id, wait for them, click and type.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { remote } from 'webdriverio';

/** The WebDriver session of the spec running now. */
export let browser = null;

/**
 * Starts the app (the debug build unless `application` names another binary, with `args`, if
 * any) and makes it the session the helpers use.
 */
export async function startApp(args = [], application = process.env.TOUCHPOINT_APP) {
  const options = { application };
  if (args.length) options.args = args;
  browser = await remote({
    hostname: '127.0.0.1',
    port: Number(process.env.TAURI_DRIVER_PORT),
    logLevel: 'warn',
    capabilities: { 'tauri:options': options },
  });
  return browser;
}

/** Ends the session, which closes the app. */
export async function stopApp() {
  await browser?.deleteSession();
  browser = null;
}

export const el = (id) => browser.$(`[data-testid="${id}"]`);

/** Waits for a test id to be shown and returns the element. */
export async function shown(id, timeout = 20000) {
  const e = el(id);
  await e.waitForDisplayed({ timeout, timeoutMsg: `${id} never appeared` });
  return e;
}

/**
 * Clicks a test id once it is shown and enabled: some buttons wait for the core's verdict
 * (a new passphrase is rated by the core before its form's button is enabled).
 */
export async function click(id, timeout = 20000) {
  const e = await shown(id, timeout);
  await e.waitForEnabled({ timeout, timeoutMsg: `${id} never became enabled` });
  await e.click();
}

export async function type(id, text) {
  const e = await shown(id);
  await e.clearValue();
  await e.setValue(text);
}

/**
 * Selects a radio or checkbox by the test id of its input, clicking its label. A dialog may
 * still be settling into place as it opens, and WebKitWebDriver refuses a click whose point
 * moved under it ("click intercepted"): click again until it takes.
 */
export async function choose(id) {
  const input = el(id);
  await input.waitForExist({ timeout: 20000, timeoutMsg: `${id} never appeared` });
  await browser.waitUntil(
    async () => {
      if (await input.isSelected()) return true;
      await input
        .parentElement()
        .click()
        .catch(() => {});
      return input.isSelected();
    },
    { timeout: 20000, timeoutMsg: `${id} was not selected` },
  );
}

/**
 * Types the passphrase on the unlock screen and submits it; waits for Today unless `expectToday`
 * is false (a passphrase that should be refused).
 */
export async function unlockWith(passphrase, expectToday = true) {
  await type('unlock-passphrase', passphrase);
  await click('unlock-submit');
  if (expectToday) await shown('today-screen');
}

/** The next file dialog of the app answers `path` (see `TOUCHPOINT_E2E_PICKS` in run.sh). */
export function willPick(path) {
  writeFileSync(process.env.TOUCHPOINT_E2E_PICKS, `${path}\n`);
}

/**
 * With TOUCHPOINT_SCREENSHOTS set (`make screenshots`), saves the whole screen there as
 * `name`.png; otherwise does nothing.
 */
export async function snap(name) {
  const out = process.env.TOUCHPOINT_SCREENSHOTS;
  if (!out) return;
  // The window fills the 1280×800 screen, so the picture shows no desktop around it.
  await browser.setWindowRect(0, 0, 1280, 800);
  await browser.pause(600);
  // WebKitWebDriver's own screenshot stalls under Xvfb; the X server's picture is the real window.
  execFileSync('import', ['-window', 'root', join(out, `${name}.png`)]);
}

/**
 * A runner of the `touchpoint` command line (the binary next to the app) on `journal`, with
 * `passphrase` in its environment: `cli('person', 'add', 'Ana')` answers the trimmed output.
 */
export function cliFor(journal, passphrase) {
  const bin = join(dirname(process.env.TOUCHPOINT_APP), 'touchpoint');
  return (...args) => {
    // An app just closed may hold the journal's lock a moment longer (exit code 5: in use).
    for (let attempt = 0; ; attempt += 1) {
      try {
        return execFileSync(bin, ['--journal', journal, ...args], {
          env: { ...process.env, TOUCHPOINT_PASSPHRASE: passphrase },
          encoding: 'utf8',
          // The error thrown on failure carries stderr in its message.
          stdio: ['ignore', 'pipe', 'pipe'],
        }).trim();
      } catch (e) {
        if (e.status !== 5 || attempt >= 50) throw e;
        execFileSync('sleep', ['0.2']);
      }
    }
  };
}

/** The trimmed text of a test id once it is shown. */
export async function textOf(id) {
  return (await (await shown(id)).getText()).trim();
}

/**
 * Like `snap`, twice: `name`.png in the light theme and `name`-dark.png in the dark one, the
 * screen left as it was. The theme is switched on the page only, as the theme setting does.
 */
export async function snapThemes(name) {
  if (!process.env.TOUCHPOINT_SCREENSHOTS) return;
  const before = await browser.execute(() => document.documentElement.dataset.theme ?? '');
  for (const theme of ['light', 'dark']) {
    await browser.execute((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    await snap(theme === 'dark' ? `${name}-dark` : name);
  }
  await browser.execute((t) => {
    if (t) document.documentElement.dataset.theme = t;
    else delete document.documentElement.dataset.theme;
  }, before);
}
