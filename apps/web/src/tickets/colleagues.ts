import type { UserPage } from '@keepdesk/contract';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../api';

/** Active colleagues, for assigning, mentioning and filtering (one cached query for the whole app). */
export function useColleagues(): { id: string; name: string }[] {
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => api.get<UserPage>(`/users${query({ limit: 200 })}`),
  });
  return (users.data?.items ?? []).filter((u) => u.isActive).map((u) => ({ id: u.id, name: u.name }));
}
