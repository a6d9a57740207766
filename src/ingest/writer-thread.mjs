// Entry of the embedded database's writer thread. Plain JavaScript because a worker thread does
// not inherit the main thread's TypeScript loader: register it here, then load the thread's code.
import { register } from 'tsx/esm/api'

register()
await import('./writer-thread.ts')
