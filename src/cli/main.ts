import { Command } from 'commander'
import { registerCommands } from './commands/index.ts'

const program = new Command()
program
  .name('chorus')
  .description('Chorus (和声) — integrated marketing platform')
  .showHelpAfterError()
registerCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  console.error(`chorus: ${(error as Error).message}`)
  process.exitCode = 1
}
