import { escapeHtml } from '../../platform/html';
import { type PageStyle, pageStyle, renderHtmlPage } from '../../platform/html-page';
import { headerColors, type Language } from './helpcenter.domain';

export const WORDS = {
  en: {
    languageName: 'English',
    helpCenter: 'Help center',
    skip: 'Skip to content',
    languageNav: 'Language',
    searchLabel: 'Search the help center',
    searchPlaceholder: 'How can we help?',
    search: 'Search',
    homeTitle: 'How can we help?',
    homeDescription: 'Answers to common questions, guides and how-tos.',
    more: 'All articles',
    noArticles: 'No articles yet.',
    breadcrumbs: 'Breadcrumbs',
    updated: 'Updated',
    related: 'Related articles',
    helpfulQuestion: 'Was this article helpful?',
    yes: 'Yes',
    no: 'No',
    commentLabel: 'What could we do better? (optional)',
    voteThanks: 'Thank you for your feedback!',
    translationMissing: 'This article is not available in English yet.',
    resultsFor: 'Search results for',
    results: (n: number, capped = false) =>
      capped ? `more than ${n.toLocaleString('en')} results` : n === 1 ? '1 result' : `${n} results`,
    didYouMean: 'Did you mean',
    noResults: 'We found no articles for your search.',
    noResultsHint: 'Try other words, or send us your question:',
    contactUs: 'Contact us',
    stillNeedHelp: 'Still need help?',
    contactTitle: 'Contact us',
    contactIntro: 'Tell us what you need and we will answer by e-mail.',
    name: 'Your name',
    email: 'Your e-mail address',
    subject: 'Subject',
    message: 'How can we help?',
    attachments: 'Attachments (optional)',
    attachmentsHint: (mb: number) => `Up to 5 files, each at most ${mb} MB.`,
    honeypot: 'Leave this field empty',
    send: 'Send message',
    required: 'required',
    thanksTitle: 'Thank you, we received your message',
    thanks: (n: number) => `Your request number is #${n}.`,
    // `address` is HTML (escaped by the caller).
    thanksConfirmation: (address: string) =>
      `A confirmation is on its way to ${address}, and we will answer you there.`,
    thanksAnswerByMail: (address: string) => `We will answer by e-mail to ${address}.`,
    portalLink: 'Follow your requests online in the customer portal',
    backHome: 'Back to the help center',
    notFoundTitle: 'Page not found',
    notFound: 'We could not find this page. It may have moved or no longer be public.',
    tooManyTitle: 'Please wait a moment',
    tooMany: 'We received many messages from you in a short time. Please try again in a few minutes.',
    capTitle: 'We already have your requests',
    cap: 'You have sent us several requests today. We will answer them soon; please reply to our e-mail to add more.',
    formErrors: 'Please correct the marked fields.',
    contactDisabled: 'The contact form is not available.',
    fieldProblem: {
      email: 'Please enter a valid e-mail address.',
      subject: 'Please enter a subject.',
      message: 'Please describe your question.',
      attachments: 'The files are too large or too many.',
    },
  },
  de: {
    languageName: 'Deutsch',
    helpCenter: 'Hilfe-Center',
    skip: 'Zum Inhalt springen',
    languageNav: 'Sprache',
    searchLabel: 'Im Hilfe-Center suchen',
    searchPlaceholder: 'Wie können wir helfen?',
    search: 'Suchen',
    homeTitle: 'Wie können wir helfen?',
    homeDescription: 'Antworten auf häufige Fragen, Anleitungen und Tipps.',
    more: 'Alle Artikel',
    noArticles: 'Noch keine Artikel.',
    breadcrumbs: 'Brotkrümelnavigation',
    updated: 'Aktualisiert',
    related: 'Ähnliche Artikel',
    helpfulQuestion: 'War dieser Artikel hilfreich?',
    yes: 'Ja',
    no: 'Nein',
    commentLabel: 'Was können wir besser machen? (freiwillig)',
    voteThanks: 'Vielen Dank für Ihre Rückmeldung!',
    translationMissing: 'Diesen Artikel gibt es noch nicht auf Deutsch.',
    resultsFor: 'Suchergebnisse für',
    results: (n: number, capped = false) =>
      capped ? `mehr als ${n.toLocaleString('de')} Ergebnisse` : n === 1 ? '1 Ergebnis' : `${n} Ergebnisse`,
    didYouMean: 'Meinten Sie',
    noResults: 'Zu Ihrer Suche haben wir keine Artikel gefunden.',
    noResultsHint: 'Versuchen Sie andere Wörter oder schreiben Sie uns:',
    contactUs: 'Kontakt aufnehmen',
    stillNeedHelp: 'Noch Fragen?',
    contactTitle: 'Kontakt',
    contactIntro: 'Schreiben Sie uns, was Sie brauchen; wir antworten per E-Mail.',
    name: 'Ihr Name',
    email: 'Ihre E-Mail-Adresse',
    subject: 'Betreff',
    message: 'Wie können wir helfen?',
    attachments: 'Anhänge (freiwillig)',
    attachmentsHint: (mb: number) => `Bis zu 5 Dateien, jede höchstens ${mb} MB.`,
    honeypot: 'Dieses Feld bitte leer lassen',
    send: 'Nachricht senden',
    required: 'Pflichtfeld',
    thanksTitle: 'Vielen Dank, wir haben Ihre Nachricht erhalten',
    thanks: (n: number) => `Ihre Anfragenummer ist #${n}.`,
    thanksConfirmation: (address: string) =>
      `Eine Bestätigung ist per E-Mail an ${address} unterwegs, und dort antworten wir Ihnen auch.`,
    thanksAnswerByMail: (address: string) => `Wir antworten Ihnen per E-Mail an ${address}.`,
    portalLink: 'Ihre Anfragen online verfolgen im Kundenportal',
    backHome: 'Zurück zum Hilfe-Center',
    notFoundTitle: 'Seite nicht gefunden',
    notFound: 'Diese Seite gibt es nicht. Vielleicht wurde sie verschoben oder ist nicht mehr öffentlich.',
    tooManyTitle: 'Bitte warten Sie einen Moment',
    tooMany:
      'Wir haben in kurzer Zeit viele Nachrichten von Ihnen erhalten. Bitte versuchen Sie es in ein paar Minuten erneut.',
    capTitle: 'Ihre Anfragen liegen uns bereits vor',
    cap: 'Sie haben uns heute schon mehrere Anfragen geschickt. Wir antworten bald; antworten Sie gern auf unsere E-Mail, um etwas zu ergänzen.',
    formErrors: 'Bitte korrigieren Sie die markierten Felder.',
    contactDisabled: 'Das Kontaktformular ist nicht verfügbar.',
    fieldProblem: {
      email: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
      subject: 'Bitte geben Sie einen Betreff ein.',
      message: 'Bitte beschreiben Sie Ihr Anliegen.',
      attachments: 'Die Dateien sind zu groß oder zu viele.',
    },
  },
} as const;

// Colours: body text #1a1b1e on #fff (16.8:1), links #1864ab (6.9:1), muted #495057 (8.6:1), focus ring #f08c00.
const BASE_STYLE = `*{box-sizing:border-box}
body{margin:0;font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1b1e;background:#f8f9fa}
a{color:#1864ab}a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f08c00;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;color:#1864ab;padding:.5rem 1rem;z-index:1}.skip:focus{left:.5rem}
.wrap{max-width:60rem;margin:0 auto;padding:0 1rem}
header{background:var(--brand);color:var(--on-brand)}header .wrap{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.75rem 1rem}
header a{color:var(--on-brand)}.brand{font-weight:700;font-size:1.15rem;text-decoration:none}
nav.lang ul{display:flex;gap:.75rem;list-style:none;margin:0;padding:0}nav.lang a[aria-current]{font-weight:700}
main{padding:1.5rem 1rem 3rem}h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
form.search{display:flex;gap:.5rem;margin:1rem 0 1.5rem}form.search input{flex:1;min-width:0}
input,textarea{font:inherit;padding:.6rem .75rem;border:1px solid #868e96;border-radius:8px;background:#fff;color:#1a1b1e;width:100%}
textarea{min-height:9rem}
button,.button{font:inherit;font-weight:600;background:#1864ab;color:#fff;border:0;border-radius:8px;padding:.6rem 1.2rem;min-height:2.75rem;cursor:pointer;text-decoration:none;display:inline-block}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}
.card{background:#fff;border:1px solid #dee2e6;border-radius:12px;padding:1rem 1.25rem}
.card h2{margin-top:0}ul.links{padding-left:1.1rem;margin:.25rem 0}ul.links li{margin:.25rem 0}
.muted{color:#495057}.crumbs ol{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;padding:0;margin:0;font-size:.9rem}
.crumbs li+li::before{content:"›";margin-right:.25rem;color:#495057}
article.body{background:#fff;border:1px solid #dee2e6;border-radius:12px;padding:1rem 1.5rem;overflow-wrap:anywhere}
article.body img{max-width:100%;height:auto}article.body table{border-collapse:collapse;display:block;overflow-x:auto}
article.body td,article.body th{border:1px solid #ced4da;padding:.3rem .5rem}article.body pre{overflow-x:auto;background:#f1f3f5;padding:.75rem;border-radius:8px}
.vote fieldset{border:0;padding:0;margin:0}.vote legend{font-weight:600;margin-bottom:.5rem}.vote .buttons{display:flex;gap:.5rem;margin-top:.5rem}
label{display:block;font-weight:600;margin:1rem 0 .3rem}.hint{font-weight:400;font-size:.9rem;color:#495057}
.problem{color:#c92a2a;font-weight:600;margin:.25rem 0 0}[role=alert]{border-left:4px solid #c92a2a;padding:.5rem 1rem;background:#fff5f5}
.hp,.sr-only{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
ol.hits{list-style:none;padding:0;display:grid;gap:1rem}ol.hits h2{margin:0 0 .25rem}
mark{background:#fff3bf;color:inherit}
footer{border-top:1px solid #dee2e6;padding:1rem;text-align:center;font-size:.9rem;color:#495057}`;

const styles = new Map<string, PageStyle>();

/** The page's one style element for a brand colour, and its CSP hash (computed once per colour). */
function styleFor(brandColor: string): PageStyle {
  let style = styles.get(brandColor);
  if (!style) {
    const colors = headerColors(brandColor);
    style = pageStyle(`:root{--brand:${colors.background};--on-brand:${colors.text}}\n${BASE_STYLE}`);
    if (styles.size < 100) styles.set(brandColor, style);
  }
  return style;
}

export interface PageBrand {
  slug: string;
  name: string;
  primaryColor: string;
  contactFormEnabled: boolean;
}

export interface PageOptions {
  baseUrl: string;
  brand: PageBrand;
  language: Language;
  title: string;
  description: string;
  /** The page's path in this language: `/hc/default/en/...`. */
  path: string;
  /** The same page in each language (the language switch and the hreflang alternates). */
  alternates: Partial<Record<Language, string>>;
  /** The language switch, when it differs from the alternates (an article without a translation). */
  switchLinks?: Partial<Record<Language, string>>;
  body: string;
  /** Pages that should not be indexed (search results, forms, errors). */
  noindex?: boolean;
  /** The home page has its own large search box. */
  hideHeaderSearch?: boolean;
}

export interface RenderedPage {
  html: string;
  csp: string;
}

export function homePath(brandSlug: string, language: Language): string {
  return `/hc/${encodeURIComponent(brandSlug)}/${language}`;
}

export function articlePath(brandSlug: string, language: Language, a: { number: number; slug: string }) {
  return `${homePath(brandSlug, language)}/articles/${a.number}${a.slug ? `-${encodeURIComponent(a.slug)}` : ''}`;
}

/**
 * A search result's link: a redirect that records the click, then answers 303 to the article's own address
 * (which stays free of tracking parameters and cacheable; docs/adr/0047).
 */
export function searchResultPath(
  brandSlug: string,
  language: Language,
  queryId: number,
  a: { number: number },
): string {
  return `${homePath(brandSlug, language)}/search/${queryId}/open/${a.number}`;
}

export function searchForm(brandSlug: string, language: Language, value = '', id = 'q'): string {
  const words = WORDS[language];
  return `<form class="search" role="search" method="get" action="${homePath(brandSlug, language)}/search">
<label class="sr-only" for="${id}">${words.searchLabel}</label>
<input id="${id}" name="q" type="search" value="${escapeHtml(value)}" placeholder="${words.searchPlaceholder}" maxlength="200" autocomplete="off">
<button type="submit">${words.search}</button></form>`;
}

/** A complete page on the shared shell: landmarks, skip link, language switch, canonical and hreflang links. */
export function renderPage(options: PageOptions): RenderedPage {
  const { brand, language, baseUrl } = options;
  const words = WORDS[language];
  const style = styleFor(brand.primaryColor);
  const alternates = Object.entries(options.alternates) as [Language, string][];
  const links = [
    `<link rel="canonical" href="${escapeHtml(baseUrl + options.path)}">`,
    ...alternates.map(
      ([lang, path]) => `<link rel="alternate" hreflang="${lang}" href="${escapeHtml(baseUrl + path)}">`,
    ),
  ].join('\n');
  const switcher = (Object.entries(options.switchLinks ?? options.alternates) as [Language, string][])
    .map(([lang, path]) => {
      const current = lang === language ? ' aria-current="true"' : '';
      return `<li><a href="${escapeHtml(path)}" hreflang="${lang}" lang="${lang}"${current}>${WORDS[lang].languageName}</a></li>`;
    })
    .join('');
  const home = homePath(brand.slug, language);
  const html = renderHtmlPage({
    lang: language,
    title: `${options.title} – ${brand.name}`,
    style,
    noindex: options.noindex === true,
    head: `<meta name="description" content="${escapeHtml(options.description.slice(0, 300))}">\n${links}`,
    body: `
<a class="skip" href="#main">${words.skip}</a>
<header><div class="wrap"><a class="brand" href="${home}">${escapeHtml(brand.name)} · ${words.helpCenter}</a>
<nav class="lang" aria-label="${words.languageNav}"><ul>${switcher}</ul></nav></div></header>
<main id="main" class="wrap" tabindex="-1">
${options.hideHeaderSearch ? '' : searchForm(brand.slug, language, '', 'hq')}
${options.body}
</main>
<footer>${brand.contactFormEnabled ? `${words.stillNeedHelp} <a href="${home}/contact">${words.contactUs}</a>` : escapeHtml(brand.name)}</footer>
`,
  });
  const csp = `default-src 'none'; style-src ${style.hash}; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
  return { html, csp };
}
