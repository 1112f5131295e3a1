// Nothing typed is lost to an auto-lock: the form being typed (a capture or a reflection) is
// kept inside the journal a moment after typing stops, and typing or pointing counts as
// activity for the shell's idle clock, at most one call every few seconds.
import * as backend from './backend';
import type { FormDraft, FormKind } from './backend';

/** How long after the last change a form is kept. */
export const KEEP_AFTER_MS = 1000;
/** The shortest gap between two activity reports to the shell. */
export const ACTIVITY_EVERY_MS = 15_000;

let pending: FormDraft | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastReport = Number.NEGATIVE_INFINITY;

/**
 * The form changed: keep `state` as its draft once typing has paused. Saving it is a journal
 * call, which counts as activity too, so the journal cannot lock before the draft is in.
 */
export function keepDraft(
  form: FormKind,
  touchpointId: string | null,
  label: string,
  state: object,
): void {
  pending = {
    form,
    touchpoint_id: touchpointId,
    label,
    state: JSON.stringify(state),
    saved_at: new Date().toISOString(),
  };
  clearTimeout(timer);
  timer = setTimeout(() => void flushDraft(), KEEP_AFTER_MS);
}

/** Keeps the pending draft now: before a lock the leader asked for. */
export async function flushDraft(): Promise<void> {
  clearTimeout(timer);
  const draft = pending;
  pending = null;
  if (!draft) return;
  try {
    await backend.saveFormDraft(draft);
  } catch {
    /* the journal locked already: there is nowhere safe to keep it */
  }
}

/** The form was saved or the leader threw it away: forget its draft. */
export async function dropDraft(): Promise<void> {
  clearTimeout(timer);
  pending = null;
  try {
    await backend.discardFormDraft();
  } catch {
    /* locked: the draft stays and is offered after unlock */
  }
}

/** The leader typed or pointed: tells the shell, at most every `ACTIVITY_EVERY_MS`. */
export function noteActivity(now: number = Date.now()): void {
  if (now - lastReport < ACTIVITY_EVERY_MS) return;
  lastReport = now;
  backend.noteActivity().catch(() => {
    /* locked: nothing to keep open */
  });
}

/** Forgets what is in memory (the journal locked; tests start afresh). */
export function resetDrafts(): void {
  clearTimeout(timer);
  pending = null;
  lastReport = Number.NEGATIVE_INFINITY;
}
