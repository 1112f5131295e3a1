// What every end-to-end spec does with the real app: start it through tauri-driver, find
// elements by test id, wait for them, click and type.
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
