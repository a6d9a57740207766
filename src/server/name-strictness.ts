import { z } from 'zod'

/**
 * `?allowUnknownNames=true` on the routes that save a definition (journeys, audiences): accept
 * event and trait names this workspace has not seen yet. By default such names are refused, as
 * they are usually typos; tracking that is still being added is the exception, said explicitly.
 */
export const NameStrictness = z.object({
  allowUnknownNames: z
    .enum(['true', 'false'])
    .default('false')
    .describe('Accept event and trait names not yet seen in this workspace (for tracking that is still being added)'),
})
