// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'web/vendor/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly',
        performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly',
        setImmediate: 'readonly', AbortController: 'readonly', fetch: 'readonly', structuredClone: 'readonly',
        window: 'readonly', document: 'readonly', WebTransport: 'readonly', WebSocket: 'readonly',
        crypto: 'readonly', location: 'readonly', requestAnimationFrame: 'readonly', navigator: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // src/temporal is pure: it runs in the browser too, so no Node.js and nothing else of ours.
    files: ['src/temporal/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'events', 'stream', 'util', 'child_process', 'worker_threads'], message: 'src/temporal must not use Node.js APIs.' },
          { group: ['../*', '!./*'], message: 'src/temporal imports nothing from the rest of the project.' },
        ],
      }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require'],
    },
  },
);
