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

/** A reading of an initiative, from the team's side as the leader sees it. */
export const SATISFACTION_ANCHORS: readonly Anchor[] = [
  { value: -2, text: "They'd say their work has become worse to do" },
  { value: -1, text: "They'd say they enjoy their work a little less" },
  { value: 0, text: "They'd say nothing has changed" },
  { value: 1, text: "They'd say their work is a bit better to do" },
  { value: 2, text: "They'd say they like their work more than before" },
];

export const COLLABORATION_ANCHORS: readonly Anchor[] = [
  { value: -2, text: "They'd say they work more alone, or against each other" },
  { value: -1, text: "They'd say they talk to each other less" },
  { value: 0, text: "They'd say they work together as before" },
  { value: 1, text: "They'd say they help each other more" },
  { value: 2, text: "They'd say they build on each other's work" },
];

export const QUALITY_ANCHORS: readonly Anchor[] = [
  { value: -2, text: "They'd say their work got clearly worse" },
  { value: -1, text: "They'd say they cut more corners" },
  { value: 0, text: "They'd say it is as good as before" },
  { value: 1, text: "They'd say it got a bit better" },
  { value: 2, text: "They'd say they are proud of it" },
];

export const CONFIDENCE_ANCHORS: readonly Anchor[] = [
  { value: -2, text: "They'd say they avoid the tool" },
  { value: -1, text: "They'd say they use it warily" },
  { value: 0, text: "They'd say they are unsure of it" },
  { value: 1, text: "They'd say they know when to use it" },
  { value: 2, text: "They'd say they use it well and know its limits" },
];
