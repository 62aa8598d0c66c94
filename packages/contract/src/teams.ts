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

export const RoutingMethod = z.enum(['manual', 'round_robin', 'least_loaded', 'skills']).meta({
  description:
    'manual: agents take tickets; round_robin: in turn; least_loaded: fewest open tickets; skills: agents with the skills (tags) and language a ticket needs',
});
export const TeamRouting = z.object({ teamId: z.uuid(), method: RoutingMethod }).meta({ id: 'TeamRouting' });
export type TeamRouting = z.infer<typeof TeamRouting>;
export const PutTeamRoutingBody = z.object({ method: RoutingMethod });

export const Presence = z.enum(['online', 'away', 'offline']);
export const AgentRouting = z
  .object({
    user: z.object({ id: z.uuid(), name: z.string() }),
    presence: Presence,
    presenceAt: z.iso.datetime(),
    capacity: z.number().int(),
    load: z.number().int().meta({ description: 'Open tickets assigned now' }),
    skills: z.record(z.string(), z.number().int()),
    languages: z.array(z.string()),
  })
  .meta({ id: 'AgentRouting' });
export type AgentRouting = z.infer<typeof AgentRouting>;
export const AgentRoutingList = z.object({ items: z.array(AgentRouting) });
export type AgentRoutingList = z.infer<typeof AgentRoutingList>;
export const PutAgentRoutingBody = z.object({
  capacity: z.number().int().min(0).max(500).optional(),
  skills: z.record(z.string().trim().toLowerCase().min(1).max(50), z.number().int().min(1).max(5)).optional(),
  languages: z
    .array(z.enum(['de', 'en']))
    .max(2)
    .optional(),
});
export type PutAgentRoutingBody = z.infer<typeof PutAgentRoutingBody>;
export const PutPresenceBody = z.object({ presence: Presence });
