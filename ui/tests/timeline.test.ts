// The timeline: a virtual list that renders a window of rows, pages on near the end, and a
// search whose matches are highlighted from segments (never from HTML).
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import VirtualHarness from './VirtualHarness.svelte';
import { callsTo, installFakeBackend } from './fixtures';
import { renderApp } from './helpers';

function rowIndexes(): number[] {
  return screen.getAllByTestId('virtual-row').map((r) => Number(r.dataset.index));
}

function scrollTo(el: HTMLElement, top: number) {
  el.scrollTop = top;
  fireEvent.scroll(el);
}

describe('virtual list', () => {
  it('renders only a window of rows out of 100,000', async () => {
    render(VirtualHarness, { count: 100_000 });
    const rows = rowIndexes();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]).toBe(0);
    // The spacer is as tall as all rows, so the scrollbar is true to the list.
    const spacer = screen.getByRole('list', { name: 'Rows' });
    expect(spacer.style.height).toBe(`${100_000 * 50}px`);

    // Scrolled to the middle: the rows there, and still only a window.
    scrollTo(screen.getByTestId('virtual-list'), 50_000 * 50);
    await waitFor(() => expect(rowIndexes()).toContain(50_000));
    expect(rowIndexes().length).toBeLessThan(40);
    expect(Math.min(...rowIndexes())).toBeGreaterThan(49_900);
    expect(screen.getByText('Row 50000')).toBeInTheDocument();
    expect(screen.queryByText('Row 0')).toBeNull();
  });

  it('asks for more only near the end', async () => {
    const onneedmore = vi.fn();
    render(VirtualHarness, { count: 1000, hasMore: true, onneedmore });
    expect(onneedmore).not.toHaveBeenCalled();
    scrollTo(screen.getByTestId('virtual-list'), 1000 * 50 - 600);
    await waitFor(() => expect(onneedmore).toHaveBeenCalled());
  });
});

describe('timeline screen', () => {
  it('loads the next page with the cursor of the last item when scrolled near the end', async () => {
    const calls = installFakeBackend({ timelineTotal: 1000 });
    await renderApp({ name: 'timeline' });
    await screen.findAllByTestId('virtual-row');
    const first = callsTo(calls, 'timeline');
    expect(first).toHaveLength(1);
    expect((first[0]!.args.filter as { limit: number }).limit).toBe(200);

    scrollTo(screen.getByTestId('timeline-list'), 200 * 60 - 600);
    await waitFor(() => expect(callsTo(calls, 'timeline')).toHaveLength(2));
    const after = (callsTo(calls, 'timeline')[1]!.args.filter as { after: { id: string } }).after;
    expect(after.id).toBe('01900000-0000-7000-8000-000000000199');
  });

  it('filters by kind', async () => {
    const calls = installFakeBackend();
    await renderApp({ name: 'timeline' });
    await screen.findAllByTestId('virtual-row');
    await userEvent.selectOptions(screen.getByTestId('timeline-kind'), 'conflict');
    await waitFor(() => expect(callsTo(calls, 'timeline')).toHaveLength(2));
    expect(callsTo(calls, 'timeline')[1]!.args.filter).toMatchObject({
      kind: 'conflict',
      after: null,
    });
  });

  it('highlights only the segments that matched, as text', async () => {
    const calls = installFakeBackend({
      searchHits: [
        {
          touchpoint_id: '01900000-0000-7000-8000-00000000b001',
          title: 'Weekly one-on-one',
          kind: 'one_on_one',
          at: '2025-03-07T10:00:00Z',
          person: { id: 'p', name: 'Ada Lovelace' },
          source: 'note',
          snippet: [
            { text: 'we talked about the ', hit: false },
            { text: 'migration', hit: true },
            { text: ' and <b>bold</b> plans for the ', hit: false },
            { text: 'Migration', hit: true },
          ],
        },
      ],
    });
    await renderApp();
    await screen.findByTestId('today-screen');
    const user = userEvent.setup();
    // `/` jumps to the search box.
    await user.keyboard('/');
    const box = await screen.findByTestId('search-input');
    await waitFor(() => expect(box).toHaveFocus());
    await user.keyboard('migration');
    const results = await screen.findByTestId('search-results');
    const result = (await screen.findAllByTestId('search-result'))[0]!;
    const marks = result.querySelectorAll('mark');
    expect([...marks].map((m) => m.textContent)).toEqual(['migration', 'Migration']);
    // Markup in a snippet is shown as text, never parsed.
    expect(results.querySelector('b')).toBeNull();
    expect(result).toHaveTextContent('and <b>bold</b> plans');
    expect(callsTo(calls, 'search')[0]?.args).toEqual({
      query: 'migration',
      mode: 'plain',
      limit: 100,
    });
  });
});
