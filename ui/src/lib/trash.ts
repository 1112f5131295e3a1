// The Trash screen's sentences: what each item is, when it goes, and exactly what an erase takes.
import type { Erased, Trash, TrashedEntry, TrashedPerson } from './backend';
import { count, formatDate, KIND_LABEL } from './format';

/** An entry as the trash names it: its title, or its kind when it has none. */
export function entryLabel(e: TrashedEntry): string {
  return e.entry.title.trim() || KIND_LABEL[e.entry.kind];
}

/** "1 entry and 2 reflections", "3 entries", "" when both are zero. */
function entriesAndReflections(entries: number, reflections: number): string {
  const parts = [];
  if (entries > 0) parts.push(count(entries, 'entry', 'entries'));
  if (reflections > 0) parts.push(count(reflections, 'reflection', 'reflections'));
  return parts.join(' and ');
}

/** "3 entries and 1 reflection go with them", or "" when nothing does. */
export function goesWith(p: TrashedPerson): string {
  const what = entriesAndReflections(p.entries, p.reflections);
  return what ? `${what} go with them` : '';
}

/** The question before erasing a person now. */
export function confirmErasePerson(p: TrashedPerson): string {
  const what = entriesAndReflections(p.entries, p.reflections);
  const about = what ? `the ${what} about them` : 'everything written about them';
  return `Erase ${p.person.name} and ${about} now? This cannot be undone.`;
}

/** The question before erasing an entry now. */
export function confirmEraseEntry(e: TrashedEntry): string {
  const with_ =
    e.reflections > 0 ? ` and its ${count(e.reflections, 'reflection', 'reflections')}` : '';
  return `Erase “${entryLabel(e)}” of ${formatDate(e.entry.occurred_at)}${with_} now? This cannot be undone.`;
}

/** The question before emptying the trash. */
export function confirmEmpty(t: Trash): string {
  const parts = [];
  if (t.people.length > 0) parts.push(count(t.people.length, 'person', 'people'));
  if (t.entries.length > 0) parts.push(count(t.entries.length, 'entry', 'entries'));
  const people = t.people.length > 0 ? ', with everything written about them' : '';
  return `Erase everything in the trash (${parts.join(' and ')}${people}) now? This cannot be undone.`;
}

/** What an erase removed, as a sentence. */
export function erasedSentence(e: Erased): string {
  const parts = [];
  if (e.people > 0) parts.push(count(e.people, 'person', 'people'));
  parts.push(count(e.entries, 'entry', 'entries'));
  parts.push(count(e.reflections, 'reflection', 'reflections'));
  const last = parts.pop();
  return `Erased for good: ${parts.join(', ')} and ${last}.`;
}
