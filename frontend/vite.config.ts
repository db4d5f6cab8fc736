import { babelOptimizerPlugin } from '@graphql-codegen/client-preset';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { budgets } from './budgets';

export default defineConfig({
  plugins: [
    // Each `graphql(…)` call becomes an import of its one generated document, so a page
    // carries its own operations and not the map of all of them.
    react({ babel: { plugins: [[babelOptimizerPlugin, { artifactDirectory: './src/gql', gqlTagName: 'graphql' }]] } }),
    budgets(),
  ],
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    // The ECharts chunk (~180 kB gzipped) loads only on staff collection pages; the staff
    // console (Ant Design) only for staff. What residents and the public download is held to
    // the budgets in `budgets.ts`.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { app: 'index.html', login: 'login/index.html', join: 'join/index.html', board: 'board/index.html' },
    },
  },
});
