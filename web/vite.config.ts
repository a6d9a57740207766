import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

/**
 * The dashboard build: `npm run build:web` writes static files to web/dist, which `chorus serve`
 * serves at `/`. `npx vite --config web/vite.config.ts` runs a development server that forwards
 * API calls to a Chorus on port 8080.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Charts are large and only some pages draw them: keep them in their own file.
        manualChunks: (id) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'charts' : undefined),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/v1': 'http://127.0.0.1:8080' },
  },
})
