// Plain-language anchors for every step of the −2..+2 scales, read from the other person's side.

export type Anchor = { value: number; text: string };

export const WILLINGNESS_ANCHORS: readonly Anchor[] = [
  { value: -2, text: "They'd say I was looking out for myself, not them" },
  { value: -1, text: "They'd wonder whose side I was on" },
  { value: 0, text: "They'd say it told them nothing either way" },
  { value: 1, text: "They'd say I was on their side" },
  { value: 2, text: "They'd say I clearly had their back" },
];

export const ABILITY_ANCHORS: readonly Anchor[] = [
  { value: -2, text: "They'd say I couldn't deliver what they needed" },
  { value: -1, text: "They'd doubt I can get this done for them" },
  { value: 0, text: "They'd be no more or less sure I can deliver" },
  { value: 1, text: "They'd say I can help them with this" },
  { value: 2, text: "They'd say I made it happen" },
];

export const IMPACT_ANCHORS: readonly Anchor[] = [
  { value: -2, text: 'They paid heavily for it' },
  { value: -1, text: 'They lost something' },
  { value: 0, text: 'It left them where they were' },
  { value: 1, text: 'They gained something' },
  { value: 2, text: 'They clearly gained' },
];

/** "minus2", "0", "plus1": a value as it appears in test ids. */
export function valueSlug(v: number): string {
  if (v > 0) return `plus${v}`;
  if (v < 0) return `minus${-v}`;
  return '0';
}
