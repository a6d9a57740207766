import { z } from 'zod'
import { ROLES } from '../workspaces/index.ts'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.ts'

/** The teams the dashboard serves; a user's department picks their landing page. */
export const DEPARTMENTS = ['marketing', 'sales', 'product', 'service', 'other'] as const
export const Department = z.enum(DEPARTMENTS)
export type Department = z.infer<typeof Department>

/**
 * Sign-in names: letters (any script, so 张伟 works), digits and `. _ @ -`, 2–64 characters,
 * compared case-insensitively (stored NFKC + lower case).
 */
export const UserName = z
  .string()
  .trim()
  .transform((value) => value.normalize('NFKC').toLowerCase())
  .pipe(
    z
      .string()
      .min(2, 'A user name needs at least 2 characters')
      .max(64, 'A user name may have at most 64 characters')
      .regex(/^[\p{L}\p{N}._@-]+$/u, 'A user name may contain only letters, digits and . _ @ -'),
  )

export const Password = z.string().min(PASSWORD_MIN_LENGTH, `The password needs at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH)

export const Role = z.enum(ROLES)

export const NewUser = z.object({
  name: UserName.describe('Sign-in name, unique in the workspace (case-insensitive)'),
  displayName: z.string().trim().max(100).optional().describe('Shown in the dashboard; defaults to the sign-in name'),
  role: Role,
  department: Department.default('marketing'),
  password: Password,
})
export type NewUser = z.input<typeof NewUser>

export const UserChange = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    role: Role,
    department: Department,
    disabled: z.boolean().describe('A disabled user cannot sign in and their sessions end at once'),
    password: Password.describe('Sets a new password and ends the user’s sessions'),
  })
  .partial()
export type UserChange = z.infer<typeof UserChange>

/** What the API shows of a user: never the password hash. */
export const UserView = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  role: Role,
  department: Department,
  disabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
})
export type UserView = z.infer<typeof UserView>
