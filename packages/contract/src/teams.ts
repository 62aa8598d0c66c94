import { z } from 'zod';
import { pageOf } from './common';

export const TeamMember = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  isLead: z.boolean(),
});
export type TeamMember = z.infer<typeof TeamMember>;

export const Team = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    memberCount: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;
export const TeamPage = pageOf(Team);
export type TeamPage = z.infer<typeof TeamPage>;
export const TeamDetail = Team.extend({ members: z.array(TeamMember) }).meta({ id: 'TeamDetail' });
export type TeamDetail = z.infer<typeof TeamDetail>;

export const CreateTeamBody = z.object({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).default(''),
});
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;
export const UpdateTeamBody = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  description: z.string().trim().max(500).optional(),
});
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;
export const TeamMemberParams = z.object({ id: z.uuid(), userId: z.uuid() });
export const PutTeamMemberBody = z.object({ isLead: z.boolean().default(false) });
