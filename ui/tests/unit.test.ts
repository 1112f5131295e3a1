// Pure helpers: the virtual window, recovery-code checks, prompt placeholders, shortcuts,
// number formatting and the backend's error mapping.
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import axe from 'axe-core';
import { nearEnd, visibleWindow } from '../src/lib/virtual';
import { groupMatches, groupsOf, normaliseGroup, pickTwo } from '../src/lib/recovery';
import { freshPromptId, renderPrompt } from '../src/lib/prompts';
import { interpret, isTyping } from '../src/lib/keyboard';
import { localInputToRfc3339, signed, tone } from '../src/lib/format';
import { BackendError, isCode } from '../src/lib/backend';
import { sortOverview } from '../src/lib/sorting';
import { ensureValidLanguage, isValidLanguage } from '../src/lib/language';
import { overview } from './fixtures';
import Signed from '../src/lib/components/Signed.svelte';

describe('visibleWindow', () => {
  it('covers the viewport plus overscan, clamped to the list', () => {
    expect(visibleWindow(100_000, 50, 0, 600, 5)).toEqual({
      start: 0,
      end: 17,
      offset: 0,
      total: 5_000_000,
    });
    const mid = visibleWindow(100_000, 50, 2_500_000, 600, 5);
    expect(mid.start).toBe(49_995);
    expect(mid.end).toBe(50_017);
    expect(mid.offset).toBe(49_995 * 50);
    const end = visibleWindow(100, 50, 1e9, 600, 5);
    expect(end.end).toBe(100);
    expect(visibleWindow(0, 50, 0, 600, 5)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });

  it('is near the end within the threshold', () => {
    expect(nearEnd(90, 100, 10)).toBe(true);
    expect(nearEnd(80, 100, 10)).toBe(false);
  });
});

describe('recovery code', () => {
  const code = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789';

  it('has eight groups and matches them the way Crockford base32 reads', () => {
    expect(groupsOf(code)).toHaveLength(8);
    expect(groupMatches(code, 0, 'abcd')).toBe(true);
    expect(groupMatches(code, 5, 'yzoi')).toBe(true); // O → 0, I → 1
    expect(groupMatches(code, 5, 'yzo2')).toBe(false);
    expect(groupMatches(code, 9, 'ABCD')).toBe(false);
    expect(normaliseGroup(' a-b l ')).toBe('AB1');
  });

  it('picks two different groups', () => {
    for (const r of [0, 0.2, 0.5, 0.99]) {
      const [a, b] = pickTwo(8, () => r);
      expect(a).not.toBe(b);
      expect(a).toBeLessThan(b);
      expect(b).toBeLessThan(8);
    }
  });
});

describe('prompt placeholders', () => {
  it('fills {name} and {team} once, leaving other braces alone', () => {
    expect(renderPrompt('Did {name} trust {team}?', 'Ada', 'Platform')).toBe(
      'Did Ada trust Platform?',
    );
    expect(renderPrompt('{name} and {team}', ' ', null)).toBe('this person and the team');
    expect(renderPrompt('{name} {other} { name}', '{team}', 'T')).toBe('{team} {other} { name}');
  });

  it('makes fresh prompt ids', () => {
    expect(freshPromptId([{ id: 'prompt-2' }, { id: 'x' }])).toBe('prompt-3');
    expect(freshPromptId([{ id: 'prompt-2' }])).toBe('prompt-3');
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
    key: k,
    code: '',
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });

  it('reads single keys only when not typing', () => {
    expect(interpret(key('n'), false, false)).toEqual({ type: 'capture' });
    expect(interpret(key('n'), true, false)).toBeNull();
    expect(interpret(key('n', { ctrlKey: true }), true, false)).toEqual({ type: 'capture' });
    expect(interpret(key('/'), false, false)).toEqual({ type: 'search' });
    expect(interpret(key('k', { ctrlKey: true }), true, false)).toEqual({ type: 'search' });
    expect(interpret(key('?'), false, false)).toEqual({ type: 'help' });
    expect(interpret(key('L', { ctrlKey: true, shiftKey: true }), true, false)).toEqual({
      type: 'lock',
    });
  });

  it('moves between screens with g + letter and Alt + number', () => {
    expect(interpret(key('g'), false, false)).toEqual({ type: 'prefix' });
    expect(interpret(key('p'), false, true)).toEqual({ type: 'go', screen: 'people' });
    expect(interpret(key('l'), false, true)).toEqual({ type: 'go', screen: 'timeline' });
    expect(interpret(key('x'), false, true)).toBeNull();
    expect(interpret(key('3', { altKey: true, code: 'Digit3' }), true, false)).toEqual({
      type: 'go',
      screen: 'timeline',
    });
  });

  it('knows when the user is typing', () => {
    const input = document.createElement('input');
    const box = document.createElement('input');
    box.type = 'checkbox';
    expect(isTyping(input)).toBe(true);
    expect(isTyping(box)).toBe(false);
    expect(isTyping(document.createElement('textarea'))).toBe(true);
    expect(isTyping(document.createElement('button'))).toBe(false);
  });
});

describe('formatting', () => {
  it('always writes the sign', () => {
    expect(signed(3)).toBe('+3');
    expect(signed(-2.5)).toBe('−2.5');
    expect(signed(0)).toBe('0');
    expect(tone(-1)).toBe('negative');
  });

  it('keeps the local offset when turning a datetime-local value into RFC 3339', () => {
    const out = localInputToRfc3339('2025-03-03T14:30');
    expect(out).toMatch(/^2025-03-03T14:30:00[+-]\d\d:\d\d$/);
    expect(new Date(out!).getTime()).toBe(new Date('2025-03-03T14:30').getTime());
    expect(localInputToRfc3339('')).toBeNull();
  });

  it('shows a signed number with its raw value for scripts', () => {
    const { getByTestId } = render(Signed, { value: -4, testid: 'n' });
    expect(getByTestId('n')).toHaveTextContent('−4');
    expect(getByTestId('n')).toHaveAttribute('data-value', '-4');
    expect(getByTestId('n')).toHaveClass('negative');
  });
});

describe('backend errors', () => {
  it('keeps known codes and maps anything else to internal', () => {
    const e = BackendError.from({ code: 'wrong_passphrase', message: 'no' });
    expect(e).toBeInstanceOf(BackendError);
    expect(isCode(e, 'wrong_passphrase')).toBe(true);
    expect(BackendError.from({ code: 'mystery', message: 'x' }).code).toBe('internal');
    expect(BackendError.from('command not allowed').message).toBe('command not allowed');
  });
});

describe('sorting', () => {
  it('sorts by last touchpoint with ties broken by name', () => {
    const rows = sortOverview(overview, 'last', false).map((r) => r.person.name);
    expect(rows).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
  });
});

describe('the axe check itself', () => {
  it('does catch a violation (so a clean run means something)', async () => {
    const div = document.createElement('div');
    div.innerHTML = '<input type="text"><img src="x.png">';
    document.body.appendChild(div);
    const result = await axe.run(div, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual(
      expect.arrayContaining(['image-alt', 'label']),
    );
    div.remove();
  });
});

describe('ensureValidLanguage', () => {
  it('replaces a C locale, which Intl rejects, and keeps a real one', () => {
    const c = { language: 'C', languages: ['C'] } as unknown as Navigator;
    ensureValidLanguage(c);
    expect(c.language).toBe('en-US');
    expect(c.languages).toEqual(['en-US']);
    expect(isValidLanguage(c.language)).toBe(true);
    const real = { language: 'de-DE', languages: ['de-DE', 'en'] } as unknown as Navigator;
    ensureValidLanguage(real);
    expect(real.language).toBe('de-DE');
  });
});
