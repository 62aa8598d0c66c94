import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web widget's two scripts, built after the app into `dist/widget/` with fixed names: `loader.js`
 * (served as `/widget.js` to customers' sites, a classic script) and `frame.js` (the frame's own script).
 * Neither imports anything, so each is one self-contained file.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../../dist/widget', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: false,
    rollupOptions: {
      input: {
        loader: fileURLToPath(new URL('loader.ts', import.meta.url)),
        frame: fileURLToPath(new URL('frame.ts', import.meta.url)),
      },
      output: { entryFileNames: '[name].js', format: 'es' },
    },
  },
});
