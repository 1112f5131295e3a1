// Every screen renders against the fake shell and passes an axe check.
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ADA, TP1, installFakeBackend } from './fixtures';
import { expectAccessible, renderApp } from './helpers';

describe('each screen renders and is accessible', () => {
  it('first run', async () => {
    installFakeBackend({ status: 'no_journal' });
    await renderApp();
    expect(await screen.findByRole('heading', { name: 'Welcome to Touchpoint' })).toBeVisible();
    await expectAccessible();
  });

  it('unlock', async () => {
    installFakeBackend({ status: 'locked' });
    await renderApp();
    expect(await screen.findByTestId('unlock-passphrase')).toBeVisible();
    await expectAccessible();
  });

  it('today, with drafts, overdue, commitments and slipping cards', async () => {
    installFakeBackend();
    await renderApp();
    const slipping = await screen.findByTestId('today-slipping');
    expect(slipping).toHaveTextContent('Alan Turing');
    // The recalibrate prompts are rendered with the person's name.
    await waitFor(() =>
      expect(slipping).toHaveTextContent(
        'What structural commitment would show Alan Turing I have their back?',
      ),
    );
    expect(screen.getByTestId('today-drafts')).toHaveTextContent('Planning with Grace');
    expect(screen.getByTestId('today-commitments')).toHaveTextContent('Send the promotion case');
    expect(screen.getByTestId('lock-button')).toBeVisible();
    await expectAccessible();
  });

  it('people overview with group and team balances', async () => {
    installFakeBackend();
    await renderApp({ name: 'people' });
    expect(await screen.findAllByTestId('overview-row')).toHaveLength(3);
    await waitFor(() => expect(screen.getByTestId('team-balances')).toHaveTextContent('Platform'));
    await userEvent.click(screen.getByTestId('show-add-person'));
    expect(screen.getByTestId('add-person-form')).toBeVisible();
    await expectAccessible();
  });

  it('person page with balance, explanation list and prepare card', async () => {
    installFakeBackend();
    await renderApp({ name: 'person', id: ADA });
    expect(await screen.findByTestId('balance-value')).toHaveTextContent('+7');
    expect(screen.getAllByTestId('explain-row')).toHaveLength(4);
    const prepare = screen.getByTestId('prepare-card');
    await waitFor(() => expect(prepare).toHaveTextContent('Bring the roadmap draft'));
    expect(prepare).toHaveTextContent('Wants to lead the migration');
    expect(prepare).toHaveTextContent('What would Ada Lovelace say was the one thing');
    await expectAccessible();
  });

  it('timeline', async () => {
    installFakeBackend();
    await renderApp({ name: 'timeline' });
    expect((await screen.findAllByTestId('virtual-row')).length).toBeGreaterThan(0);
    await expectAccessible();
  });

  it('entry', async () => {
    installFakeBackend();
    await renderApp({ name: 'entry', id: TP1 });
    expect(await screen.findByRole('heading', { name: 'Weekly one-on-one' })).toBeVisible();
    await expectAccessible();
  });

  it('reflect', async () => {
    installFakeBackend();
    await renderApp({ name: 'reflect', touchpointId: TP1 });
    expect(await screen.findByTestId('willingness')).toBeVisible();
    await expectAccessible();
  });

  it('prompt library', async () => {
    installFakeBackend();
    await renderApp({ name: 'prompts' });
    expect((await screen.findAllByTestId('prompt-set')).length).toBe(3);
    expect(screen.getAllByText('Built-in · read-only')).toHaveLength(3);
    await expectAccessible();
  });

  it('prompt editor', async () => {
    installFakeBackend();
    await renderApp({ name: 'prompts' });
    await userEvent.click((await screen.findAllByTestId('edit-copy'))[0]!);
    expect(await screen.findByTestId('prompt-editor')).toBeVisible();
    await expectAccessible();
  });

  it('settings', async () => {
    installFakeBackend();
    await renderApp({ name: 'settings' });
    expect(await screen.findByTestId('loss-weight-sentence')).toHaveTextContent(
      'A withdrawal counts 2 times as much as a deposit of the same size: trust is lost faster than it is won.',
    );
    await expectAccessible();
  });

  it('about the method', async () => {
    installFakeBackend();
    await renderApp({ name: 'about' });
    expect(await screen.findByText(/An integrative model of organizational trust/)).toBeVisible();
    // Change initiatives: where the practices come from, and what the app does not claim.
    const initiatives = screen.getByTestId('about-initiatives');
    expect(initiatives).toHaveTextContent('Touchpoint does not measure your team');
    for (const source of ['AI trust gap', 'Kotter', 'Coch and French', 'Edmondson', 'SPACE']) {
      expect(initiatives).toHaveTextContent(source);
    }
    expect(initiatives.querySelector('a')).toBeNull();
    await expectAccessible();
  });

  it('quick capture dialog', async () => {
    installFakeBackend();
    await renderApp();
    await userEvent.click(await screen.findByTestId('open-capture'));
    expect(await screen.findByTestId('quick-capture')).toBeVisible();
    await expectAccessible();
  });

  it('keyboard help', async () => {
    installFakeBackend();
    await renderApp();
    await screen.findByTestId('today-screen');
    await userEvent.keyboard('?');
    expect(await screen.findByTestId('keyboard-help')).toHaveTextContent('New touchpoint');
    await expectAccessible();
  });
});
