// Nothing typed is lost: a capture or reflection left unsaved by a lock is kept in the journal
// and offered after unlock; typing counts as activity without a call per key.
import { emit } from '@tauri-apps/api/event';
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FormDraft } from '../src/lib/bindings/FormDraft';
import { resetDrafts } from '../src/lib/formDraft';
import { router } from '../src/lib/router.svelte';
import {
  ADA,
  PAUSED,
  ROLLOUT,
  TP1,
  callsTo,
  initiativeList,
  installFakeBackend,
  savedSides,
} from './fixtures';
import { renderApp } from './helpers';

const KEPT_WITHIN = { timeout: 3000 };

async function unlock(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByTestId('unlock-passphrase'), 'a calm and long passphrase');
  await user.click(screen.getByTestId('unlock-submit'));
  await screen.findByTestId('today-screen');
}

beforeEach(() => resetDrafts());

describe('an unsaved capture', () => {
  it('is kept once typing pauses, survives the lock button, and comes back on Continue', async () => {
    const kept = { current: null as FormDraft | null };
    const calls = installFakeBackend({ formDraft: kept });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.type(await screen.findByTestId('capture-notes'), 'She asked who decides');
    // Locking at once still keeps what was typed a moment ago.
    await user.click(screen.getByTestId('lock-button'));
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(kept.current?.form).toBe('capture');
    expect(JSON.parse(kept.current!.state)).toMatchObject({ notes: 'She asked who decides' });
    const lockAt = calls.findIndex((c) => c.cmd === 'lock');
    const keptAt = calls.findIndex((c) => c.cmd === 'save_form_draft');
    expect(keptAt).toBeGreaterThanOrEqual(0);
    expect(keptAt).toBeLessThan(lockAt);
    // Nothing of the journal shows while locked.
    expect(screen.queryByText(/She asked who decides/)).toBeNull();

    await unlock(user);
    expect(await screen.findByTestId('kept-draft')).toHaveTextContent('a new touchpoint');
    await user.click(screen.getByTestId('kept-continue'));
    expect(await screen.findByTestId('capture-notes')).toHaveValue('She asked who decides');
    expect(screen.queryByTestId('kept-draft')).toBeNull();
  });

  it('keeps the initiatives chosen through a lock, and the saved capture links them', async () => {
    const kept = { current: null as FormDraft | null };
    const calls = installFakeBackend({ formDraft: kept, initiatives: initiativeList });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.type(screen.getByTestId('capture-people'), 'Ada{Enter}');
    await user.click(await screen.findByTestId(`capture-initiative-${ROLLOUT}`));
    await user.click(screen.getByTestId('lock-button'));
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(JSON.parse(kept.current!.state)).toMatchObject({ initiatives: [ROLLOUT] });

    await unlock(user);
    await user.click(await screen.findByTestId('kept-continue'));
    expect(await screen.findByTestId(`capture-initiative-${ROLLOUT}`)).toBeChecked();
    await user.click(screen.getByTestId('capture-save'));
    await screen.findByTestId('reflect-screen');
    expect(callsTo(calls, 'add_touchpoint')[0]?.args.initiatives).toEqual([ROLLOUT]);
  });

  it('reads a capture kept before initiatives existed', async () => {
    const kept = {
      current: {
        form: 'capture',
        touchpoint_id: null,
        label: 'a new touchpoint',
        state: JSON.stringify({
          kind: 'one_on_one',
          selected: [ADA],
          when: '2025-03-10T09:00',
          notes: 'Older draft',
          title: '',
          tagText: '',
          team: '',
          isPrivate: false,
        }),
        saved_at: '2025-03-10T09:00:00Z',
      } as FormDraft | null,
    };
    const calls = installFakeBackend({ formDraft: kept, initiatives: initiativeList });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('kept-continue'));
    expect(await screen.findByTestId(`capture-initiative-${ROLLOUT}`)).not.toBeChecked();
    await user.click(screen.getByTestId('capture-save'));
    await screen.findByTestId('reflect-screen');
    expect(callsTo(calls, 'add_touchpoint')[0]?.args.initiatives).toEqual([]);
  });

  it('drops a kept choice of an initiative since paused instead of sending it', async () => {
    const kept = {
      current: {
        form: 'capture',
        touchpoint_id: null,
        label: 'a new touchpoint',
        state: JSON.stringify({
          kind: 'one_on_one',
          selected: [ADA],
          when: '2025-03-10T09:00',
          notes: 'Kept while the roll-out ran',
          title: '',
          tagText: '',
          team: '',
          isPrivate: false,
          initiatives: [PAUSED, ROLLOUT],
        }),
        saved_at: '2025-03-10T09:00:00Z',
      } as FormDraft | null,
    };
    const calls = installFakeBackend({ formDraft: kept, initiatives: initiativeList });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('kept-continue'));
    expect(await screen.findByTestId(`capture-initiative-${ROLLOUT}`)).toBeChecked();
    await user.click(screen.getByTestId('capture-save'));
    await screen.findByTestId('reflect-screen');
    expect(callsTo(calls, 'add_touchpoint')[0]?.args.initiatives).toEqual([ROLLOUT]);
  });

  it('is forgotten when the leader cancels the dialog', async () => {
    const kept = { current: null as FormDraft | null };
    installFakeBackend({ formDraft: kept });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await user.type(await screen.findByTestId('capture-notes'), 'not worth keeping');
    await waitFor(() => expect(kept.current).not.toBeNull(), KEPT_WITHIN);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(kept.current).toBeNull());
  });

  it('an untouched dialog keeps nothing', async () => {
    const kept = { current: null as FormDraft | null };
    const calls = installFakeBackend({ formDraft: kept });
    await renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-capture'));
    await screen.findByTestId('capture-notes');
    await new Promise((r) => setTimeout(r, 1300));
    expect(callsTo(calls, 'save_form_draft')).toHaveLength(0);
  });
});

describe('an unsaved reflection', () => {
  it('is kept before an auto-lock and put back into its form after unlock', async () => {
    const kept = { current: null as FormDraft | null };
    const calls = installFakeBackend({ formDraft: kept });
    await renderApp({ name: 'reflect', touchpointId: TP1 });
    const user = userEvent.setup();
    const theirSide = await screen.findByTestId('reflect-their-side');
    await user.clear(theirSide);
    await user.type(theirSide, 'Felt overruled in public');
    await user.click(screen.getByTestId('willingness-minus1'));
    await waitFor(() => expect(kept.current?.form).toBe('reflection'), KEPT_WITHIN);
    expect(kept.current?.touchpoint_id).toBe(TP1);

    // The shell's timer locks the journal.
    await emit('journal-locked', {
      state: 'locked',
      journal_dir: '/j',
      demo: false,
      auto_lock_minutes: 1,
    });
    expect(await screen.findByTestId('unlock-screen')).toBeVisible();
    expect(screen.queryByText(/Felt overruled/)).toBeNull();

    await unlock(user);
    await user.click(await screen.findByTestId('kept-continue'));
    expect(await screen.findByTestId('reflect-restored')).toBeVisible();
    expect(screen.getByTestId('reflect-their-side')).toHaveValue('Felt overruled in public');
    expect(screen.getByTestId('willingness-minus1')).toBeChecked();

    // Saving the reflection forgets the draft.
    await user.click(screen.getByTestId('ability-plus1'));
    await user.click(screen.getByTestId('reflect-save'));
    await waitFor(() => expect(router.current.name).toBe('person'));
    expect(kept.current).toBeNull();
    expect(savedSides(calls)[0]?.reflection).toMatchObject({
      person_id: ADA,
      their_side: 'Felt overruled in public',
      willingness: -1,
      ability: 1,
    });
  });

  it('Discard on the offer forgets it', async () => {
    const kept = {
      current: {
        form: 'reflection',
        touchpoint_id: TP1,
        label: 'your reflection on “Weekly 1:1”',
        state: JSON.stringify({ drafts: [], activeTab: 0, impacts: {} }),
        saved_at: new Date().toISOString(),
      } as FormDraft | null,
    };
    installFakeBackend({ formDraft: kept });
    await renderApp();
    const user = userEvent.setup();
    expect(await screen.findByTestId('kept-draft')).toHaveTextContent('Weekly 1:1');
    await user.click(screen.getByTestId('kept-discard'));
    await waitFor(() => expect(kept.current).toBeNull());
    expect(screen.queryByTestId('kept-draft')).toBeNull();
  });
});

describe('typing counts as activity', () => {
  it('sends one activity call for a burst of keys, not one per key', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'timeline' });
    const user = userEvent.setup();
    await screen.findByTestId('timeline-screen');
    await user.keyboard('{Tab}{Tab}{Tab}abcdefghij');
    expect(callsTo(calls, 'note_activity')).toHaveLength(1);
  });
});
