/** Users, sessions, roles and permissions, API tokens. */

export { onAccessEnd } from './access.service';
export { watchAccessChanges } from './auth.cache';
export { SEND_PASSWORD_LINK, sendPasswordLinkJob } from './auth.jobs';
export { authRoutes } from './auth.routes';
export { sessions, users } from './auth.tables';
export { ensureBuiltInRoles } from './roles.service';
export { authenticateSession, authenticateToken, SESSION_COOKIE } from './sessions.service';
export { createApiToken } from './tokens.service';
export { userRoutes } from './users.routes';
export { createUser, findUserByEmail } from './users.service';
