/** A Server-Sent Events client for tests: collects events and waits for one that matches. */
export interface SseStream {
  events: { event: string; data: unknown }[];
  status: number;
  contentType: string | null;
  waitFor(match: (event: { event: string; data: unknown }) => boolean, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: { event: string; data: unknown }[] = [];
  const waiters = new Set<() => void>();
  const reader = res.body?.getReader();
  const pump = (async () => {
    if (!reader) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event && data) {
          events.push({ event, data: JSON.parse(data) });
          for (const wake of waiters) wake();
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  return {
    events,
    status: res.status,
    contentType: res.headers.get('content-type'),
    waitFor(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found.data);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}
