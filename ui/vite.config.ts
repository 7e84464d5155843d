import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';

// The UI is built to ui/dist and loaded by the Tauri shell. `vite build --mode harness`
// builds the same app to ui/dist-harness with a second entry, `mock-ipc.html`, used only by
// the browser test suite: it installs a mocked IPC layer (the in-memory fake behind Tauri's
// `invoke`) before starting the app. The shipped bundle never contains that page.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  base: './',
  build: {
    outDir: mode === 'harness' ? 'dist-harness' : 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(__dirname, 'index.html'),
        ...(mode === 'harness' ? { harness: resolve(__dirname, 'mock-ipc.html') } : {}),
      },
    },
  },
  server: { port: 1420, strictPort: true },
  preview: { port: 4173, strictPort: false },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
}));
