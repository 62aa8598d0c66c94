import type { WorkSession } from '@keepdesk/contract';
import { useEffect, useRef } from 'react';
import { postKeepalive } from '../api';
import { WorkClock, WorkTarget } from './workClock';

const TICK_MS = 1_000;
const SEND_EVERY_MS = 30_000;
const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll', 'touchstart'] as const;

/**
 * Measures the agent's active time on this ticket (handle time): while the page is visible and the agent was
 * active within the last minute. Sends it every 30 s, when the page is hidden or left, and on unload. When the
 * ticket was merged meanwhile, the server books the time on the surviving ticket and `onMerged` hears of it once.
 */
export function useWorkTimer(
  ticketId: string,
  enabled: boolean,
  onMerged?: (survivor: { id: string; number: number }) => void,
): void {
  const merged = useRef(onMerged);
  merged.current = onMerged;
  useEffect(() => {
    if (!enabled) return;
    const clock = new WorkClock(Date.now());
    const target = new WorkTarget(ticketId);
    const send = () => {
      const segment = clock.take(Date.now());
      if (!segment) return;
      void postKeepalive(target.path, segment).then((answer) => {
        const survivor = target.answer(answer as WorkSession | null);
        if (survivor) merged.current?.(survivor);
      });
    };
    const onActivity = () => clock.activity(Date.now());
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') send();
      else onActivity();
    };
    for (const event of ACTIVITY)
      window.addEventListener(event, onActivity, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', send);
    const ticker = setInterval(() => clock.tick(Date.now(), document.visibilityState === 'visible'), TICK_MS);
    const sender = setInterval(send, SEND_EVERY_MS);
    return () => {
      for (const event of ACTIVITY) window.removeEventListener(event, onActivity, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', send);
      clearInterval(ticker);
      clearInterval(sender);
      clock.tick(Date.now(), document.visibilityState === 'visible');
      send();
    };
  }, [ticketId, enabled]);
}
