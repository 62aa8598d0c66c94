import type { PortalMe, PortalTicket, PortalTicketPage } from '@keepdesk/contract';
import { infiniteQueryOptions, queryOptions, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, api, query, setCsrfToken } from '../api';

/** The signed-in customer, or null when the portal cookie is missing or expired. */
export const portalMeQuery = queryOptions({
  queryKey: ['portal', 'me'],
  queryFn: async (): Promise<PortalMe | null> => {
    try {
      const me = await api.get<PortalMe>('/portal/me');
      setCsrfToken(me.csrfToken);
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export type Scope = 'mine' | 'organization';
/** The list's filter: everything, or the API's `open` (incl. awaiting reply) or `closed` (solved and closed). */
export type StatusFilter = 'all' | 'open' | 'closed';

const PAGE_SIZE = 25;

/** The customer's tickets page by page, following the API's cursor ("Show more"). */
export const portalTicketsQuery = (scope: Scope, status: StatusFilter) =>
  infiniteQueryOptions({
    queryKey: ['portal', 'tickets', scope, status],
    queryFn: ({ pageParam }) =>
      api.get<PortalTicketPage>(
        `/portal/tickets${query({
          scope,
          status: status === 'all' ? undefined : status,
          cursor: pageParam,
          limit: PAGE_SIZE,
        })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

export const portalTicketQuery = (id: string) =>
  queryOptions({
    queryKey: ['portal', 'ticket', id],
    queryFn: () => api.get<PortalTicket>(`/portal/tickets/${id}`),
  });

/**
 * The customer's live stream: the server passes on changes of tickets this customer may see (ids only), and the
 * page loads them again; the browser reconnects by itself.
 */
export function usePortalLive(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource('/api/v1/portal/live');
    source.addEventListener('change', (event) => {
      const change = JSON.parse((event as MessageEvent<string>).data) as { entityId: string };
      void queryClient.invalidateQueries({ queryKey: ['portal', 'ticket', change.entityId] });
      void queryClient.invalidateQueries({ queryKey: ['portal', 'tickets'] });
    });
    return () => source.close();
  }, [queryClient]);
}
