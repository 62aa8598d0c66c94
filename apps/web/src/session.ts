import type { Me } from '@keepdesk/contract';
import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './api';

/** The signed-in user, or null when nobody is signed in. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      const me = await api.get<Me>('/me');
      setCsrfToken(me.csrfToken);
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  staleTime: 60_000,
});

/** The signed-in user inside the authenticated part of the app. */
export function useMe(): Me {
  const { data } = useSuspenseQuery(meQuery);
  if (!data) throw new Error('useMe outside the signed-in area');
  return data;
}

export function can(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}
