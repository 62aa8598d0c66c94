/** Teams and their members. */
export { teamRoutes } from './teams.routes';
export { createTeam, putTeamMember, teamNameOrFail } from './teams.service';
export { teamMemberships, teams } from './teams.tables';
