#!/usr/bin/env node
// Before `npm start`: builds the dashboard into web/dist when it has not been built yet, so a fresh
// checkout serves it at / after `npm install && npm start`. Later rebuilds: `npm run build:web`.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
  console.log('Building the dashboard (first start only)…')
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
