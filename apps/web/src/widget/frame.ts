/**
 * The widget's frame (`/widget/frame`, Keepdesk's origin): help-center search, the contact form and the
 * visitor's conversation with live replies. Everything a visitor or an agent wrote is put on the page with
 * `textContent`, never as markup.
 */

interface Hit {
  id: string;
  number: number;
  title: string;
  slug: string;
  language: string;
  excerpt: string;
}
interface SearchResult {
  items: Hit[];
  total: number;
  correctedText: string | null;
  queryId?: number | null;
}
interface Message {
  id: string;
  from: 'visitor' | 'agent';
  authorName: string;
  text: string;
  createdAt: string;
}
interface Conversation {
  ticketNumber: number;
  subject: string;
  status: 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
  messages: Message[];
}
type Words = Record<string, string> & { statusNames: Record<string, string> };

const root = document.documentElement;
const brand = root.dataset.brand ?? 'default';
const language = root.dataset.language ?? 'en';
const hostOrigin = root.dataset.hostOrigin ?? '';
const words = JSON.parse(document.getElementById('kd-words')?.textContent ?? '{}') as Words;
const storageKey = `keepdesk:widget:${brand}`;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const launcher = byId<HTMLButtonElement>('kd-launcher');
const badge = byId<HTMLElement>('kd-badge');
const panel = byId<HTMLElement>('kd-panel');
const tabs = ['search', 'contact', 'conversation'] as const;
type Tab = (typeof tabs)[number];
const tab = (name: Tab) => byId<HTMLButtonElement>(`kd-tab-${name}`);
const pane = (name: Tab) => byId<HTMLElement>(`kd-pane-${name}`);
const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

// Colours through CSSOM: the frame's CSP allows no inline style, and CSSOM is not inline style.
root.style.setProperty('--kd-primary', root.dataset.primary ?? '#1864ab');
root.style.setProperty('--kd-text', root.dataset.text ?? '#ffffff');

/** Keepdesk-origin storage; where the browser refuses it, the token lives as long as the page. */
const store = {
  memory: null as string | null,
  get(): string | null {
    try {
      return window.localStorage.getItem(storageKey);
    } catch {
      return store.memory;
    }
  },
  set(value: string | null) {
    store.memory = value;
    try {
      if (value) window.localStorage.setItem(storageKey, value);
      else window.localStorage.removeItem(storageKey);
    } catch {
      // Storage blocked (private mode, third-party storage off): the memory copy serves this visit.
    }
  },
};

function toHost(message: Record<string, unknown>): void {
  if (hostOrigin && window.parent !== window) window.parent.postMessage(message, hostOrigin);
}

function setOpen(open: boolean): void {
  panel.hidden = !open;
  launcher.hidden = open;
  launcher.setAttribute('aria-expanded', String(open));
  toHost({ type: 'keepdesk:resize', state: open ? 'open' : 'closed' });
  if (open) {
    badge.hidden = true;
    const selected = tabs.find((name) => tab(name).getAttribute('aria-selected') === 'true') ?? 'search';
    focusFirst(selected);
  } else {
    launcher.focus();
  }
}

function focusFirst(name: Tab): void {
  pane(name).querySelector<HTMLElement>('input, textarea, button:not([hidden])')?.focus();
}

function select(name: Tab, focus = false): void {
  for (const other of tabs) {
    const isSelected = other === name;
    tab(other).setAttribute('aria-selected', String(isSelected));
    tab(other).tabIndex = isSelected ? 0 : -1;
    pane(other).hidden = !isSelected;
  }
  if (focus) focusFirst(name);
}

// Tabs: click, and arrow keys between the visible ones (WAI-ARIA tabs pattern).
for (const name of tabs) {
  tab(name).addEventListener('click', () => select(name));
  tab(name).addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const visible = tabs.filter((t) => !tab(t).hidden);
    const next =
      visible[
        (visible.indexOf(name) + (event.key === 'ArrowRight' ? 1 : -1) + visible.length) % visible.length
      ]!;
    select(next);
    tab(next).focus();
    event.preventDefault();
  });
}
launcher.addEventListener('click', () => setOpen(true));
byId('kd-close').addEventListener('click', () => setOpen(false));
panel.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') setOpen(false);
});
window.addEventListener('message', (event: MessageEvent<{ type?: unknown }>) => {
  // The host page's `KeepdeskWidget.open()` / `.close()`; from the embedding page only.
  if (!hostOrigin || event.origin !== hostOrigin || event.source !== window.parent) return;
  if (event.data?.type === 'keepdesk:open') setOpen(true);
  if (event.data?.type === 'keepdesk:close') setOpen(false);
});

async function api<T>(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; data: T | null }> {
  const token = store.get();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Widget ${token}`;
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as T) : null;
  return { status: response.status, data };
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- Search -------------------------------------------------------------------------------------------
const searchStatus = byId('kd-search-status');
const results = byId<HTMLUListElement>('kd-results');
const empty = byId('kd-empty');

/**
 * Tells the search analytics which result was opened (the server keeps the first click of a search). Fire and
 * forget: the link opens the article whatever happens here, and the visitor's token is not sent along.
 */
function reportClick(queryId: number, articleId: string): void {
  fetch(`/api/v1/public/kb/search/${queryId}/click`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ articleId }),
    keepalive: true,
  }).catch(() => undefined);
}

byId<HTMLFormElement>('kd-search').addEventListener('submit', async (event) => {
  event.preventDefault();
  const q = byId<HTMLInputElement>('kd-q').value.trim();
  if (!q) return;
  searchStatus.textContent = words.searching!;
  results.replaceChildren();
  empty.hidden = true;
  const params = new URLSearchParams({ brand, q, language, source: 'widget' });
  let found: SearchResult = { items: [], total: 0, correctedText: null };
  try {
    const answer = await api<SearchResult>('GET', `/api/v1/public/kb/search?${params.toString()}`);
    if (answer.status === 200 && answer.data) found = answer.data;
  } catch {
    // Offline or no help center: the empty state still leads to the contact form.
  }
  for (const hit of found.items) {
    const item = element('li', '');
    const link = element('a', '', hit.title);
    link.href = `/hc/${encodeURIComponent(brand)}/${encodeURIComponent(hit.language)}/articles/${hit.number}-${encodeURIComponent(hit.slug)}`;
    link.target = '_blank';
    link.rel = 'noopener';
    const queryId = found.queryId;
    if (queryId) {
      link.addEventListener('click', () => reportClick(queryId, hit.id));
      // A middle click opens the article in a new tab without a `click` event.
      link.addEventListener('auxclick', (event) => {
        if (event.button === 1) reportClick(queryId, hit.id);
      });
    }
    item.append(link, element('p', '', hit.excerpt));
    results.append(item);
  }
  if (found.items.length === 0) {
    searchStatus.textContent = fill(words.noResults!, { q });
    empty.hidden = byId('kd-tab-contact').hidden;
  } else {
    searchStatus.textContent =
      (found.correctedText ? `${fill(words.didYouMean!, { q: found.correctedText })} ` : '') +
      fill(words.results!, { n: found.total });
  }
});
byId('kd-empty-contact').addEventListener('click', () => select('contact', true));

// --- Contact form -------------------------------------------------------------------------------------
const contactForm = byId<HTMLFormElement>('kd-contact');
const contactStatus = byId('kd-contact-status');

function fieldProblem(id: string, problem: string | null): boolean {
  const field = byId<HTMLInputElement>(id);
  const note = byId(`${id}-error`);
  field.setAttribute('aria-invalid', String(problem !== null));
  note.hidden = problem === null;
  note.textContent = problem ?? '';
  return problem !== null;
}

contactForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
  const problems = [
    fieldProblem('kd-name', value('kd-name') ? null : words.required!),
    fieldProblem(
      'kd-email',
      !value('kd-email')
        ? words.required!
        : byId<HTMLInputElement>('kd-email').validity.valid
          ? null
          : words.invalidEmail!,
    ),
    fieldProblem('kd-message', value('kd-message') ? null : words.required!),
  ];
  const firstInvalid = ['kd-name', 'kd-email', 'kd-message'][problems.indexOf(true)];
  if (firstInvalid) {
    byId(firstInvalid).focus();
    return;
  }
  const button = contactForm.querySelector('button') as HTMLButtonElement;
  button.disabled = true;
  contactStatus.classList.remove('error');
  contactStatus.textContent = words.sending!;
  try {
    store.set(null);
    const answer = await api<{ token: string; conversation: Conversation }>(
      'POST',
      `/api/v1/widget/${encodeURIComponent(brand)}/conversations`,
      { name: value('kd-name'), email: value('kd-email'), message: value('kd-message'), language },
    );
    if (answer.status !== 201 || !answer.data) throw new Error(String(answer.status));
    store.set(answer.data.token);
    contactForm.reset();
    contactStatus.textContent = '';
    showConversation(answer.data.conversation, true);
    startLive();
  } catch (error) {
    contactStatus.classList.add('error');
    contactStatus.textContent = String(error).includes('429') ? words.tooMany! : words.failed!;
  } finally {
    button.disabled = false;
  }
});

// --- Conversation -------------------------------------------------------------------------------------
const messageList = byId<HTMLOListElement>('kd-messages');
const replyForm = byId<HTMLFormElement>('kd-reply');
const replyStatus = byId('kd-reply-status');
let shown = 0;

function showConversation(conversation: Conversation, focus = false): void {
  tab('conversation').hidden = false;
  byId('kd-conv-status').textContent = fill(words.status!, {
    n: conversation.ticketNumber,
    status: words.statusNames[conversation.status] ?? conversation.status,
  });
  const items = conversation.messages.map((message) => {
    const item = element('li', message.from);
    const who = message.from === 'visitor' ? words.you! : message.authorName || words.support!;
    const time = new Date(message.createdAt).toLocaleTimeString(language, {
      hour: '2-digit',
      minute: '2-digit',
    });
    item.append(element('span', 'who', `${who} · ${time}`), element('p', 'text', message.text));
    return item;
  });
  messageList.replaceChildren(...items);
  const closed = conversation.status === 'closed';
  replyForm.hidden = closed;
  byId('kd-closed').hidden = !closed;
  if (items.length > shown && shown > 0 && panel.hidden) badge.hidden = false;
  shown = items.length;
  if (focus || !pane('conversation').hidden) {
    if (focus) select('conversation', true);
    items.at(-1)?.scrollIntoView({ block: 'end' });
  }
}

async function refresh(): Promise<void> {
  if (!store.get()) return;
  const answer = await api<Conversation>('GET', '/api/v1/widget/conversation');
  if (answer.status === 401) {
    // The request is gone (deleted) or the token is unknown: start over with the contact form.
    store.set(null);
    tab('conversation').hidden = true;
    select('search');
    return;
  }
  if (answer.status === 200 && answer.data) showConversation(answer.data);
}

replyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const field = byId<HTMLTextAreaElement>('kd-reply-text');
  const text = field.value.trim();
  if (!text) return;
  const button = replyForm.querySelector('button') as HTMLButtonElement;
  button.disabled = true;
  replyStatus.classList.remove('error');
  replyStatus.textContent = words.sending!;
  try {
    const answer = await api<Conversation>('POST', '/api/v1/widget/conversation/messages', { text });
    if (answer.status === 201 && answer.data) {
      field.value = '';
      replyStatus.textContent = '';
      showConversation(answer.data);
    } else if (answer.status === 409) {
      replyStatus.textContent = '';
      await refresh();
    } else {
      throw new Error(String(answer.status));
    }
  } catch (error) {
    replyStatus.classList.add('error');
    replyStatus.textContent = String(error).includes('429') ? words.tooMany! : words.failed!;
  } finally {
    button.disabled = false;
  }
});
byId('kd-new').addEventListener('click', () => {
  store.set(null);
  stopLive();
  tab('conversation').hidden = true;
  select('contact', true);
});

// --- Live replies: Server-Sent Events read with fetch, so the token stays in a header -----------------
let live: AbortController | null = null;

function stopLive(): void {
  live?.abort();
  live = null;
}

function startLive(): void {
  stopLive();
  const controller = new AbortController();
  live = controller;
  void (async () => {
    let delay = 1000;
    while (!controller.signal.aborted && store.get()) {
      try {
        const response = await fetch('/api/v1/widget/conversation/live', {
          headers: { authorization: `Widget ${store.get()}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (response.status === 401) {
          await refresh();
          return;
        }
        if (!response.ok || !response.body) throw new Error(String(response.status));
        delay = 1000;
        await refresh(); // whatever happened while not connected
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const frames = buffer.split('\n\n');
          buffer = frames.pop() ?? '';
          if (frames.some((frame) => /^event: (message|status)$/m.test(frame))) await refresh();
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  })();
}

// --- Start ---------------------------------------------------------------------------------------------
if (store.get()) {
  tab('conversation').hidden = false;
  select('conversation');
  startLive();
}
if (hostOrigin && window.parent !== window) {
  toHost({ type: 'keepdesk:ready', position: root.dataset.position, title: document.title });
} else {
  // Opened on its own (a direct link): the panel is the page.
  launcher.hidden = true;
  panel.hidden = false;
  byId('kd-close').hidden = true;
}
