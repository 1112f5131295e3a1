// Test set-up: jest-dom matchers and the browser APIs jsdom lacks. File dialogs are answered
// by the fake backend (`pick_path`), so tests decide what the user "picks".
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, vi } from 'vitest';

// jsdom has no canvas: report "no 2D context" quietly, so the chart falls back to its text.
HTMLCanvasElement.prototype.getContext = (() =>
  null) as typeof HTMLCanvasElement.prototype.getContext;
Element.prototype.scrollIntoView = function scrollIntoView() {};
if (!('ResizeObserver' in window)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = ResizeObserverStub;
  (globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = ResizeObserverStub;
}
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => {},
      removeEventListener: () => {},
      addListener: () => {},
      removeListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

afterEach(() => {
  cleanup();
  clearMocks();
  vi.clearAllMocks();
});

// The app loads its journal screens as a chunk of their own (App.svelte). Loaded here first, so
// a test's first render does not wait for their transform and only the real async step is left.
await import('../src/lib/Shell.svelte');
