// Plain-language labels and number/date formatting shared by every screen.
import type {
  CommitmentStatus,
  ConcernKind,
  EventSource,
  Group,
  InitiativeStatus,
  PlanStep,
  SlipReason,
  TouchpointKind,
} from './backend';

export const KINDS: readonly TouchpointKind[] = [
  'one_on_one',
  'team_meeting',
  'feedback',
  'conflict',
  'decision',
  'other',
];

export const KIND_LABEL: Record<TouchpointKind, string> = {
  one_on_one: 'One-on-one',
  team_meeting: 'Team meeting',
  feedback: 'Feedback',
  conflict: 'Conflict',
  decision: 'Decision',
  other: 'Other',
};

export const GROUPS: readonly Group[] = [
  'direct_report',
  'peer',
  'leader_above',
  'customer',
  'community',
  'other',
];

export const GROUP_LABEL: Record<Group, string> = {
  direct_report: 'Direct reports',
  peer: 'Peers',
  leader_above: 'Leaders above',
  customer: 'Customers',
  community: 'Community',
  other: 'Other',
};

/** One member of a group, for a person's own line. */
export const GROUP_SINGULAR: Record<Group, string> = {
  direct_report: 'Direct report',
  peer: 'Peer',
  leader_above: 'Leader above',
  customer: 'Customer',
  community: 'Community',
  other: 'Other',
};

export const SOURCE_LABEL: Record<EventSource, string> = {
  reflection: 'Reflection',
  commitment_kept: 'Commitment kept',
  commitment_broken: 'Commitment broken',
  commitment_renegotiated: 'Commitment renegotiated',
  decision: 'Decision',
};

export const SLIP_LABEL: Record<SlipReason, string> = {
  last_three_negative: 'Three withdrawals in a row, and no deposit since',
  sharp_drop: 'Down 4 or more within 30 days, and no deposit since',
  adversarial: 'A moment felt adversarial to them',
};

export const STATUS_LABEL: Record<CommitmentStatus, string> = {
  open: 'Open',
  kept: 'Kept',
  broken: 'Broken',
  renegotiated: 'Renegotiated',
};

const MINUS = '\u2212';

/** A number with its sign always written: "+3", "−2.5", "0". */
export function signed(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  const abs = Number.isInteger(rounded) ? String(Math.abs(rounded)) : Math.abs(rounded).toFixed(1);
  if (rounded > 0) return `+${abs}`;
  if (rounded < 0) return `${MINUS}${abs}`;
  return '0';
}

/** "positive", "negative" or "neutral", for colouring (always next to a signed number). */
export function tone(n: number): 'positive' | 'negative' | 'neutral' {
  if (n > 0) return 'positive';
  if (n < 0) return 'negative';
  return 'neutral';
}

/** ↑, ↓ or → for a trend. */
export function arrow(n: number): string {
  if (n > 0) return '↑';
  if (n < 0) return '↓';
  return '→';
}

/** Words for a trend arrow, for screen readers. */
export function trendWords(n: number): string {
  if (n > 0) return 'rising';
  if (n < 0) return 'falling';
  return 'steady';
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date such as "3 Mar 2025"; an empty string for null or nonsense. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

/** A date and time such as "3 Mar 2025, 14:30". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFmt.format(d);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The value of a `datetime-local` input for a moment, in local time. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * RFC 3339 with the local offset for a `datetime-local` value ("2025-03-03T14:30"), so the
 * original offset is kept for display; null when empty or invalid.
 */
export function localInputToRfc3339(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${toLocalInput(d)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Start of a local day ("2025-03-03") as a UTC instant, for filters; null when empty. */
export function dayStartUtc(day: string): string | null {
  if (!day) return null;
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Start of the local day after `day`, so "until" includes the whole day. */
export function dayEndUtc(day: string): string | null {
  if (!day) return null;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return null;
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** "12%" for a ratio. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** Whole days between now and an instant, as text. */
export function daysAgo(iso: string | null): string {
  if (!iso) return 'never';
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** Bytes in words. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The local day `offsetDays` from today as "2025-03-03", for date inputs. */
export function localDay(offsetDays: number, from: Date = new Date()): string {
  const d = new Date(from.getTime());
  d.setDate(d.getDate() + offsetDays);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "1 entry", "3 entries": a count with its noun. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** An initiative's status in words. */
export const INITIATIVE_STATUS_LABEL: Record<InitiativeStatus, string> = {
  planned: 'Planned',
  running: 'Running',
  paused: 'Paused',
  done: 'Done',
};

export const INITIATIVE_STATUSES: readonly InitiativeStatus[] = [
  'planned',
  'running',
  'paused',
  'done',
];

/** What a concern is about, in words. */
export const CONCERN_LABEL: Record<ConcernKind, string> = {
  replacement: 'Fear of being replaced',
  purpose: 'Unclear purpose',
  consulted: 'Not consulted',
  workload: 'Workload',
  skills: 'Skills',
  fairness: 'Fairness',
  privacy: 'Privacy',
  other: 'Other',
};

export const CONCERN_KINDS = Object.keys(CONCERN_LABEL) as ConcernKind[];

/** The five steps of a change that keeps trust, in words. */
export const STEP_LABEL: Record<PlanStep, string> = {
  contribution_record: 'A shared record of what the tool contributed',
  exploration: 'Protected time to explore the tool',
  guidelines: 'Guidelines written with the team',
  measures: 'Success measured beyond efficiency',
  training: 'Training time, and wins celebrated',
};
