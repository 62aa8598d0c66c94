import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { escapeHtml } from '../../platform/html';
import type { App } from '../../platform/http';
import { type BrandWidget, brandWidget, safeColor, safeOrigin } from '../knowledge';
import { chooseLanguage, frameContentSecurityPolicy } from './widget.domain';
import { FRAME_STYLE } from './widget.style';

type Language = 'de' | 'en';

const WORDS = {
  en: {
    title: 'Help',
    openHelp: 'Open help and contact',
    close: 'Close',
    tabs: 'Help and contact',
    tabSearch: 'Search help',
    tabContact: 'Contact us',
    tabConversation: 'Conversation',
    searchLabel: 'Search the help center',
    search: 'Search',
    name: 'Your name',
    email: 'Your e-mail address',
    message: 'How can we help?',
    send: 'Send',
    reply: 'Your message',
    newRequest: 'New request',
    closedNote: 'This request is closed. Write to us again through the contact form.',
    // Words the frame's script shows; `{q}`, `{n}` are filled in there.
    script: {
      searching: 'Searching…',
      noResults: 'No articles found for “{q}”.',
      writeToUs: 'Write to us instead',
      results: '{n} articles found.',
      didYouMean: 'Showing results for “{q}”.',
      sending: 'Sending…',
      sent: 'Thank you! We have received your message and reply here and by e-mail.',
      failed: 'That did not work. Please try again.',
      tooMany: 'Too many messages. Please wait a moment and try again.',
      required: 'Please fill in this field.',
      invalidEmail: 'Please enter a valid e-mail address.',
      you: 'You',
      support: 'Support',
      status: 'Request #{n}: {status}',
      newMessage: 'New reply',
      statusNames: {
        new: 'received',
        open: 'open',
        pending: 'waiting for your reply',
        on_hold: 'on hold',
        solved: 'solved',
        closed: 'closed',
      },
    },
  },
  de: {
    title: 'Hilfe',
    openHelp: 'Hilfe und Kontakt öffnen',
    close: 'Schließen',
    tabs: 'Hilfe und Kontakt',
    tabSearch: 'Hilfe durchsuchen',
    tabContact: 'Kontakt',
    tabConversation: 'Unterhaltung',
    searchLabel: 'Im Hilfe-Center suchen',
    search: 'Suchen',
    name: 'Ihr Name',
    email: 'Ihre E-Mail-Adresse',
    message: 'Wie können wir helfen?',
    send: 'Senden',
    reply: 'Ihre Nachricht',
    newRequest: 'Neue Anfrage',
    closedNote: 'Diese Anfrage ist abgeschlossen. Schreiben Sie uns gern erneut über das Kontaktformular.',
    script: {
      searching: 'Suche läuft …',
      noResults: 'Keine Artikel zu „{q}“ gefunden.',
      writeToUs: 'Schreiben Sie uns stattdessen',
      results: '{n} Artikel gefunden.',
      didYouMean: 'Ergebnisse für „{q}“.',
      sending: 'Wird gesendet …',
      sent: 'Vielen Dank! Wir haben Ihre Nachricht erhalten und antworten hier und per E-Mail.',
      failed: 'Das hat nicht geklappt. Bitte versuchen Sie es erneut.',
      tooMany: 'Zu viele Nachrichten. Bitte warten Sie einen Moment.',
      required: 'Bitte füllen Sie dieses Feld aus.',
      invalidEmail: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
      you: 'Sie',
      support: 'Support',
      status: 'Anfrage #{n}: {status}',
      newMessage: 'Neue Antwort',
      statusNames: {
        new: 'eingegangen',
        open: 'offen',
        pending: 'wartet auf Ihre Antwort',
        on_hold: 'zurückgestellt',
        solved: 'gelöst',
        closed: 'abgeschlossen',
      },
    },
  },
} as const;

interface FrameOptions {
  brand: BrandWidget;
  language: Language;
  primaryColor: string;
  position: 'bottom-right' | 'bottom-left';
  hostOrigin: string | null;
  version: string;
}

/** JSON inside `<script type="application/json">`: a data block, never run, so the CSP needs no exception. */
function jsonBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function framePage(o: FrameOptions): string {
  const w = WORDS[o.language];
  const a = (value: string) => escapeHtml(value);
  const contact = o.brand.contactFormEnabled;
  return `<!doctype html>
<html lang="${o.language}" data-brand="${a(o.brand.slug)}" data-language="${o.language}" data-position="${o.position}" data-primary="${a(o.primaryColor)}" data-text="${a(o.brand.widget.textColor)}" data-host-origin="${a(o.hostOrigin ?? '')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${a(o.brand.name)} – ${w.title}</title>
<link rel="stylesheet" href="/widget/frame.css?v=${o.version}">
<script type="application/json" id="kd-words">${jsonBlock(w.script)}</script>
<script src="/widget/frame.js?v=${o.version}" defer></script>
</head>
<body>
<button type="button" class="launcher" id="kd-launcher" aria-expanded="false" aria-controls="kd-panel"><span aria-hidden="true">?</span><span class="sr">${w.openHelp}</span><span class="badge" id="kd-badge" hidden></span></button>
<section class="panel" id="kd-panel" role="dialog" aria-labelledby="kd-title" hidden>
<header class="head"><h1 id="kd-title">${a(o.brand.name)}</h1><button type="button" class="close" id="kd-close" aria-label="${w.close}">×</button></header>
<div class="tabs" role="tablist" aria-label="${w.tabs}">
<button type="button" role="tab" id="kd-tab-search" aria-controls="kd-pane-search" aria-selected="true">${w.tabSearch}</button>
<button type="button" role="tab" id="kd-tab-contact" aria-controls="kd-pane-contact" aria-selected="false" tabindex="-1"${contact ? '' : ' hidden'}>${w.tabContact}</button>
<button type="button" role="tab" id="kd-tab-conversation" aria-controls="kd-pane-conversation" aria-selected="false" tabindex="-1" hidden>${w.tabConversation}</button>
</div>
<div class="pane" role="tabpanel" id="kd-pane-search" aria-labelledby="kd-tab-search">
<form id="kd-search" role="search">
<label for="kd-q">${w.searchLabel}</label>
<div class="row"><input id="kd-q" name="q" type="search" maxlength="200" autocomplete="off" required><button type="submit" class="primary">${w.search}</button></div>
</form>
<p id="kd-search-status" class="status" role="status" aria-live="polite"></p>
<ul id="kd-results" class="results"></ul>
<p id="kd-empty" hidden><button type="button" class="link" id="kd-empty-contact">${w.script.writeToUs}</button></p>
</div>
<div class="pane" role="tabpanel" id="kd-pane-contact" aria-labelledby="kd-tab-contact" hidden>
<form id="kd-contact" novalidate>
<label for="kd-name">${w.name}</label>
<input id="kd-name" name="name" autocomplete="name" maxlength="200" required aria-describedby="kd-name-error">
<p id="kd-name-error" class="status error" hidden></p>
<label for="kd-email">${w.email}</label>
<input id="kd-email" name="email" type="email" autocomplete="email" maxlength="254" required aria-describedby="kd-email-error">
<p id="kd-email-error" class="status error" hidden></p>
<label for="kd-message">${w.message}</label>
<textarea id="kd-message" name="message" rows="5" maxlength="3500" required aria-describedby="kd-message-error"></textarea>
<p id="kd-message-error" class="status error" hidden></p>
<button type="submit" class="primary">${w.send}</button>
<p id="kd-contact-status" class="status" role="status" aria-live="polite"></p>
</form>
</div>
<div class="pane" role="tabpanel" id="kd-pane-conversation" aria-labelledby="kd-tab-conversation" hidden>
<p id="kd-conv-status" class="conv-status" role="status" aria-live="polite"></p>
<ol id="kd-messages" class="messages" aria-label="${w.tabConversation}"></ol>
<form id="kd-reply">
<label for="kd-reply-text">${w.reply}</label>
<textarea id="kd-reply-text" name="text" rows="3" maxlength="10000" required></textarea>
<button type="submit" class="primary">${w.send}</button>
<p id="kd-reply-status" class="status" role="status" aria-live="polite"></p>
</form>
<p id="kd-closed" hidden>${w.closedNote} <button type="button" class="link" id="kd-new">${w.newRequest}</button></p>
</div>
</section>
</body>
</html>`;
}

/** A built file of the widget's browser code (`apps/web/src/widget`, built into `dist/widget`). */
interface Asset {
  body: Buffer;
  version: string;
}

/**
 * The widget's pages on Keepdesk's origin: `/widget.js` (the loader a customer's site includes) and the
 * frame it opens (`/widget/frame`, its script and style). Everything the visitor sees runs in that frame.
 */
export function widgetPages(deps: Deps, assetsDir: string) {
  const assets = new Map<string, Promise<Asset | null>>();
  const asset = (name: string) => {
    let pending = assets.get(name);
    if (!pending) {
      pending = readFile(path.join(assetsDir, name)).then(
        (body) => ({ body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) }),
        () => null,
      );
      assets.set(name, pending);
    }
    return pending;
  };
  const sendAsset = async (reply: FastifyReply, name: string, type: string, maxAge: number) => {
    const found = await asset(name);
    if (!found) {
      // Not cached: the file appears once `npm run build` ran.
      assets.delete(name);
      throw new AppError('NOT_FOUND', { message: `widget file ${name} not built (npm run build)` });
    }
    return reply
      .type(type)
      .header('cache-control', `public, max-age=${maxAge}`)
      .header('etag', `"${found.version}"`)
      .send(found.body);
  };

  return async (app: App) => {
    app.get('/widget.js', { schema: { hide: true } }, async (_req, reply) => {
      // Included by other sites' pages: readable from any origin; short cache so a new release reaches them.
      reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return sendAsset(reply, 'loader.js', 'text/javascript; charset=utf-8', 300);
    });
    // `/widget/frame.js` is a file of the built web app, served by the static handler with the app's files.
    app.get('/widget/frame.css', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(FRAME_STYLE),
    );
    app.get<{
      Querystring: Partial<Record<'brand' | 'lang' | 'hostLang' | 'origin' | 'color' | 'position', string>>;
    }>('/widget/frame', { schema: { hide: true } }, async (req, reply) => {
      const q = req.query;
      const slug = typeof q.brand === 'string' && q.brand ? q.brand : 'default';
      const brand = /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug) ? await brandWidget(deps.database.db, slug) : null;
      reply
        .header('cache-control', 'no-cache')
        .header('cross-origin-resource-policy', 'cross-origin')
        .type('text/html; charset=utf-8')
        .removeHeader('x-frame-options');
      // A disabled or unknown widget shows nothing: the loader keeps its frame hidden until it says ready.
      if (!brand?.widget.enabled) {
        reply.header('content-security-policy', frameContentSecurityPolicy([]));
        return reply.code(404).send('<!doctype html><title>Not found</title>');
      }
      const language = chooseLanguage({
        requested: q.lang,
        brand: brand.widget.language,
        hostLanguage: q.hostLang,
        acceptLanguage: req.headers['accept-language'],
      });
      const frameScript = await asset('frame.js');
      reply.header('content-security-policy', frameContentSecurityPolicy(brand.widget.allowedOrigins));
      return reply.send(
        framePage({
          brand,
          language,
          primaryColor: safeColor(q.color, brand.widget.primaryColor),
          position:
            q.position === 'bottom-left' || q.position === 'bottom-right'
              ? q.position
              : brand.widget.position,
          hostOrigin: safeOrigin(q.origin),
          version: frameScript?.version ?? 'dev',
        }),
      );
    });
  };
}
