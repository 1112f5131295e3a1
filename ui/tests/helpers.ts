// Shared test helpers: render the whole app at a screen, and check accessibility with axe.
import { render, screen, waitFor } from '@testing-library/svelte';
import axe from 'axe-core';
import { expect } from 'vitest';
import App from '../src/App.svelte';
import { router, type Route } from '../src/lib/router.svelte';
import { session } from '../src/lib/session.svelte';

/** Renders the app with the fake backend already installed, starting at `route`. */
export async function renderApp(route: Route = { name: 'today' }) {
  session.status = null;
  session.capture = null;
  session.helpOpen = false;
  router.reset();
  if (route.name !== 'today') router.go(route);
  const result = render(App);
  // "Opening…" shows until the shell says where it stands and the journal's screens are loaded.
  await waitFor(() => expect(screen.queryByText('Opening…')).toBeNull(), { timeout: 5000 });
  return result;
}

/**
 * Runs axe over the page and fails on any violation. jsdom cannot compute colours, so the
 * colour-contrast rule is the one rule turned off (contrast is checked by eye and in the
 * real webview).
 */
export async function expectAccessible(root: Element = document.body) {
  const result = await axe.run(root, { rules: { 'color-contrast': { enabled: false } } });
  const summary = result.violations.map(
    (v) => `${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.html).join('\n  ')}`,
  );
  expect(summary, summary.join('\n')).toEqual([]);
}
