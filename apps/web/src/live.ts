import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from './api';

interface ChangeEvent {
  type: 'change';
  entityType: string;
  entityId: string;
  action: string;
}

export interface PresenceEvent {
  type: 'presence';
  ticketId: string;
  userId: string;
  name: string;
  state: 'viewing' | 'typing' | 'left';
  at: string;
}

/** Presence events of this browser's live stream, for the ticket pages that show them. */
const presenceEvents = new EventTarget();
/** Calls this user took (the telephony system said so), for the call pop-up. */
const callEvents = new EventTarget();

function applyChange(queryClient: QueryClient, change: ChangeEvent): void {
  if (change.entityType === 'ticket') {
    void queryClient.invalidateQueries({ queryKey: ['tickets', change.entityId] });
    void queryClient.invalidateQueries({ queryKey: ['views'] });
    void queryClient.invalidateQueries({ queryKey: ['tickets', 'requester'] });
    void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    void queryClient.invalidateQueries({ queryKey: ['reports', 'live'] });
  } else if (change.entityType === 'kb_article') {
    // A colleague's acknowledgement changes no list. The lists only: an open article is not reloaded under
    // its editor's unsaved changes.
    if (change.action === 'kb_policy.acknowledged') return;
    void queryClient.invalidateQueries({ queryKey: ['kb', 'articles'] });
    void queryClient.invalidateQueries({ queryKey: ['kb', 'policies', 'mine'] });
  } else {
    void queryClient.invalidateQueries({ queryKey: [`${change.entityType}s`] });
  }
}

/**
 * Keeps the open pages current: one Server-Sent Events stream per browser tab; a change anywhere (in any
 * Keepdesk process) refreshes what shows it. The browser reconnects by itself after a break.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource('/api/v1/live');
    source.addEventListener('change', (event) =>
      applyChange(queryClient, JSON.parse(event.data) as ChangeEvent),
    );
    source.addEventListener(
      'notification',
      () => void queryClient.invalidateQueries({ queryKey: ['notifications'] }),
    );
    source.addEventListener('call', (event) => {
      const { callId } = JSON.parse(event.data) as { callId: string };
      callEvents.dispatchEvent(new CustomEvent('call', { detail: callId }));
    });
    source.addEventListener('presence', (event) => {
      presenceEvents.dispatchEvent(
        new CustomEvent('presence', { detail: JSON.parse(event.data) as PresenceEvent }),
      );
    });
    // After a break, reload everything once: changes may have been missed meanwhile.
    source.addEventListener('open', () => void queryClient.invalidateQueries());
    return () => source.close();
  }, [queryClient]);
}

const PRESENCE_TTL_MS = 25_000;

function announce(ticketId: string, state: 'viewing' | 'typing' | 'left'): Promise<unknown> {
  return api.post(`/tickets/${ticketId}/presence`, { state }).catch(() => {});
}
const HEARTBEAT_MS = 10_000;

/**
 * Announces that this user views the ticket (every 10 s, and `typing` while they type) and returns the
 * colleagues who view or type on it now.
 */
export function usePresence(ticketId: string, myUserId: string, typing: boolean): PresenceEvent[] {
  const [others, setOthers] = useState<Map<string, PresenceEvent>>(new Map());
  useEffect(() => {
    const listener = (event: Event) => {
      const presence = (event as CustomEvent<PresenceEvent>).detail;
      if (presence.ticketId !== ticketId || presence.userId === myUserId) return;
      setOthers((current) => {
        const next = new Map(current);
        if (presence.state === 'left') next.delete(presence.userId);
        else next.set(presence.userId, presence);
        return next;
      });
    };
    presenceEvents.addEventListener('presence', listener);
    const expire = setInterval(() => {
      setOthers((current) => {
        const now = Date.now();
        const next = new Map(
          [...current].filter(([, p]) => now - new Date(p.at).getTime() < PRESENCE_TTL_MS),
        );
        return next.size === current.size ? current : next;
      });
    }, 5_000);
    return () => {
      presenceEvents.removeEventListener('presence', listener);
      clearInterval(expire);
      setOthers(new Map());
    };
  }, [ticketId, myUserId]);

  useEffect(() => {
    const state = typing ? 'typing' : 'viewing';
    void announce(ticketId, state);
    const heartbeat = setInterval(() => void announce(ticketId, state), HEARTBEAT_MS);
    return () => clearInterval(heartbeat);
  }, [ticketId, typing]);
  useEffect(() => () => void announce(ticketId, 'left'), [ticketId]);

  return [...others.values()];
}

/** The ids of the calls this user took while the page is open, newest last, until dismissed. */
export function useCallPops(): { callIds: string[]; dismiss: (callId: string) => void } {
  const [callIds, setCallIds] = useState<string[]>([]);
  useEffect(() => {
    const listener = (event: Event) => {
      const callId = (event as CustomEvent<string>).detail;
      setCallIds((current) => (current.includes(callId) ? current : [...current, callId]));
    };
    callEvents.addEventListener('call', listener);
    return () => callEvents.removeEventListener('call', listener);
  }, []);
  return { callIds, dismiss: (callId) => setCallIds((current) => current.filter((id) => id !== callId)) };
}
