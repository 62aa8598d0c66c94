import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The single-page app; `dist/` is served by the Keepdesk server, the dev server proxies the API to it. */
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
