// Lint rules, including the layering rules the architecture depends on:
// the core and the contract never touch Electron, the contract stays free of
// Node and DOM, and the renderer reaches the core only through src-shared.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electron = {
  name: 'electron',
  message: 'Core and contract code must not depend on Electron: inject what you need.',
};
const electronPatterns = [{ group: ['electron/*'], message: electron.message }];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'dist-renderer/**',
      'release/**',
      'bench/results/**',
      'tracker-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-main/core/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            ...electronPatterns,
            {
              group: ['**/electron/**', '**/host-web/**', '**/preload/**'],
              message: 'The core must not import a host.',
            },
            { group: ['react', 'react-dom', '**/src-renderer/**'], message: 'The core knows nothing of the UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.{ts,tsx}'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            ...electronPatterns,
            { group: ['node:*'], message: 'src-shared is pure TypeScript: no Node built-ins.' },
            {
              group: ['**/src-main/**', '**/src-renderer/**', '**/src-tracker/**'],
              message: 'src-shared is the contract; it imports nothing of ours.',
            },
            { group: ['react', 'react-dom'], message: 'src-shared has no UI.' },
          ],
        },
      ],
    },
  },
  {
    // Node code both servers own (console core and tracker): trust, PIN hashes.
    files: ['src-common/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            ...electronPatterns,
            {
              group: ['**/src-main/**', '**/src-renderer/**', '**/src-tracker/**'],
              message: 'src-common is shared by the console core and the tracker; it imports neither.',
            },
            { group: ['react', 'react-dom'], message: 'src-common has no UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            ...electronPatterns,
            {
              group: ['**/src-main/**', '**/src-tracker/**'],
              message: 'The renderer talks to the core only through the API in src-shared.',
            },
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
