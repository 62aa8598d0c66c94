import type { BuiltInRoleKey } from '@keepdesk/contract';
import { createUser, findUserByEmail } from './modules/auth';
import { createTeam, putTeamMember } from './modules/teams';
import type { Deps } from './platform/context';
import { SYSTEM_ACTOR } from './platform/events';

export const DEMO_PASSWORD = 'keepdesk-demo';

/** One person for every role, so each view of the product can be tried. Later steps add their data here. */
export const DEMO_USERS: { email: string; name: string; role: BuiltInRoleKey; language: 'de' | 'en' }[] = [
  { email: 'admin@demo.keepdesk.test', name: 'Alex Admin', role: 'admin', language: 'en' },
  { email: 'manager@demo.keepdesk.test', name: 'Monika Manager', role: 'manager', language: 'de' },
  { email: 'lead@demo.keepdesk.test', name: 'Lena Lead', role: 'team_lead', language: 'de' },
  { email: 'agent@demo.keepdesk.test', name: 'Aaron Agent', role: 'agent', language: 'en' },
  { email: 'agent2@demo.keepdesk.test', name: 'Anna Agentin', role: 'agent', language: 'de' },
  {
    email: 'retention@demo.keepdesk.test',
    name: 'Rita Retention',
    role: 'retention_specialist',
    language: 'en',
  },
  { email: 'sales@demo.keepdesk.test', name: 'Sam Sales', role: 'collaborator', language: 'en' },
];

const DEMO_TEAMS = [
  {
    name: '1st Level Support',
    description: 'First answers on every channel',
    members: ['lead', 'agent', 'agent2'],
  },
  {
    name: 'Retention',
    description: 'Keeps customers who are about to leave',
    members: ['retention', 'manager'],
  },
];

/** Creates the demo workspace once; a second run leaves it as it is. */
export async function seedDemo(deps: Deps): Promise<{ created: boolean }> {
  if (await findUserByEmail(deps.database.db, DEMO_USERS[0]!.email)) return { created: false };
  const ids = new Map<string, string>();
  for (const person of DEMO_USERS) {
    const user = await createUser(deps, SYSTEM_ACTOR, {
      ...person,
      timeZone: 'Europe/Berlin',
      password: DEMO_PASSWORD,
    });
    ids.set(person.email.split('@')[0]!, user.id);
  }
  for (const team of DEMO_TEAMS) {
    const created = await createTeam(deps, SYSTEM_ACTOR, { name: team.name, description: team.description });
    for (const member of team.members) {
      await putTeamMember(deps, SYSTEM_ACTOR, created.id, ids.get(member)!, member === 'lead');
    }
  }
  return { created: true };
}
