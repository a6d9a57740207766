import type { Command } from 'commander'
import { register as serve } from './serve.ts'
import { register as init } from './init.ts'
import { register as keys } from './keys.ts'
import { register as doctor } from './doctor.ts'
import { register as importCommand } from './import.ts'
import { register as attribution } from './attribution.ts'
import { register as mmm } from './mmm.ts'
import { register as demo } from './demo.ts'
import { register as users } from './users.ts'
import { register as spend } from './spend.ts'
import { register as measure } from './measure.ts'

/**
 * Every sub-command lives in its own file under `commands/` and exports `register(program)`;
 * add a line here to make it part of `chorus`.
 */
export function registerCommands(program: Command): void {
  for (const register of [serve, init, keys, doctor, importCommand, attribution, mmm, users, demo]) register(program)
  for (const register of [spend, measure]) register(program)
}
