// App-wide state: where the app stands (no journal, locked, unlocked), the dialogs open over
// every screen, and the theme. Journal data lives in the screens, so locking drops it.
import type { AppStatus, ReviewInfo } from './backend';
import { router, type CaptureDefaults } from './router.svelte';

export type Theme = 'system' | 'light' | 'dark';

class Session {
  status = $state<AppStatus | null>(null);
  /** Open when not null: the quick-capture dialog and its starting values. */
  capture = $state<CaptureDefaults | null>(null);
  helpOpen = $state(false);
  /** Set by the search shortcut; the timeline focuses its search box and clears it. */
  focusSearch = $state(false);
  /** Bumped whenever journal data changes in a way other screens should reload. */
  revision = $state(0);
  /** A short message shown once on the unlock screen (for example after a restore). */
  notice = $state<string | null>(null);
  /** Someone else's export open for review (in the shell's memory), or null. */
  review = $state<ReviewInfo | null>(null);

  /** Drops everything shown from the journal and returns to the unlock screen. */
  locked(status: AppStatus | null): void {
    this.capture = null;
    this.helpOpen = false;
    this.review = null;
    router.reset();
    this.status = status ?? {
      state: 'locked',
      journal_dir: this.status?.journal_dir ?? '',
      demo: this.status?.demo ?? false,
      auto_lock_minutes: this.status?.auto_lock_minutes ?? 10,
    };
    this.revision++;
  }

  changed(): void {
    this.revision++;
  }
}

export const session = new Session();

const THEME_KEY = 'touchpoint.theme';

/**
 * Applies a theme to the page: `system` follows the OS. The choice alone (never anything from
 * the journal) is remembered in local storage, so the unlock screen wears it too.
 */
export function applyTheme(theme: string): void {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    /* storage unavailable: the theme still applies for this run */
  }
}

/** Applies the remembered theme, if any (at start-up, before a journal is open). */
export function restoreTheme(): void {
  try {
    const theme = localStorage.getItem(THEME_KEY);
    if (theme) applyTheme(theme);
  } catch {
    /* nothing remembered */
  }
}
