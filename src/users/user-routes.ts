import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'
import { createUser, getUserRow, listUsers, toUserView, updateUser } from './store.ts'
import { Department, NewUser, Role, UserChange } from './user.ts'

const IdParams = z.object({ id: z.string().min(1) })

/** User management for admins: create, list (filter, search, paginate), change role, department, password; disable. */
export async function userRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const admin = requirePermission(db, 'admin')

  app.get(
    '/users',
    {
      preHandler: admin,
      schema: {
        description: 'Dashboard users, by sign-in name; filter by role, department or status, search name and display name',
        tags: ['users'],
        querystring: z.object({
          q: z.string().max(200).optional(),
          role: Role.optional(),
          department: Department.optional(),
          status: z.enum(['active', 'disabled']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(400).optional(),
        }),
      },
    },
    async (request) => listUsers(db, principalOf(request).workspaceId, request.query),
  )

  app.post('/users', { preHandler: admin, schema: { description: 'Create a user who signs in with a password', tags: ['users'], body: NewUser } }, async (request, reply) => {
    const outcome = await createUser(db, { workspaceId: principalOf(request).workspaceId, input: request.body, now: ctx.clock.now() })
    if (outcome.kind === 'NameTaken') throw new HttpError(409, 'NameTaken', `There is already a user named "${outcome.name}"; choose another sign-in name`)
    return reply.status(201).send(outcome.user)
  })

  app.get('/users/:id', { preHandler: admin, schema: { description: 'One user', tags: ['users'], params: IdParams } }, async (request) => {
    const row = await getUserRow(db, principalOf(request).workspaceId, request.params.id)
    if (!row) throw new HttpError(404, 'NotFound', `No user ${request.params.id}`)
    return toUserView(row)
  })

  app.patch(
    '/users/:id',
    {
      preHandler: admin,
      schema: { description: 'Change display name, role, department or password, or disable / enable a user', tags: ['users'], params: IdParams, body: UserChange },
    },
    async (request) => {
      const principal = principalOf(request)
      if (principal.userId === request.params.id && request.body.disabled === true) throw new HttpError(409, 'CannotDisableSelf', 'You cannot disable the user you are signed in as')
      const outcome = await updateUser(db, { workspaceId: principal.workspaceId, id: request.params.id, change: request.body, now: ctx.clock.now() })
      if (outcome.kind === 'NotFound') throw new HttpError(404, 'NotFound', `No user ${request.params.id}`)
      if (outcome.kind === 'LastAdmin') throw new HttpError(409, 'LastAdmin', 'This is the last enabled admin user; make someone else an admin first')
      return outcome.user
    },
  )
}
