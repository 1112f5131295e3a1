// Sorting the people overview by any of its columns.
import type { PersonOverview } from './backend';
import { GROUPS } from './format';

export type SortKey = 'name' | 'group' | 'balance' | 'trend' | 'last' | 'overdue' | 'slipping';

function value(p: PersonOverview, key: SortKey): string | number {
  switch (key) {
    case 'name':
      return p.person.name.toLowerCase();
    case 'group':
      return GROUPS.indexOf(p.group);
    case 'balance':
      return p.balance;
    case 'trend':
      return p.trend_30d;
    case 'last':
      return p.last_touchpoint ? new Date(p.last_touchpoint).getTime() : -Infinity;
    case 'overdue':
      return p.consistency.overdue ? 1 : 0;
    case 'slipping':
      return p.slipping ? 1 : 0;
  }
}

/** A sorted copy; ties are broken by name so the order is stable. */
export function sortOverview(
  rows: readonly PersonOverview[],
  key: SortKey,
  ascending: boolean,
): PersonOverview[] {
  const dir = ascending ? 1 : -1;
  return rows.slice().sort((a, b) => {
    const va = value(a, key);
    const vb = value(b, key);
    const c = va < vb ? -1 : va > vb ? 1 : 0;
    return c !== 0 ? c * dir : a.person.name.localeCompare(b.person.name);
  });
}
