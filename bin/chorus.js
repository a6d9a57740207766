#!/usr/bin/env node
// The `chorus` command. Sources are TypeScript run through tsx's loader, so a checkout works
// right after `npm install` with no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
