// The recovery code as shown (eight dash-separated groups of four Crockford base32
// characters) and the check that the leader copied it down.

/** The code's groups. */
export function groupsOf(code: string): string[] {
  return code
    .trim()
    .split(/[-\s]+/)
    .filter((g) => g.length > 0);
}

/** Normalises one typed group the way Crockford base32 reads: case, I/L → 1, O → 0. */
export function normaliseGroup(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** Two distinct group positions (0-based, ascending), chosen at random. */
export function pickTwo(count: number, random: () => number = Math.random): [number, number] {
  if (count < 2) return [0, 0];
  const a = Math.floor(random() * count) % count;
  let b = Math.floor(random() * (count - 1)) % (count - 1);
  if (b >= a) b += 1;
  return a < b ? [a, b] : [b, a];
}

/** Whether `typed` matches group `index` of `code`. */
export function groupMatches(code: string, index: number, typed: string): boolean {
  const group = groupsOf(code)[index];
  return group !== undefined && normaliseGroup(typed) === normaliseGroup(group);
}

/** "first", "second", … for group positions. */
export function ordinal(index: number): string {
  return (
    ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'][index] ??
    `${index + 1}th`
  );
}
