export * from './store.ts'
export { WriteKeyCache } from './write-keys.ts'
export { ROLES, can, type Role, type Permission } from './roles.ts'
export { sourceRoutes } from './routes.ts'
