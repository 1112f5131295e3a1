// A small fake shell: answers the IPC commands of docs/ipc.md with fixture data shaped by the
// generated types, and records every call so tests can check what the UI asked for.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { AppStatus } from '../src/lib/backend/types';
import type { BalanceReport } from '../src/lib/bindings/BalanceReport';
import type { BalanceSummary } from '../src/lib/bindings/BalanceSummary';
import type { Commitment } from '../src/lib/bindings/Commitment';
import type { ExplainedEvent } from '../src/lib/bindings/ExplainedEvent';
import type { OpenTopic } from '../src/lib/bindings/OpenTopic';
import type { Person } from '../src/lib/bindings/Person';
import type { PersonOverview } from '../src/lib/bindings/PersonOverview';
import type { PromptSet } from '../src/lib/bindings/PromptSet';
import type { Initiative } from '../src/lib/bindings/Initiative';
import type { Concern } from '../src/lib/bindings/Concern';
import type { ConcernKind } from '../src/lib/bindings/ConcernKind';
import type { Reflection } from '../src/lib/bindings/Reflection';
import type { ReviewInitiative } from '../src/lib/bindings/ReviewInitiative';
import type { SearchHit } from '../src/lib/bindings/SearchHit';
import type { Settings } from '../src/lib/bindings/Settings';
import type { Team } from '../src/lib/bindings/Team';
import type { TimelineFilter } from '../src/lib/bindings/TimelineFilter';
import type { TimelineItem } from '../src/lib/bindings/TimelineItem';
import type { Today } from '../src/lib/bindings/Today';
import type { Touchpoint } from '../src/lib/bindings/Touchpoint';
import type { TouchpointDetail } from '../src/lib/bindings/TouchpointDetail';
import type { NewTouchpoint } from '../src/lib/bindings/NewTouchpoint';
import type { ReflectionForm } from '../src/lib/bindings/ReflectionForm';
import type { Annotation } from '../src/lib/bindings/Annotation';
import type { CoachComment } from '../src/lib/bindings/CoachComment';
import type { ImportPreview } from '../src/lib/bindings/ImportPreview';
import type { ExportRequest } from '../src/lib/bindings/ExportRequest';
import type { IncomingKind } from '../src/lib/bindings/IncomingKind';
import type { ImportOutcome } from '../src/lib/bindings/ImportOutcome';
import type { ReviewInfo } from '../src/lib/bindings/ReviewInfo';
import type { RekeyProgress } from '../src/lib/bindings/RekeyProgress';
import type { PassphraseStrength } from '../src/lib/bindings/PassphraseStrength';
import type { FormDraft } from '../src/lib/bindings/FormDraft';
import type { Trash } from '../src/lib/bindings/Trash';
import type { LinkedCalendar } from '../src/lib/bindings/LinkedCalendar';
import { NOT_MINE, type InitiativeFake } from './initiativeFake';

export const ADA = '01900000-0000-7000-8000-00000000a001';
export const GRACE = '01900000-0000-7000-8000-00000000a002';
export const ALAN = '01900000-0000-7000-8000-00000000a003';
export const TP1 = '01900000-0000-7000-8000-00000000b001';
export const DRAFT = '01900000-0000-7000-8000-00000000b002';
export const NEW_TP = '01900000-0000-7000-8000-00000000b999';

export const RECOVERY_CODE = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789';
/** The code `rekey_journal` answers. */
export const REKEY_CODE = 'WXYZ-2345-ABCD-6789-EFGH-JKMN-PQRS-TV01';
/** The steps `rekey_journal` reports, in order (the journal, one backup, the key file). */
export const REKEY_STEPS: RekeyProgress[] = [
  { done: 0, total: 3, step: 'Re-encrypting the journal' },
  { done: 1, total: 3, step: 'Re-encrypting the backups' },
  { done: 2, total: 3, step: 'Writing the new key file' },
  { done: 3, total: 3, step: 'Done' },
];

const now = new Date('2025-03-10T10:00:00+01:00');
const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();

export const people: Person[] = [
  {
    id: ADA,
    name: 'Ada Lovelace',
    emails: ['ada@example.org'],
    role: 'Engineer',
    group: 'direct_report',
    teams: ['Platform'],
    cadence_days: 14,
    notes: '',
    archived: false,
    created_at: iso(200),
  },
  {
    id: GRACE,
    name: 'Grace Hopper',
    emails: [],
    role: 'Head of Ops',
    group: 'peer',
    teams: [],
    cadence_days: null,
    notes: '',
    archived: false,
    created_at: iso(150),
  },
  {
    id: ALAN,
    name: 'Alan Turing',
    emails: [],
    role: 'Researcher',
    group: 'direct_report',
    teams: ['Platform'],
    cadence_days: 14,
    notes: '',
    archived: false,
    created_at: iso(100),
  },
];

export const teams: Team[] = [{ id: 'team-1', name: 'Platform', members: [ADA, ALAN] }];

function consistency(overdue: boolean) {
  return {
    held_90d: 4,
    expected_90d: 6,
    ratio: 0.67,
    last_one_on_one: iso(overdue ? 20 : 3),
    days_since_last: overdue ? 20 : 3,
    overdue,
    cadence_days: 14,
  };
}

export const overview: PersonOverview[] = [
  {
    person: { id: ADA, name: 'Ada Lovelace' },
    group: 'direct_report',
    teams: ['Platform'],
    balance: 7,
    willingness: 4,
    ability: 3,
    trend_30d: 2,
    trend_90d: 5,
    slipping: false,
    slip_reasons: [],
    fallen_dimension: null,
    last_touchpoint: iso(3),
    consistency: consistency(false),
    coverage: 0.9,
  },
  {
    person: { id: GRACE, name: 'Grace Hopper' },
    group: 'peer',
    teams: [],
    balance: 12,
    willingness: 6,
    ability: 6,
    trend_30d: 0,
    trend_90d: 3,
    slipping: false,
    slip_reasons: [],
    fallen_dimension: null,
    last_touchpoint: iso(30),
    consistency: { ...consistency(false), cadence_days: null, expected_90d: 0, ratio: 1 },
    coverage: 1,
  },
  {
    person: { id: ALAN, name: 'Alan Turing' },
    group: 'direct_report',
    teams: ['Platform'],
    balance: -6,
    willingness: -4,
    ability: -2,
    trend_30d: -8,
    trend_90d: -6,
    slipping: true,
    slip_reasons: ['last_three_negative', 'sharp_drop'],
    fallen_dimension: 'willingness',
    last_touchpoint: iso(20),
    consistency: consistency(true),
    coverage: 0.5,
  },
];

function event(
  daysAgo: number,
  w: number,
  a: number,
  label: string,
  balanceAfter: number,
): ExplainedEvent {
  const d = w + a;
  const weight = d < 0 ? 2 : 1;
  return {
    source_id: `${label}-${daysAgo}`,
    at: iso(daysAgo),
    source: 'reflection',
    touchpoint_kind: 'one_on_one',
    person_id: ADA,
    group: null,
    label,
    willingness: w,
    ability: a,
    adversarial: false,
    weight,
    delta: d * weight,
    willingness_delta: w < 0 ? w * 2 : w,
    ability_delta: a < 0 ? a * 2 : a,
    balance_after: balanceAfter,
  };
}

const adaEvents = [
  event(80, 1, 1, 'Kick-off one-on-one', 2),
  event(40, 2, 1, 'Career talk', 5),
  event(20, -1, 0, 'Missed the demo', 3),
  event(3, 2, 2, 'Weekly one-on-one', 7),
];

export const adaReport: BalanceReport = {
  balance: 7,
  willingness: 4,
  ability: 3,
  trend_30d: 2,
  trend_90d: 5,
  slipping: false,
  slip_reasons: [],
  fallen_dimension: null,
  slip_events: 0,
  events: adaEvents,
  trend_30d_events: 2,
  trend_90d_events: 4,
  series: adaEvents.map((e) => ({
    at: e.at,
    balance: e.balance_after,
    willingness: 0,
    ability: 0,
  })),
};

/** The numbers of `report`, as `balance_summary` answers them. */
export function summaryOf(report: BalanceReport): BalanceSummary {
  return {
    balance: report.balance,
    willingness: report.willingness,
    ability: report.ability,
    trend_30d: report.trend_30d,
    trend_90d: report.trend_90d,
    slipping: report.slipping,
    slip_reasons: report.slip_reasons,
    fallen_dimension: report.fallen_dimension,
    slip_events: report.slip_events,
    trend_30d_events: report.trend_30d_events,
    trend_90d_events: report.trend_90d_events,
    events: report.events.length,
  };
}

/** Ada's report with `count` events, one a day, oldest first (the last is labelled "Latest"). */
export function manyEvents(count: number): BalanceReport {
  const events = Array.from({ length: count }, (_, i) =>
    event(count - i, 1, 0, i === count - 1 ? 'Latest' : `Event ${i}`, i + 1),
  );
  return {
    ...adaReport,
    balance: count,
    events,
    series: events.map((e) => ({ at: e.at, balance: e.balance_after, willingness: 0, ability: 0 })),
  };
}

export function item(i: number, overrides: Partial<TimelineItem> = {}): TimelineItem {
  const ms = now.getTime() - i * 3_600_000;
  const id = `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`;
  return {
    id,
    kind: i % 3 === 0 ? 'team_meeting' : 'one_on_one',
    occurred_at: new Date(ms).toISOString(),
    title: `Entry number ${i}`,
    participants: [{ id: ADA, name: 'Ada Lovelace' }],
    tags: [],
    state: 'logged',
    private: false,
    reflections: 1,
    cursor: { occurred_ms: ms, id },
    ...overrides,
  };
}

export const draftItem = item(1, {
  id: DRAFT,
  title: 'Planning with Grace',
  state: 'draft',
  reflections: 0,
  participants: [{ id: GRACE, name: 'Grace Hopper' }],
});

export const today: Today = {
  drafts: [draftItem],
  overdue: [overview[2]!],
  commitments_due: [
    {
      commitment: {
        id: 'c-1',
        person_id: ADA,
        touchpoint_id: TP1,
        what: 'Send the promotion case',
        due: '2025-03-08',
        status: 'open',
        created_at: iso(10),
        resolved_at: null,
      },
      person: { id: ADA, name: 'Ada Lovelace' },
      overdue: true,
    },
  ],
  slipping: [overview[2]!],
};

export const builtinSets: PromptSet[] = [
  {
    id: '01900000-0000-7000-8000-000000000001',
    name: 'One-on-one',
    scope: { type: 'kind', kind: 'one_on_one' },
    prompts: [
      {
        id: 'needed',
        text: 'What would {name} say was the one thing they most needed me to hear today?',
        help: 'Start from their agenda, not yours.',
      },
      { id: 'whose', text: 'Whose meeting did it feel like to {name}?', help: '' },
    ],
    builtin: true,
    description: 'Their time, seen from their chair.',
  },
  {
    id: '01900000-0000-7000-8000-000000000101',
    name: 'AI roll-out',
    scope: { type: 'tag', tag: 'ai-rollout' },
    prompts: [
      {
        id: 'replacement',
        text: 'After we spoke, would {name} be more or less worried about being replaced?',
        help: '',
      },
    ],
    builtin: true,
    description: 'For moments that are part of bringing AI into {team}.',
  },
  {
    id: '01900000-0000-7000-8000-000000000202',
    name: 'Recalibrate: willingness',
    scope: { type: 'recalibrate', dimension: 'willingness' },
    prompts: [
      {
        id: 'structural',
        text: 'What structural commitment would show {name} I have their back?',
        help: '',
      },
    ],
    builtin: true,
    description: '',
  },
];

export const settings: Settings = {
  auto_lock_minutes: 10,
  default_cadence_days: 14,
  loss_weight: 2,
  backup_dir: null,
  backup_keep: 14,
  backup_every_days: 1,
  remind_after_meetings: true,
  reminders_show_details: false,
  remind_minutes_after_end: 5,
  theme: 'system',
  reviewer_name: '',
};

export const openCommitments: Commitment[] = [today.commitments_due[0]!.commitment];
export const openTopics: OpenTopic[] = [
  {
    id: 'topic-1',
    person_id: ADA,
    touchpoint_id: TP1,
    text: 'Wants to lead the migration',
    created_at: iso(10),
    closed_at: null,
  },
];

function touchpointFrom(id: string, t: NewTouchpoint): Touchpoint {
  return {
    id,
    kind: t.kind,
    occurred_at: t.occurred_at ?? now.toISOString(),
    duration_minutes: t.duration_minutes,
    title: t.title || 'One-on-one with Ada Lovelace',
    participants: t.participants,
    team: t.team,
    affected_groups: t.affected_groups,
    notes: t.notes,
    tags: t.tags,
    private: t.private,
    source: t.source || 'manual',
    state: t.state ?? 'logged',
    created_at: now.toISOString(),
  };
}

const tp1: Touchpoint = {
  id: TP1,
  kind: 'one_on_one',
  occurred_at: iso(3),
  duration_minutes: 30,
  title: 'Weekly one-on-one',
  participants: [ADA],
  team: 'Platform',
  affected_groups: [],
  notes: 'Talked about the migration.',
  tags: [],
  private: false,
  source: 'manual',
  state: 'logged',
  created_at: iso(3),
};

const adaReflection: Reflection = {
  id: 'r-1',
  touchpoint_id: TP1,
  person_id: ADA,
  answers: [],
  their_side: 'He listened.',
  willingness: 2,
  ability: 2,
  adversarial: false,
  would_have_helped: '',
  next_time: 'Bring the roadmap draft',
  created_at: iso(3),
};

export type Call = { cmd: string; args: Record<string, unknown> };

export const ROLLOUT = '01900000-0000-7000-8000-00000000c001';
export const PAUSED = '01900000-0000-7000-8000-00000000c002';

/** A running AI roll-out (tag `ai-rollout`), and a paused one capture does not offer. */
export const initiativeList: Initiative[] = [
  {
    id: ROLLOUT,
    name: 'Copilot roll-out',
    purpose: 'Help the team review code faster without losing craft.',
    status: 'running',
    starts_on: '2026-09-01',
    review_on: null,
    tag: 'ai-rollout',
    teams: ['Platform'],
    people: [],
    created_at: now.toISOString(),
  },
  {
    id: PAUSED,
    name: 'Meeting notes bot',
    purpose: '',
    status: 'paused',
    starts_on: null,
    review_on: null,
    tag: 'ai-rollout',
    teams: [],
    people: [],
    created_at: now.toISOString(),
  },
];

export type FakeOptions = {
  status?: AppStatus['state'];
  /** The linked calendar files `linked_calendars` answers (changed by link and unlink). */
  calendars?: LinkedCalendar[];
  demo?: boolean;
  /** Total timeline entries (paged by the filter's limit). */
  timelineTotal?: number;
  /** Commands that fail with this error. */
  failures?: Record<string, { code: string; message: string }>;
  searchHits?: SearchHit[];
  /** What the file dialogs answer, in order; a dialog past the end is cancelled (null). */
  picks?: (string | null)[];
  /** What a picked import file is. */
  incoming?: IncomingKind;
  /** The picked export would change records already here: `import_file` waits for confirmation. */
  importChanges?: boolean;
  /** What `import_file` answers instead of the coach review (a calendar's summary, say). */
  importOutcome?: ImportOutcome;
  /** Comments from a coach already imported. */
  coachComments?: CoachComment[];
  /** Ada's balance explained by this many events instead of the four of `adaReport`. */
  personEvents?: number;
  /** `rekey_journal` reports its first step, then waits for this before finishing. */
  rekeyGate?: Promise<unknown>;
  /** The unsaved form the journal keeps (read and written by the form-draft commands). */
  formDraft?: { current: FormDraft | null };
  /** The initiatives `initiatives` answers (none when left out). */
  initiatives?: Initiative[];
  /** The meeting of the reminder clicked last, as the shell keeps it (taken once, unlocked). */
  reminderOpen?: { current: string | null };
  /** Change initiatives kept and answered in full by `initiativeFake()`, before anything else. */
  initiativeFake?: InitiativeFake;
};

export const BARBARA = '01900000-0000-7000-8000-00000000a004';
export const TRASHED_TP = '01900000-0000-7000-8000-00000000b003';

/** The trash: Barbara (trashed 2 days ago, with 12 entries and 3 shared reflections) and one
 *  retro with Grace (trashed 5 days ago). */
export function trashFixture(): Trash {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
  const after = (daysAgo: number) => new Date(at(daysAgo).getTime() + 30 * 86_400_000);
  return {
    people: [
      {
        person: { id: BARBARA, name: 'Barbara Liskov' },
        trashed_at: at(2).toISOString(),
        erase_after: after(2).toISOString(),
        entries: 12,
        reflections: 3,
      },
    ],
    entries: [
      {
        entry: {
          ...tp1,
          id: TRASHED_TP,
          kind: 'team_meeting',
          title: 'Sprint retro',
          participants: [GRACE],
          occurred_at: '2025-03-01T10:00:00+01:00',
        },
        people: [{ id: GRACE, name: 'Grace Hopper' }],
        trashed_at: at(5).toISOString(),
        erase_after: after(5).toISOString(),
        reflections: 2,
      },
    ],
  };
}

export const LEADER_KEY = 'age1leaderpublickeyqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';
export const COACH_KEY = 'age1coachpublickeyqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';

const none = { added: 0, updated: 0, unchanged: 0 };

const REVIEW_INITIATIVE = '0190a000-0000-7000-8000-0000000000f1';

/** The initiative a coach opens in review mode: one open concern of Ada's, one win. */
const reviewInitiative: ReviewInitiative = {
  initiative: {
    id: REVIEW_INITIATIVE,
    name: 'Copilot roll-out',
    purpose: 'Faster code reviews',
    status: 'running',
    starts_on: '2026-10-01',
    review_on: null,
    tag: 'ai-rollout',
    teams: [],
    people: [],
    created_at: '2026-10-01T09:00:00+02:00',
    touchpoints: [TP1],
    statements: [
      {
        id: 's-1',
        side: 'does',
        text: 'Drafts review comments',
        said_on: '2026-10-01',
        withdrawn_on: null,
        history: [],
      },
      {
        id: 's-2',
        side: 'does_not',
        text: 'Never rates anyone',
        said_on: '2026-10-01',
        withdrawn_on: null,
        history: [],
      },
    ],
    guidelines: [],
    outcomes: [
      {
        id: 'o-1',
        kind: 'win',
        happened_on: '2026-10-12',
        what: 'Reviews took half the time',
        lesson: 'Start small',
        people: [],
        touchpoints: [],
      },
    ],
    concerns: [],
    plan: [],
    measures: [],
  },
  people: [],
  open_concerns: [
    {
      id: 'c-1',
      kind: 'replacement',
      person_id: people[0]!.id,
      touchpoint_id: null,
      text: 'Ada fears the tool replaces her',
      raised_at: '2026-10-05T10:00:00+02:00',
      answer: null,
      answered_at: null,
    },
  ],
  balance: adaReport,
};

/** Another journal's export with the same ids and other ratings, as `preview_import` shows it. */
export const importChanges: ImportPreview = {
  kind: 'touchpoint_json',
  document: 'export',
  counts: {
    people: { added: 0, updated: 0, unchanged: 1 },
    touchpoints: { added: 1, updated: 1, unchanged: 0 },
    reflections: { added: 0, updated: 1, unchanged: 0 },
    commitments: none,
    topics: none,
    annotations: none,
    initiatives: none,
  },
  changes: [
    { kind: 'touchpoint', id: 'tp-1', label: 'Weekly one-on-one' },
    { kind: 'reflection', id: 'r-1', label: 'reflection on Weekly one-on-one' },
  ],
  needs_confirmation: true,
  records: 0,
  reviewer: null,
  reviewer_fingerprint: null,
  missing_targets: 0,
  skipped_events: [],
  notes: [],
};

/** An export opened for review: one person, one entry (the fixtures' Ada and TP1). */
export function reviewInfo(comments = 0, reviewer = ''): ReviewInfo {
  return {
    exported_at: now.toISOString(),
    sender_public_key: LEADER_KEY,
    own_export: false,
    pseudonymised: false,
    people: 1,
    touchpoints: 1,
    comments,
    reviewer,
  };
}

/** A linked calendar file as the shell answers it, synced fine with one meeting added. */
export function linkedCalendar(overrides: Partial<LinkedCalendar> = {}): LinkedCalendar {
  return {
    path: '/home/leader/Calendars/work.ics',
    linked_at: iso(3),
    synced_at: iso(0),
    status: 'ok',
    message: '',
    last_import: {
      added: 1,
      updated: 0,
      unchanged: 4,
      removed: 0,
      skipped: 0,
      unmatched_attendees: [],
      skipped_events: [],
      notes: [],
    },
    ...overrides,
  };
}

/** Installs the fake shell and returns the list of calls it receives. */
/**
 * A stand-in for the core's passphrase rule, with the core's answer shape: long enough is
 * acceptable, except a run of one repeated character and "password…", which the fake refuses
 * whatever their length, so tests can tell the UI follows the core's verdict and not a length
 * rule of its own.
 */
export function fakeStrength(p: string): PassphraseStrength {
  if (/^(.)\1*$/u.test(p) || p.toLowerCase().startsWith('password')) {
    return {
      score: 0,
      min_score: 3,
      acceptable: false,
      reason: p.startsWith('password')
        ? 'This is a top-10 common password.'
        : 'Repeats like "aaa" are easy to guess.',
      suggestion: 'Add another word or two. Uncommon words are better.',
    };
  }
  const score = Math.min(4, Math.floor(p.length / 5));
  return {
    score,
    min_score: 3,
    acceptable: score >= 3,
    reason:
      score >= 3
        ? 'Strong enough.'
        : 'Too easy to guess: it is likely among the first million guesses.',
    suggestion: score >= 3 ? null : 'Add another word or two. Uncommon words are better.',
  };
}

export function installFakeBackend(options: FakeOptions = {}): Call[] {
  const calls: Call[] = [];
  let state: AppStatus['state'] = options.status ?? 'unlocked';
  const total = options.timelineTotal ?? 30;
  const touchpoints = new Map<string, Touchpoint>([[TP1, tp1]]);
  const picks = [...(options.picks ?? [])];
  let calendars = [...(options.calendars ?? [])];
  let review: { info: ReviewInfo; notes: Annotation[] } | null = null;
  // The shell keeps the name a review was last signed with in the journal.
  let reviewer = '';
  let backupsRemoved = false;
  const bin = trashFixture();
  const initiatives = options.initiatives ?? [];
  // Which initiatives each entry is linked to, as the core keeps them.
  const links = new Map<string, string[]>();
  const linkedTo = (tp: string) => initiatives.filter((i) => (links.get(tp) ?? []).includes(i.id));
  const setsFor = (kind: string, tags: string[]) => {
    const kindSet =
      builtinSets.find((s) => s.scope.type === 'kind' && s.scope.kind === kind) ?? builtinSets[0]!;
    const tagSets = builtinSets.filter((s) => s.scope.type === 'tag' && tags.includes(s.scope.tag));
    return [kindSet, ...tagSets];
  };
  const status = (): AppStatus => ({
    state,
    journal_dir: '/home/leader/.local/share/touchpoint/journal',
    demo: options.demo ?? false,
    auto_lock_minutes: 10,
  });

  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const failure = options.failures?.[cmd];
      if (failure) throw failure;
      const initiative = options.initiativeFake
        ? options.initiativeFake.answer(cmd, args)
        : NOT_MINE;
      if (initiative !== NOT_MINE) return initiative;
      switch (cmd) {
        case 'app_status':
          return status();
        case 'passphrase_strength':
          return fakeStrength(String(args.passphrase ?? ''));
        case 'create_journal':
          state = 'unlocked';
          return RECOVERY_CODE;
        case 'choose_journal':
          state = 'locked';
          return status();
        case 'create_demo_journal':
          state = 'unlocked';
          options.demo = true;
          return { people: 12, touchpoints: 300, reflections: 280, commitments: 40, topics: 10 };
        case 'unlock':
        case 'recover':
          state = 'unlocked';
          return status();
        case 'lock':
          state = 'locked';
          return status();
        case 'today':
          return today;
        case 'overview':
          return overview;
        case 'people':
          return people;
        case 'teams':
          return teams;
        case 'add_person': {
          const p = args.person as Person;
          return {
            ...p,
            id: `new-${p.name}`,
            group: p.group ?? 'direct_report',
            archived: false,
            created_at: now.toISOString(),
          };
        }
        case 'person_overview':
          return overview.find((o) => o.person.id === args.id) ?? overview[0];
        case 'balance_summary':
          return summaryOf(adaReport);
        case 'balance':
          return options.personEvents === undefined ? adaReport : manyEvents(options.personEvents);
        case 'add_touchpoint': {
          const t = touchpointFrom(NEW_TP, args.touchpoint as NewTouchpoint);
          const ids = (args.initiatives as string[] | undefined) ?? [];
          const found = ids.map((id) => initiatives.find((i) => i.id === id));
          if (found.some((i) => !i)) {
            throw { code: 'not_found', message: 'No initiative with that id.' };
          }
          for (const i of found) if (i?.tag && !t.tags.includes(i.tag)) t.tags = [...t.tags, i.tag];
          links.set(NEW_TP, ids);
          touchpoints.set(NEW_TP, t);
          return t;
        }
        case 'update_touchpoint':
          return args.touchpoint;
        case 'touchpoint_detail': {
          const t = touchpoints.get(String(args.id)) ?? { ...tp1, id: String(args.id) };
          const detail: TouchpointDetail = {
            touchpoint: t,
            participant_names: t.participants.map(
              (id) => people.find((p) => p.id === id)?.name ?? 'Unknown',
            ),
            reflections: t.id === TP1 ? [adaReflection] : [],
            commitments: [],
            topics: [],
          };
          return detail;
        }
        case 'save_reflection': {
          const form = args.form as ReflectionForm;
          return {
            reflections: form.people.map((p) => ({
              ...p.reflection,
              id: `r-${p.reflection.person_id}`,
              created_at: now.toISOString(),
            })),
            commitments: [],
            topics: [],
          };
        }
        case 'prompts_for':
          return setsFor(args.kind as string, (args.tags as string[]) ?? []);
        case 'prompts_for_touchpoint': {
          const id = String(args.touchpointId);
          const t = touchpoints.get(id) ?? { ...tp1, id };
          const extra = linkedTo(id).flatMap((i) => (i.tag ? [i.tag] : []));
          return setsFor(t.kind, [...t.tags, ...extra]);
        }
        case 'recalibrate_prompts':
          return builtinSets.find((s) => s.scope.type === 'recalibrate') ?? null;
        case 'commitments':
          return openCommitments;
        case 'add_commitment':
          return { ...openCommitments[0]!, id: 'c-new', what: args.what, due: args.due };
        case 'resolve_commitment':
          return { ...openCommitments[0]!, status: args.status, resolved_at: now.toISOString() };
        case 'topics':
          return openTopics;
        case 'add_topic':
          return { ...openTopics[0]!, id: 't-new', text: args.text };
        case 'close_topic':
          return { ...openTopics[0]!, closed_at: now.toISOString() };
        case 'timeline': {
          const f = args.filter as TimelineFilter;
          const limit = f.limit ?? 50;
          const start = f.after
            ? Math.round((now.getTime() - f.after.occurred_ms) / 3_600_000) + 1
            : 0;
          const out: TimelineItem[] = [];
          for (let i = start; i < Math.min(total, start + limit); i++)
            out.push(i === 0 ? item(0, { id: TP1, title: 'Weekly one-on-one' }) : item(i));
          return out;
        }
        case 'search':
          return options.searchHits ?? [];
        case 'form_draft':
          return options.formDraft?.current ?? null;
        case 'save_form_draft':
        case 'discard_form_draft':
        case 'note_activity':
          if (state !== 'unlocked') throw { code: 'journal_locked', message: 'locked' };
          if (options.formDraft && cmd !== 'note_activity')
            options.formDraft.current =
              cmd === 'save_form_draft' ? (args.draft as FormDraft) : null;
          return null;
        case 'take_reminder_open': {
          if (state !== 'unlocked') throw { code: 'journal_locked', message: 'locked' };
          const id = options.reminderOpen?.current ?? null;
          if (options.reminderOpen) options.reminderOpen.current = null;
          return id;
        }
        case 'tags':
          return [['ai-rollout', 3]];
        case 'prompt_sets':
          return builtinSets;
        case 'save_prompt_set': {
          const s = args.set as PromptSet;
          return s.builtin
            ? { ...s, id: '01900000-0000-7000-8000-00000000c001', builtin: false }
            : s;
        }
        case 'delete_prompt_set':
        case 'reorder_prompt_sets':
        case 'export_prompt_sets':
        case 'change_passphrase':
        case 'trash_person':
        case 'trash_touchpoint':
          return null;
        case 'trash':
          return structuredClone(bin);
        case 'restore_person':
          bin.people = bin.people.filter((p) => p.person.id !== args.id);
          return null;
        case 'restore_touchpoint':
          bin.entries = bin.entries.filter((e) => e.entry.id !== args.id);
          return null;
        case 'erase_person': {
          const p = bin.people.find((x) => x.person.id === args.id);
          bin.people = bin.people.filter((x) => x.person.id !== args.id);
          return { people: 1, entries: p?.entries ?? 0, reflections: p?.reflections ?? 0 };
        }
        case 'erase_touchpoint': {
          const e = bin.entries.find((x) => x.entry.id === args.id);
          bin.entries = bin.entries.filter((x) => x.entry.id !== args.id);
          return { people: 0, entries: 1, reflections: e?.reflections ?? 0 };
        }
        case 'empty_trash': {
          const erased = {
            people: bin.people.length,
            entries: bin.entries.length + bin.people.reduce((n, p) => n + p.entries, 0),
            reflections:
              bin.people.reduce((n, p) => n + p.reflections, 0) +
              bin.entries.reduce((n, e) => n + e.reflections, 0),
          };
          bin.people = [];
          bin.entries = [];
          return erased;
        }
        case 'import_prompt_sets':
          return [builtinSets[0]];
        case 'settings':
          return settings;
        case 'update_settings':
          return args.settings;
        case 'new_recovery_code':
          return RECOVERY_CODE;
        case 'backups':
          return backupsRemoved
            ? []
            : [{ path: '/backups/journal-2025-03-09.db', made_at: iso(1), bytes: 204800 }];
        case 'rekey_journal':
          return (async () => {
            const channel = args.onProgress as { onmessage?: (p: RekeyProgress) => void };
            const [first, ...rest] = REKEY_STEPS;
            channel.onmessage?.(first!);
            await options.rekeyGate;
            for (const p of rest) channel.onmessage?.(p);
            if (args.oldBackups === 'remove') backupsRemoved = true;
            return REKEY_CODE;
          })();
        case 'backup_now':
          return {
            path: '/backups/journal-2025-03-10.db',
            made_at: now.toISOString(),
            bytes: 204900,
          };
        case 'restore_backup':
          state = 'locked';
          return status();
        case 'pick_path':
          return picks.shift() ?? null;
        case 'linked_calendars':
        case 'sync_calendars':
          return calendars;
        case 'link_calendar': {
          const linked = linkedCalendar({ path: String(args.path), linked_at: iso(0) });
          calendars = [...calendars.filter((c) => c.path !== linked.path), linked];
          return linked;
        }
        case 'unlink_calendar':
          calendars = calendars.filter((c) => c.path !== String(args.path));
          return null;
        case 'public_key':
          return LEADER_KEY;
        case 'check_public_key':
          return String(args.key).trim();
        case 'export_journal': {
          const channel = args.onProgress as { onmessage?: (p: unknown) => void } | undefined;
          channel?.onmessage?.({ done: 1, total: 1, stage: 'writing' });
          const request = args.request as ExportRequest;
          return {
            format: request.format,
            files: [request.path],
            bytes: 4096,
            people: 1,
            touchpoints: 1,
            reflections: 1,
            commitments: 0,
            topics: 0,
            annotations: 0,
            pseudonymised: request.options.pseudonymise,
          };
        }
        case 'inspect_import':
          return { kind: options.incoming ?? 'key_bundle', bytes: 2048 };
        case 'preview_import':
          return importChanges;
        case 'import_file':
          if (options.importChanges) {
            if (!args.confirmed) {
              throw {
                code: 'needs_confirmation',
                message: 'this import would change 2 record(s) already in the journal',
              };
            }
            return { kind: 'export', ...importChanges.counts };
          }
          if (options.importOutcome) return options.importOutcome;
          return {
            kind: 'review',
            reviewer: 'Coach Kim',
            reviewer_fingerprint: 'ab12-cd34-ef56-7890',
            export_id: '0b7e3c1c-7a40-4a43-9a0e-2f2d1f7f3a11',
            annotations: { added: 2, updated: 0, unchanged: 0 },
            missing_targets: 0,
          };
        case 'cancel_exchange':
          return null;
        case 'coach_comments':
          return options.coachComments ?? [];
        case 'annotations':
          return (options.coachComments ?? [])
            .filter((c) => c.touchpoint_id === args.touchpointId)
            .map((c) => ({ ...c.annotation, source: c.source }));
        case 'open_review':
          review = { info: reviewInfo(0, reviewer), notes: [] };
          return review.info;
        case 'review_info':
          return review ? { ...review.info, comments: review.notes.length } : null;
        case 'review_people':
          return [
            {
              person: people[0],
              balance: -2,
              willingness: 1,
              ability: -3,
              trend_30d: -2,
              trend_90d: -2,
              slipping: false,
              touchpoints: 1,
              open_commitments: 0,
            },
          ];
        case 'review_initiatives':
          return [
            {
              id: REVIEW_INITIATIVE,
              name: 'Copilot roll-out',
              purpose: 'Faster code reviews',
              status: 'running',
              entries: 1,
              open_concerns: 1,
              wins: 1,
              setbacks: 0,
            },
          ];
        case 'review_initiative':
          return reviewInitiative;
        case 'review_timeline':
          return [item(0, { id: TP1, title: 'Weekly one-on-one' })];
        case 'review_balance':
          return adaReport;
        case 'review_entry': {
          const notes = review?.notes ?? [];
          return {
            detail: {
              touchpoint: tp1,
              participant_names: ['Ada Lovelace'],
              reflections: [adaReflection],
              commitments: [],
              topics: [],
            },
            annotations: notes,
            editable: notes.map((n) => n.id),
          };
        }
        case 'annotate': {
          const note: Annotation = {
            id: `note-${review?.notes.length ?? 0}`,
            target_id: String(args.targetId),
            author: '',
            text: String(args.text),
            created_at: now.toISOString(),
          };
          review?.notes.push(note);
          return note;
        }
        case 'export_review':
          reviewer = String(args.author).trim();
          return String(args.path);
        case 'close_review':
          review = null;
          return null;
        case 'initiatives':
          return initiatives;
        case 'initiatives_of_touchpoint':
          return linkedTo(String(args.touchpointId));
        case 'link_initiative': {
          const tp = String(args.touchpointId);
          links.set(tp, [...(links.get(tp) ?? []), String(args.id)]);
          return null;
        }
        case 'unlink_initiative': {
          const tp = String(args.touchpointId);
          links.set(
            tp,
            (links.get(tp) ?? []).filter((i) => i !== args.id),
          );
          return null;
        }
        case 'add_concern': {
          const person = people.find((p) => p.id === args.personId);
          const concern: Concern = {
            id: 'concern-new',
            kind: args.kind as ConcernKind,
            person: { id: String(args.personId), name: person?.name ?? 'Unknown' },
            touchpoint_id: (args.touchpointId as string | null) ?? null,
            text: String(args.text),
            raised_at: now.toISOString(),
            answered: false,
            answer: null,
            answered_at: null,
          };
          return concern;
        }
        case 'initiative_nudges':
          return [];
        default:
          throw { code: 'internal', message: `fake backend: unknown command ${cmd}` };
      }
    },
    { shouldMockEvents: true },
  );
  return calls;
}

/** Each side of every reflection form saved, in order. */
export function savedSides(calls: Call[]): ReflectionForm['people'] {
  return callsTo(calls, 'save_reflection').flatMap((c) => (c.args.form as ReflectionForm).people);
}

/** The calls made to one command. */
export function callsTo(calls: Call[], cmd: string): Call[] {
  return calls.filter((c) => c.cmd === cmd);
}
