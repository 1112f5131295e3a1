// Lints the end-to-end specs and scripts with the UI's ESLint (`make ui-checks`): a name the
// specs use but never import fails here in a second, not after a ten-minute run.
const browserGlobals = ['document', 'window', 'localStorage', 'MutationObserver', 'requestAnimationFrame'];
const nodeGlobals = ['process', 'console', 'setTimeout', 'clearTimeout', 'Buffer', 'performance', 'URL'];

export default [
  {
    files: ['**/*.mjs'],
    ignores: ['node_modules/**'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: Object.fromEntries([...browserGlobals, ...nodeGlobals].map((g) => [g, 'readonly'])),
    },
    rules: { 'no-undef': 'error', 'no-unused-vars': 'error' },
  },
];
