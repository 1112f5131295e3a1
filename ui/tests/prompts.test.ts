// The prompt library: built-in sets are copied before editing; prompts are added, removed and
// reordered with buttons; sets travel as JSON files picked in the dialog.
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PromptSet } from '../src/lib/bindings/PromptSet';
import { callsTo, installFakeBackend } from './fixtures';
import { renderApp } from './helpers';

describe('prompt library', () => {
  it('edits a copy of a built-in set: reorder, add, remove, save', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'prompts' });
    const user = userEvent.setup();
    await user.click((await screen.findAllByTestId('edit-copy'))[0]!);
    // "Edit" saves the built-in set, which the core turns into an editable copy.
    expect((callsTo(calls, 'save_prompt_set')[0]!.args.set as PromptSet).builtin).toBe(true);
    const editor = await screen.findByTestId('prompt-editor');

    // Move the second prompt up with the keyboard; focus follows the moved prompt.
    within(editor).getByRole('button', { name: 'Move prompt 2 up' }).focus();
    await user.keyboard('{Enter}');
    expect(within(editor).getByLabelText('Prompt 1')).toHaveValue(
      'Whose meeting did it feel like to {name}?',
    );
    await waitFor(() =>
      expect(within(editor).getByRole('button', { name: 'Move prompt 1 up' })).toBeDisabled(),
    );

    await user.click(within(editor).getByTestId('add-prompt'));
    await waitFor(() => expect(within(editor).getByLabelText('Prompt 3')).toHaveFocus());
    await user.keyboard('Did {{name} leave with a next step?');
    await user.click(within(editor).getByRole('button', { name: 'Remove prompt 2' }));
    await user.click(within(editor).getByTestId('save-prompt-set'));

    await waitFor(() => expect(callsTo(calls, 'save_prompt_set')).toHaveLength(2));
    const saved = callsTo(calls, 'save_prompt_set')[1]!.args.set as PromptSet;
    expect(saved.builtin).toBe(false);
    expect(saved.prompts.map((p) => p.text)).toEqual([
      'Whose meeting did it feel like to {name}?',
      'Did {name} leave with a next step?',
    ]);
    expect(new Set(saved.prompts.map((p) => p.id)).size).toBe(2);
  });

  it('imports and exports through the file dialog', async () => {
    const calls = installFakeBackend({
      picks: ['/home/leader/coach-prompts.json', '/home/leader/my-prompts.json'],
    });
    await renderApp({ name: 'prompts' });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('import-prompts'));
    await waitFor(() =>
      expect(callsTo(calls, 'import_prompt_sets')[0]?.args).toEqual({
        path: '/home/leader/coach-prompts.json',
      }),
    );
    expect(callsTo(calls, 'pick_path')[0]?.args).toMatchObject({
      kind: 'open_file',
      filters: [{ name: 'Prompt sets (JSON)', extensions: ['json'] }],
    });
    expect(await screen.findByText('Imported 1 set.')).toBeVisible();

    await user.click(screen.getByTestId('export-prompts'));
    await waitFor(() =>
      expect(callsTo(calls, 'export_prompt_sets')[0]?.args).toEqual({
        path: '/home/leader/my-prompts.json',
        includeBuiltin: false,
      }),
    );
  });

  it('does nothing when the dialog is cancelled', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'prompts' });
    await userEvent.click(await screen.findByTestId('import-prompts'));
    await waitFor(() => expect(callsTo(calls, 'pick_path')).toHaveLength(1));
    expect(callsTo(calls, 'import_prompt_sets')).toHaveLength(0);
  });
});
