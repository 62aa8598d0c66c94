import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/context';
import { escapeHtml } from '../../platform/html';
import { cardPageStyle, renderCardPage } from '../../platform/html-page';
import type { App } from '../../platform/http';
import { RateLimiter } from '../../platform/rate-limit';
import { consumeLink, PORTAL_COOKIE, requestLink } from './links.service';
import { type Language, pickLanguage } from './portal.domain';

const WORDS = {
  en: {
    title: 'Your requests',
    intro:
      'Enter the e-mail address you write to us from. We will send you a link to sign in — no password needed.',
    email: 'E-mail address',
    send: 'Send me a link',
    sentTitle: 'Check your inbox',
    sent: 'If this address has requests with us, a link is on its way. It works once and for 30 minutes.',
    again: 'Request another link',
    expiredTitle: 'This link has expired or was already used',
    expired: 'Sign-in links work once and for 30 minutes. Enter your address to get a new one.',
    slowTitle: 'Too many requests',
    slow: 'Please wait a minute before asking for another link.',
    other: 'Deutsch',
  },
  de: {
    title: 'Ihre Anfragen',
    intro:
      'Geben Sie die E-Mail-Adresse ein, mit der Sie uns schreiben. Wir senden Ihnen einen Link zur Anmeldung – ganz ohne Passwort.',
    email: 'E-Mail-Adresse',
    send: 'Link senden',
    sentTitle: 'Sehen Sie in Ihr Postfach',
    sent: 'Wenn zu dieser Adresse Anfragen bei uns bestehen, ist ein Link unterwegs. Er gilt einmal und 30 Minuten lang.',
    again: 'Neuen Link anfordern',
    expiredTitle: 'Dieser Link ist abgelaufen oder wurde schon benutzt',
    expired:
      'Anmeldelinks gelten einmal und 30 Minuten lang. Geben Sie Ihre Adresse ein, um einen neuen zu erhalten.',
    slowTitle: 'Zu viele Anfragen',
    slow: 'Bitte warten Sie eine Minute, bevor Sie einen weiteren Link anfordern.',
    other: 'English',
  },
} as const;

const STYLE = cardPageStyle(
  '32rem',
  `label{display:block;font-weight:600;margin:.5rem 0}
input[type=email]{width:100%;font:inherit;padding:.6rem;border:1px solid #868e96;border-radius:8px}
button{font:inherit;font-weight:600;background:#1864ab;color:#fff;border:0;border-radius:8px;padding:.75rem 1.5rem;
  min-height:3rem;cursor:pointer;margin-top:1rem}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #f08c00;outline-offset:2px}
nav{text-align:right;margin-bottom:.75rem}
a{color:#1864ab}
`,
);

function page(language: Language, title: string, body: string, path: string): string {
  const other: Language = language === 'de' ? 'en' : 'de';
  return renderCardPage({
    lang: language,
    title,
    style: STYLE,
    above: `<nav><a href="${path}?lang=${other}" hreflang="${other}" lang="${other}">${WORDS[language].other}</a></nav>`,
    card: body,
  });
}

function emailForm(language: Language, email = ''): string {
  const words = WORDS[language];
  return `<form method="post" action="/portal/login">
<input type="hidden" name="lang" value="${language}">
<label for="email">${words.email}</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="320" value="${escapeHtml(email)}">
<button type="submit">${words.send}</button>
</form>`;
}

function loginPage(language: Language): string {
  const words = WORDS[language];
  return page(
    language,
    words.title,
    `<h1>${words.title}</h1><p>${words.intro}</p>${emailForm(language)}`,
    '/portal/login',
  );
}

function notice(language: Language, title: string, text: string, withForm: boolean): string {
  return page(
    language,
    title,
    `<h1>${escapeHtml(title)}</h1><p role="status">${escapeHtml(text)}</p>${withForm ? emailForm(language) : ''}`,
    '/portal/login',
  );
}

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

const languageOf = (req: FastifyRequest<{ Querystring: { lang?: string } }>, fromForm?: string) =>
  pickLanguage(fromForm ?? req.query.lang, req.headers['accept-language']);

/** The portal's sign-in pages: plain HTML forms that work without script, on any phone. */
export function portalPages(deps: Deps) {
  const perIp = new RateLimiter();
  const ipLimit = { max: deps.config.authRateLimitPerMinute, timeWindow: 60_000 };
  return async (app: App) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.get<{ Querystring: { lang?: string } }>(
      '/portal/login',
      { schema: { hide: true } },
      async (req, reply) => html(reply, 200, loginPage(languageOf(req))),
    );
    app.post<{ Querystring: { lang?: string }; Body: Record<string, string | undefined> }>(
      '/portal/login',
      { schema: { hide: true } },
      async (req, reply) => {
        const form = (req.body ?? {}) as Record<string, string | undefined>;
        const language = languageOf(req, form.lang);
        const words = WORDS[language];
        if (!perIp.hit(req.ip, ipLimit, Date.now()).allowed) {
          reply.header('retry-after', '60');
          return html(reply, 429, notice(language, words.slowTitle, words.slow, false));
        }
        await requestLink(deps, { email: String(form.email ?? ''), language }, req.id);
        // The same answer whether or not the address is known (no account enumeration).
        return html(reply, 200, notice(language, words.sentTitle, words.sent, false));
      },
    );
    app.get<{ Querystring: { token?: string; lang?: string } }>(
      '/portal/auth',
      { schema: { hide: true } },
      async (req, reply) => {
        const session = await consumeLink(deps, req.query.token, req.id);
        if (!session) {
          const language = languageOf(req);
          const words = WORDS[language];
          return html(reply, 410, notice(language, words.expiredTitle, words.expired, true));
        }
        reply.setCookie(PORTAL_COOKIE, session.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.config.baseUrl.startsWith('https://'),
          expires: session.expiresAt,
        });
        return reply.header('cache-control', 'no-store').redirect('/portal', 303);
      },
    );
  };
}
