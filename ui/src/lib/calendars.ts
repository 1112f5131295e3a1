// Linked calendar files in plain words, shared by Settings → Calendar and Today's notice.
import type { LinkedCalendar } from './backend';

/** What a link's last sync found, for people. */
export function statusText(c: LinkedCalendar): string {
  switch (c.status) {
    case 'pending':
      return 'Not synced yet';
    case 'ok':
      return 'Up to date';
    case 'missing':
      return 'File not found';
    case 'unreadable':
      return 'Cannot be read';
    case 'not_calendar':
      return 'No longer a calendar file';
    case 'refused':
      return 'Not imported';
  }
}

/** Whether the leader should look at this file: it could not be read or imported. */
export function isProblem(c: LinkedCalendar): boolean {
  return c.status !== 'ok' && c.status !== 'pending';
}

/** How many events its last import left out. */
export function skippedCount(c: LinkedCalendar): number {
  return c.last_import?.skipped_events.length ?? 0;
}

/** The file's name without its folder. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Set by Today's "Settings → Calendar" link so the card scrolls into view on arrival. */
export const calendarFocus = { wanted: false };
