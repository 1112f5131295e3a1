/// <reference types="vitest/config" />
// Vite builds the UI into ui/dist for the Tauri shell; Vitest runs the unit tests in jsdom.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // Relative URLs: the shell serves dist/ from its own custom protocol.
  base: './',
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Strict CSP (`script-src 'self'`): never inline anything as data: URLs, and no
    // modulepreload polyfill injected into the page.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // The plugin-timing report is noise on a slow 2-core machine.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Two cores: keep the pool small.
    maxWorkers: 2,
    testTimeout: 15000,
  },
});
