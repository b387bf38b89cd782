// @ts-check
// Lint rules, including the import zones of ARCHITECTURE.md: a wrong import fails `npm run lint`.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');

const layer = (name) => ({ regex: `^(\\.\\./)+(src/)?${name}(/|$)`, message: `This layer may not import src/${name} (ARCHITECTURE.md).` });
const nodeBuiltins = { regex: '^node:', message: 'No Node APIs here: this layer runs in the browser or is pure.' };
const electronModule = { regex: '^electron(/|$)', message: 'Only src/main/shell imports electron; services receive what they need as injected interfaces.' };

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.tmp/', '.xietong-data/', 'test-results/', 'playwright-report/', 'bin/', 'scripts/', 'bench/**/*.mjs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('main'), layer('renderer'), layer('preload'), layer('sync-server'), layer('signing'), layer('cli'), nodeBuiltins, electronModule] }],
    },
  },
  {
    files: ['src/renderer/**', 'src/preload/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('main'), layer('sync-server'), layer('signing'), layer('cli'), nodeBuiltins, ...(/* preload may use electron */ [])] }],
    },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('main'), layer('preload'), layer('sync-server'), layer('signing'), layer('cli'), nodeBuiltins, electronModule] }],
    },
  },
  {
    files: ['src/signing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('main'), layer('renderer'), layer('preload'), layer('sync-server'), layer('cli'), electronModule] }],
    },
  },
  {
    files: ['src/sync-server/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('main'), layer('renderer'), layer('preload'), layer('cli'), electronModule] }],
    },
  },
  {
    files: ['src/main/services/**', 'src/main/webHost/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('renderer'), layer('preload'), layer('cli'), electronModule] }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'tests/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
