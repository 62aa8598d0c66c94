import type { User } from '@keepdesk/contract';
import type { users } from './auth.tables';

type UserRow = typeof users.$inferSelect;

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.roleKey,
    language: row.language === 'de' ? 'de' : 'en',
    timeZone: row.timeZone,
    avatarUrl: row.avatarUrl,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
  };
}
