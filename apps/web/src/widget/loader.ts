/**
 * `/widget.js`: the one script a customer's site includes. It only places Keepdesk's frame on the page; all
 * of the widget runs inside that frame, on Keepdesk's origin and under Keepdesk's CSP. So the host page needs
 * nothing but `script-src` and `frame-src` for Keepdesk: no inline code, no injected styles (the frame's box
 * is set through CSSOM, which CSP does not govern), no `connect-src`.
 */

interface FrameMessage {
  type?: unknown;
  state?: unknown;
  position?: unknown;
  title?: unknown;
}

type Size = 'closed' | 'open';

/** `window.KeepdeskWidget.open()` / `.close()`: for a host page's own "Help" button. */
type HostWindow = Window & { KeepdeskWidget?: { open(): void; close(): void } };

(() => {
  const host = window as HostWindow;
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script?.src || host.KeepdeskWidget) return;
  const keepdesk = new URL(script.src).origin;
  const options = script.dataset;
  const params = new URLSearchParams({
    brand: options.brand || 'default',
    origin: window.location.origin,
    hostLang: document.documentElement.lang || navigator.language || '',
  });
  if (options.language) params.set('lang', options.language);
  if (options.position) params.set('position', options.position);
  if (options.color) params.set('color', options.color);

  const frame = document.createElement('iframe');
  frame.src = `${keepdesk}/widget/frame?${params.toString()}`;
  frame.title = 'Help';
  // Scripts and its own storage for the frame; links may open help articles in a new tab.
  frame.setAttribute(
    'sandbox',
    'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox',
  );
  frame.setAttribute('allow', '');

  let position = 'bottom-right';
  let size: Size = 'closed';
  let ready = false;

  /** `!important` element styles win over any host stylesheet (`iframe { display: none !important }` too). */
  const set = (property: string, value: string) => frame.style.setProperty(property, value, 'important');
  const place = () => {
    const small = window.innerWidth < 480;
    const open = size === 'open';
    const base: Record<string, string> = {
      all: 'initial',
      position: 'fixed',
      'z-index': '2147483000',
      border: '0',
      margin: '0',
      padding: '0',
      background: 'transparent',
      'color-scheme': 'normal',
      'max-width': '100vw',
      'max-height': '100vh',
      'min-width': '0',
      'min-height': '0',
      opacity: '1',
      visibility: 'visible',
      transform: 'none',
      'pointer-events': 'auto',
      display: ready ? 'block' : 'none',
      bottom: open && small ? '0' : '16px',
      width: open ? (small ? '100vw' : '400px') : '76px',
      height: open ? (small ? '100%' : 'min(640px, calc(100vh - 32px))') : '76px',
    };
    const side = position === 'bottom-left' ? 'left' : 'right';
    const other = side === 'left' ? 'right' : 'left';
    base[side] = open && small ? '0' : '16px';
    base[other] = 'auto';
    base.top = 'auto';
    for (const [property, value] of Object.entries(base)) set(property, value);
  };

  window.addEventListener('message', (event: MessageEvent<FrameMessage>) => {
    // Only our own frame, from Keepdesk's origin; nothing but open, close and where to stand.
    if (event.origin !== keepdesk || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'keepdesk:ready') {
      ready = true;
      if (data.position === 'bottom-left' || data.position === 'bottom-right') position = data.position;
      if (typeof data.title === 'string') frame.title = data.title.slice(0, 100);
    } else if (data.type === 'keepdesk:resize' && (data.state === 'open' || data.state === 'closed')) {
      size = data.state;
    } else {
      return;
    }
    place();
  });
  window.addEventListener('resize', () => {
    if (ready) place();
  });

  const command = (type: string) => frame.contentWindow?.postMessage({ type }, keepdesk);
  host.KeepdeskWidget = { open: () => command('keepdesk:open'), close: () => command('keepdesk:close') };

  const mount = () => {
    place();
    document.body.appendChild(frame);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
