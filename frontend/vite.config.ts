import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/graphql': 'http://127.0.0.1:8080' } },
  // The ECharts chunk (~540 kB, 180 kB gzipped) loads only on staff collection pages.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
});
