// The global keyboard shortcuts: what each key press means, decided without touching the DOM.

export type ScreenName =
  | 'today'
  | 'people'
  | 'timeline'
  | 'initiatives'
  | 'prompts'
  | 'exchange'
  | 'settings'
  | 'about'
  | 'trash';

export type ShortcutAction =
  | { type: 'capture' }
  | { type: 'search' }
  | { type: 'help' }
  | { type: 'lock' }
  | { type: 'go'; screen: ScreenName }
  | { type: 'prefix' };

/** Screens reachable with `g` + key and Alt + number, in menu order. */
export const SCREEN_KEYS: readonly { screen: ScreenName; key: string; label: string }[] = [
  { screen: 'today', key: 't', label: 'Today' },
  { screen: 'people', key: 'p', label: 'People' },
  { screen: 'timeline', key: 'l', label: 'Timeline' },
  { screen: 'initiatives', key: 'i', label: 'Initiatives' },
  { screen: 'prompts', key: 'r', label: 'Prompts' },
  { screen: 'exchange', key: 'e', label: 'Share & import' },
  { screen: 'settings', key: 's', label: 'Settings' },
  { screen: 'about', key: 'a', label: 'About the method' },
  { screen: 'trash', key: 'd', label: 'Trash' },
];

/**
 * The list shown on the Keyboard help: each entry's alternatives, each a sequence of keys
 * pressed one after the other.
 */
export const SHORTCUT_HELP: readonly { alts: string[][]; what: string }[] = [
  { alts: [['N'], ['Ctrl+N']], what: 'New touchpoint (quick capture)' },
  { alts: [['/'], ['Ctrl+K']], what: 'Search the timeline' },
  ...SCREEN_KEYS.map((s, i) => ({
    alts: [['G', s.key.toUpperCase()], [`Alt+${i + 1}`]],
    what: `Go to ${s.label}`,
  })),
  { alts: [['Ctrl+Shift+L']], what: 'Lock the journal now' },
  { alts: [['?']], what: 'Show this list' },
  { alts: [['Ctrl+Enter']], what: 'Save quick capture or a reflection' },
  { alts: [['Alt+1–6']], what: 'In quick capture: choose the kind (1 one-on-one … 6 other)' },
  { alts: [['Esc']], what: 'Close a dialog' },
];

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'code'>;

/** Whether the key press goes to a field the user is typing in. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(type);
  }
  return el.isContentEditable === true;
}

/**
 * Interprets one key press. `pendingG` is true right after a lone `g`. Returns null for keys
 * that are not shortcuts (the page handles them as usual).
 */
export function interpret(e: KeyLike, typing: boolean, pendingG: boolean): ShortcutAction | null {
  const key = e.key;
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.altKey && !e.shiftKey && key.toLowerCase() === 'n') return { type: 'capture' };
  if (ctrl && !e.altKey && !e.shiftKey && key.toLowerCase() === 'k') return { type: 'search' };
  if (ctrl && e.shiftKey && !e.altKey && key.toLowerCase() === 'l') return { type: 'lock' };
  if (e.altKey && !ctrl) {
    const digit = /^Digit([1-9])$/.exec(e.code)?.[1] ?? (/^[1-9]$/.test(key) ? key : undefined);
    const entry = digit ? SCREEN_KEYS[Number(digit) - 1] : undefined;
    if (entry) return { type: 'go', screen: entry.screen };
  }
  if (typing || ctrl || e.altKey) return null;
  if (pendingG) {
    const entry = SCREEN_KEYS.find((s) => s.key === key.toLowerCase());
    return entry ? { type: 'go', screen: entry.screen } : null;
  }
  if (key === 'n' || key === 'N') return { type: 'capture' };
  if (key === '/') return { type: 'search' };
  if (key === '?') return { type: 'help' };
  if (key === 'g') return { type: 'prefix' };
  return null;
}
