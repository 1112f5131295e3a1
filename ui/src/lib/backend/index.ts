// The only door to the Tauri shell: one typed function per IPC command (docs/ipc.md),
// the `journal-locked` and `reminder-clicked` events, and the file dialogs. Screens import this module and
// never `@tauri-apps/*` directly, so tests can swap the shell for a fake one.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  Annotation,
  AppStatus,
  Cadence,
  Concern,
  ConcernKind,
  Guideline,
  Initiative,
  InitiativeNudge,
  InitiativePage,
  InitiativeStatus,
  Measure,
  NewInitiative,
  NewMeasure,
  NewOutcome,
  Outcome,
  OutcomeKind,
  PlanStep,
  PlanStepState,
  Statement,
  StatementSide,
  TeamPageFormat,
  BackupInfo,
  BalanceReport,
  BalanceSummary,
  CoachComment,
  CoachNote,
  Commitment,
  CommitmentStatus,
  DemoSummary,
  Erased,
  Dimension,
  ErrorCode,
  ExportRequest,
  ExportSummary,
  FormDraft,
  ImportOutcome,
  ImportPreview,
  IncomingFile,
  LinkedCalendar,
  NewPerson,
  NewTouchpoint,
  OldBackups,
  OpenTopic,
  PassphraseStrength,
  Person,
  PersonOverview,
  PickFilter,
  PickKind,
  Progress,
  PromptSet,
  ReflectionForm,
  RekeyProgress,
  ReviewEntry,
  ReviewInfo,
  ReviewInitiative,
  ReviewInitiativeSummary,
  ReviewPerson,
  SavedReflection,
  Scope,
  SearchHit,
  SearchMode,
  Settings,
  Team,
  TimelineFilter,
  TimelineItem,
  Today,
  Touchpoint,
  TouchpointDetail,
  Trash,
  TouchpointKind,
} from './types';

export type * from './types';

const CODES: readonly ErrorCode[] = [
  'wrong_passphrase',
  'journal_locked',
  'journal_damaged',
  'journal_in_use',
  'invalid_input',
  'not_found',
  'newer_format',
  'disk_full',
  'no_journal',
  'already_exists',
  'wrong_key',
  'needs_passphrase',
  'file_damaged',
  'not_touchpoint',
  'cancelled',
  'review_not_encrypted',
  'review_unknown_export',
  'review_conflict',
  'needs_confirmation',
  'internal',
];

/** A command's failure, as the shell reported it: screens branch on `code`. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }

  /** Turns whatever a rejected `invoke` gave into a BackendError. */
  static from(raw: unknown): BackendError {
    if (raw instanceof BackendError) return raw;
    if (typeof raw === 'object' && raw !== null && 'code' in raw) {
      const { code, message } = raw as { code: unknown; message?: unknown };
      const known = CODES.includes(code as ErrorCode) ? (code as ErrorCode) : 'internal';
      return new BackendError(known, typeof message === 'string' ? message : String(code));
    }
    if (raw instanceof Error) return new BackendError('internal', raw.message);
    return new BackendError('internal', typeof raw === 'string' ? raw : 'Something went wrong.');
  }
}

/** True when `e` is a BackendError with one of the given codes. */
export function isCode(e: unknown, ...codes: ErrorCode[]): e is BackendError {
  return e instanceof BackendError && codes.includes(e.code);
}

type LockListener = (status: AppStatus | null) => void;
const lockListeners = new Set<LockListener>();

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    const err = BackendError.from(raw);
    // The idle timer may have fired while the event was missed: treat it the same way.
    if (err.code === 'journal_locked') for (const l of lockListeners) l(null);
    throw err;
  }
}

/**
 * Calls `cb` when the journal locks: on the shell's `journal-locked` event (payload
 * AppStatus) and when any command answers `journal_locked`. Returns the unsubscribe.
 */
export function onLocked(cb: LockListener): () => void {
  lockListeners.add(cb);
  let unlisten: UnlistenFn | null = null;
  let dropped = false;
  listen<AppStatus>('journal-locked', (e) => cb(e.payload))
    .then((u) => {
      if (dropped) u();
      else unlisten = u;
    })
    .catch(() => {
      /* no event bridge (plain browser): the error path above still works */
    });
  return () => {
    dropped = true;
    lockListeners.delete(cb);
    unlisten?.();
  };
}

/**
 * Calls `cb` when the leader clicks a reminder notification (the shell's `reminder-clicked`
 * event, which carries nothing: ask `takeReminderOpen` which meeting). Returns the unsubscribe.
 */
export function onReminderClicked(cb: () => void): () => void {
  let unlisten: UnlistenFn | null = null;
  let dropped = false;
  listen('reminder-clicked', () => cb())
    .then((u) => {
      if (dropped) quietly(u);
      else unlisten = u;
    })
    .catch(() => {
      /* no event bridge (plain browser): no reminders either */
    });
  return () => {
    dropped = true;
    if (unlisten) quietly(unlisten);
  };
}

/** Stops listening; an event bridge already gone (the window closing) is no failure. */
function quietly(unlisten: UnlistenFn) {
  try {
    const done: unknown = unlisten();
    if (done instanceof Promise) done.catch(() => {});
  } catch {
    /* nothing left to stop */
  }
}

// ---- Session (work while locked) ----

export const appStatus = () => call<AppStatus>('app_status');
export const passphraseStrength = (passphrase: string) =>
  call<PassphraseStrength>('passphrase_strength', { passphrase });
export const createJournal = (dir: string | null, passphrase: string) =>
  call<string>('create_journal', { dir, passphrase });
export const chooseJournal = (dir: string) => call<AppStatus>('choose_journal', { dir });
export const createDemoJournal = () => call<DemoSummary>('create_demo_journal');
export const unlock = (passphrase: string) => call<AppStatus>('unlock', { passphrase });
export const recover = (code: string, newPassphrase: string) =>
  call<AppStatus>('recover', { code, newPassphrase });
export const lock = () => call<AppStatus>('lock');

// ---- Journal ----

export const today = () => call<Today>('today');
export const overview = () => call<PersonOverview[]>('overview');
export const people = (includeArchived = false) => call<Person[]>('people', { includeArchived });
export const teams = () => call<Team[]>('teams');
export const addPerson = (person: NewPerson) => call<Person>('add_person', { person });
export const updatePerson = (person: Person) => call<Person>('update_person', { person });
export const trashPerson = (id: string) => call<null>('trash_person', { id });
export const erasePerson = (id: string) => call<Erased>('erase_person', { id });
export const personOverview = (id: string) => call<PersonOverview>('person_overview', { id });
export const balance = (scope: Scope) => call<BalanceReport>('balance', { scope });
/** A balance's numbers only: for lists of balances, which show no explanation. */
export const balanceSummary = (scope: Scope) => call<BalanceSummary>('balance_summary', { scope });
/** Logs a touchpoint; with `initiatives` (ids) it is linked to them in the same write. */
export const addTouchpoint = (touchpoint: NewTouchpoint, initiatives: string[] = []) =>
  call<Touchpoint>('add_touchpoint', { touchpoint, initiatives });
export const updateTouchpoint = (touchpoint: Touchpoint) =>
  call<Touchpoint>('update_touchpoint', { touchpoint });
export const touchpointDetail = (id: string) => call<TouchpointDetail>('touchpoint_detail', { id });
export const trashTouchpoint = (id: string) => call<null>('trash_touchpoint', { id });
export const saveReflection = (form: ReflectionForm) =>
  call<SavedReflection>('save_reflection', { form });

export const trash = () => call<Trash>('trash');
export const restorePerson = (id: string) => call<null>('restore_person', { id });
export const restoreTouchpoint = (id: string) => call<null>('restore_touchpoint', { id });
export const eraseTouchpoint = (id: string) => call<Erased>('erase_touchpoint', { id });
export const emptyTrash = () => call<Erased>('empty_trash');
export const promptsFor = (kind: TouchpointKind, tags: string[]) =>
  call<PromptSet[]>('prompts_for', { kind, tags });
export const recalibratePrompts = (dimension: Dimension) =>
  call<PromptSet | null>('recalibrate_prompts', { dimension });
export const commitments = (personId: string | null, openOnly: boolean) =>
  call<Commitment[]>('commitments', { personId, openOnly });
export const addCommitment = (
  personId: string,
  what: string,
  due: string | null,
  touchpointId: string | null,
) => call<Commitment>('add_commitment', { personId, what, due, touchpointId });
export const resolveCommitment = (id: string, status: CommitmentStatus) =>
  call<Commitment>('resolve_commitment', { id, status });
export const topics = (personId: string | null, openOnly: boolean) =>
  call<OpenTopic[]>('topics', { personId, openOnly });
export const addTopic = (personId: string, text: string, touchpointId: string | null) =>
  call<OpenTopic>('add_topic', { personId, text, touchpointId });
export const closeTopic = (id: string, closed: boolean) =>
  call<OpenTopic>('close_topic', { id, closed });
export const timeline = (filter: TimelineFilter) => call<TimelineItem[]>('timeline', { filter });
export const search = (query: string, mode: SearchMode, limit: number) =>
  call<SearchHit[]>('search', { query, mode, limit });
export const tags = () => call<[string, number][]>('tags');
export const formDraft = () => call<FormDraft | null>('form_draft');
export const saveFormDraft = (draft: FormDraft) => call<null>('save_form_draft', { draft });
export const discardFormDraft = () => call<null>('discard_form_draft');
/** The meeting whose reminder was clicked, taken so it opens once; null when none (or gone). */
export const takeReminderOpen = () => call<string | null>('take_reminder_open');
export const noteActivity = () => call<null>('note_activity');
export const promptSets = () => call<PromptSet[]>('prompt_sets');
export const savePromptSet = (set: PromptSet) => call<PromptSet>('save_prompt_set', { set });
export const deletePromptSet = (id: string) => call<null>('delete_prompt_set', { id });
export const reorderPromptSets = (ids: string[]) => call<null>('reorder_prompt_sets', { ids });
export const importPromptSets = (path: string) => call<PromptSet[]>('import_prompt_sets', { path });
export const exportPromptSets = (path: string, includeBuiltin: boolean) =>
  call<null>('export_prompt_sets', { path, includeBuiltin });
export const settings = () => call<Settings>('settings');
export const updateSettings = (s: Settings) => call<Settings>('update_settings', { settings: s });
export const changePassphrase = (current: string, next: string) =>
  call<null>('change_passphrase', { current, new: next });
export const newRecoveryCode = (current: string) => call<string>('new_recovery_code', { current });
/**
 * Re-encrypts the journal under a new data key, reporting each step to `onProgress`;
 * answers the new recovery code, to show once. The passphrase stays the same.
 */
export const rekeyJournal = (
  current: string,
  oldBackups: OldBackups,
  onProgress: (p: RekeyProgress) => void,
) =>
  call<string>('rekey_journal', {
    current,
    oldBackups,
    onProgress: progressChannel<RekeyProgress>(onProgress),
  });
export const backups = () => call<BackupInfo[]>('backups');
export const backupNow = () => call<BackupInfo>('backup_now');
export const restoreBackup = (path: string, passphrase: string) =>
  call<AppStatus>('restore_backup', { path, passphrase });

// ---- The coach exchange, leader's side ----

export const publicKey = () => call<string>('public_key');
export const checkPublicKey = (key: string) => call<string>('check_public_key', { key });

/** Wraps a progress callback in the channel the shell reports on. */
function progressChannel<P = Progress>(onProgress: (p: P) => void): Channel<P> {
  const channel = new Channel<P>();
  channel.onmessage = onProgress;
  return channel;
}

export const exportJournal = (
  request: ExportRequest,
  passphrase: string | null,
  onProgress: (p: Progress) => void,
) =>
  call<ExportSummary>('export_journal', {
    request,
    passphrase,
    onProgress: progressChannel(onProgress),
  });
export const inspectImport = (path: string) => call<IncomingFile>('inspect_import', { path });
export type ImportOptions = {
  passphrase?: string | null;
  from?: string | null;
  to?: string | null;
};
/** What importing would do (the core's plan), changing nothing. */
export const previewImport = (
  path: string,
  options: ImportOptions,
  onProgress: (p: Progress) => void,
) =>
  call<ImportPreview>('preview_import', {
    path,
    passphrase: options.passphrase ?? null,
    from: options.from ?? null,
    to: options.to ?? null,
    onProgress: progressChannel(onProgress),
  });
/** Imports; one that would change existing records fails `needs_confirmation` unless confirmed. */
export const importFile = (
  path: string,
  options: ImportOptions & { confirmed?: boolean },
  onProgress: (p: Progress) => void,
) =>
  call<ImportOutcome>('import_file', {
    path,
    passphrase: options.passphrase ?? null,
    from: options.from ?? null,
    to: options.to ?? null,
    confirmed: options.confirmed ?? false,
    onProgress: progressChannel(onProgress),
  });
export const cancelExchange = () => call<null>('cancel_exchange');
export const coachComments = () => call<CoachComment[]>('coach_comments');
export const annotations = (touchpointId: string) =>
  call<CoachNote[]>('annotations', { touchpointId });

// ---- Linked calendar files (kept current by the shell at unlock and on change) ----

export const linkedCalendars = () => call<LinkedCalendar[]>('linked_calendars');
/** Links a file picked with `pickFile` and imports it at once. */
export const linkCalendar = (path: string) => call<LinkedCalendar>('link_calendar', { path });
export const unlinkCalendar = (path: string) => call<null>('unlink_calendar', { path });
export const syncCalendars = () => call<LinkedCalendar[]>('sync_calendars');

/**
 * Calls `cb` with every linked file after the shell synced them in the background (at
 * unlock, or when a linked file changed on disk). Returns the unsubscribe.
 */
export function onCalendarsSynced(cb: (list: LinkedCalendar[]) => void): () => void {
  let unlisten: UnlistenFn | null = null;
  let dropped = false;
  // Tauri's unlisten answers a promise; a bridge gone already (the window closing) is fine.
  const drop = (u: UnlistenFn) => {
    void Promise.resolve()
      .then(() => u() as unknown)
      .catch(() => {});
  };
  listen<LinkedCalendar[]>('calendars-synced', (e) => cb(e.payload))
    .then((u) => {
      if (dropped) drop(u);
      else unlisten = u;
    })
    .catch(() => {
      /* no event bridge (plain browser) */
    });
  return () => {
    dropped = true;
    if (unlisten) drop(unlisten);
  };
}

/** The filter for calendar files. */
export const ICS_FILTER = [{ name: 'Calendar (.ics)', extensions: ['ics'] }];

// ---- Review mode, coach's side (someone else's export, in memory only) ----

export const openReview = (path: string, passphrase: string | null) =>
  call<ReviewInfo>('open_review', { path, passphrase });
export const reviewInfo = () => call<ReviewInfo | null>('review_info');
export const reviewPeople = () => call<ReviewPerson[]>('review_people');
export const reviewInitiatives = () => call<ReviewInitiativeSummary[]>('review_initiatives');
export const reviewInitiative = (id: string) => call<ReviewInitiative>('review_initiative', { id });
export const reviewTimeline = (personId: string | null) =>
  call<TimelineItem[]>('review_timeline', { personId });
export const reviewEntry = (id: string) => call<ReviewEntry>('review_entry', { id });
export const reviewBalance = (personId: string) =>
  call<BalanceReport>('review_balance', { personId });
export const annotate = (targetId: string, text: string) =>
  call<Annotation>('annotate', { targetId, text });
export const editAnnotation = (id: string, text: string) =>
  call<Annotation>('edit_annotation', { id, text });
export const removeAnnotation = (id: string) => call<null>('remove_annotation', { id });
export const exportReview = (path: string, author: string) =>
  call<string>('export_review', { path, author });
export const closeReview = () => call<null>('close_review');

// ---- Change initiatives ----

export const initiatives = () => call<Initiative[]>('initiatives');
export const initiativePage = (id: string) => call<InitiativePage>('initiative_page', { id });
/** The initiative's balance for a person, team or group, or everyone with `null`. */
export const initiativeBalance = (id: string, scope: Scope | null) =>
  call<BalanceReport>('initiative_balance', { id, scope });
/** Today's initiative nudges. */
export const initiativeNudges = () => call<InitiativeNudge[]>('initiative_nudges');
export const initiativesOfTouchpoint = (touchpointId: string) =>
  call<Initiative[]>('initiatives_of_touchpoint', { touchpointId });
/** The prompt sets an entry's reflection asks, its linked initiatives' included. */
export const promptsForTouchpoint = (touchpointId: string) =>
  call<PromptSet[]>('prompts_for_touchpoint', { touchpointId });
export const addInitiative = (initiative: NewInitiative) =>
  call<Initiative>('add_initiative', { initiative });
export const updateInitiative = (initiative: Initiative) =>
  call<Initiative>('update_initiative', { initiative });
export const setInitiativeStatus = (id: string, status: InitiativeStatus) =>
  call<Initiative>('set_initiative_status', { id, status });
export const deleteInitiative = (id: string) => call<null>('delete_initiative', { id });
export const linkInitiative = (id: string, touchpointId: string) =>
  call<null>('link_initiative', { id, touchpointId });
export const unlinkInitiative = (id: string, touchpointId: string) =>
  call<null>('unlink_initiative', { id, touchpointId });
export const addStatement = (
  id: string,
  side: StatementSide,
  text: string,
  saidOn: string | null,
) => call<Statement>('add_statement', { id, side, text, saidOn });
export const restateStatement = (statementId: string, text: string, saidOn: string | null) =>
  call<Statement>('restate_statement', { statementId, text, saidOn });
export const withdrawStatement = (statementId: string, on: string | null) =>
  call<Statement>('withdraw_statement', { statementId, on });
export const addGuideline = (
  id: string,
  text: string,
  shapedBy: string[],
  touchpointId: string | null,
  agreedOn: string | null,
) => call<Guideline>('add_guideline', { id, text, shapedBy, touchpointId, agreedOn });
export const addOutcome = (id: string, kind: OutcomeKind, outcome: NewOutcome) =>
  call<Outcome>('add_outcome', { id, kind, outcome });
export const addConcern = (
  id: string,
  kind: ConcernKind,
  personId: string,
  text: string,
  touchpointId: string | null,
) => call<Concern>('add_concern', { id, kind, personId, text, touchpointId });
export const answerConcern = (concernId: string, answer: string) =>
  call<Concern>('answer_concern', { concernId, answer });
export const reopenConcern = (concernId: string) => call<Concern>('reopen_concern', { concernId });
export const planStep = (
  id: string,
  step: PlanStep,
  cadence: Cadence | null,
  hoursPerMonth: number | null,
  since: string | null,
) => call<PlanStepState>('plan_step', { id, step, cadence, hoursPerMonth, since });
export const markStep = (id: string, step: PlanStep, touchpointId: string) =>
  call<null>('mark_step', { id, step, touchpointId });
export const unmarkStep = (id: string, step: PlanStep, touchpointId: string) =>
  call<null>('unmark_step', { id, step, touchpointId });
export const addMeasure = (id: string, measure: NewMeasure) =>
  call<Measure>('add_measure', { id, measure });
/** Writes the initiative's page for the team to a picked path. */
export const exportTeamPage = (id: string, format: TeamPageFormat, path: string) =>
  call<null>('export_team_page', { id, format, path });

// ---- File dialogs (the only way the UI names files; the shell shows them) ----

async function pick(
  kind: PickKind,
  title: string,
  fileName: string | null,
  filters: PickFilter[],
): Promise<string | null> {
  return call<string | null>('pick_path', { kind, title, fileName, filters });
}

/** Asks for a folder; null when cancelled. */
export async function pickFolder(title: string): Promise<string | null> {
  return pick('open_folder', title, null, []);
}

/** Asks for one existing file; null when cancelled. */
export async function pickFile(title: string, filters: PickFilter[] = []): Promise<string | null> {
  return pick('open_file', title, null, filters);
}

/** Asks where to save a file; null when cancelled. */
export async function pickSavePath(
  title: string,
  defaultPath: string,
  filters: PickFilter[] = [],
): Promise<string | null> {
  return pick('save_file', title, defaultPath, filters);
}

/** The filter for prompt set files. */
export const JSON_FILTER = [{ name: 'Prompt sets (JSON)', extensions: ['json'] }];
