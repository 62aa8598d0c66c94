import { createHash } from 'node:crypto';
import { escapeHtml } from './html';

/** A page's one inline style element and its CSP source, computed once from the very text that is inlined. */
export interface PageStyle {
  css: string;
  /** `'sha256-…'` for `style-src` (CSP Level 2 §4.2.4), so a page may send a CSP without `'unsafe-inline'`. */
  hash: string;
}

export function pageStyle(css: string): PageStyle {
  return { css, hash: `'sha256-${createHash('sha256').update(css).digest('base64')}'` };
}

export interface HtmlPage {
  lang: string;
  title: string;
  style: PageStyle;
  /** Markup inside `<body>`, already escaped by the caller. */
  body: string;
  /** Further elements of `<head>` after the style (scripts, links, meta), already escaped by the caller. */
  head?: string;
  /** Search engines skip the page (links that carry a token, sign-in forms); true unless said otherwise. */
  noindex?: boolean;
}

/**
 * The look of a one-card page (survey links, the portal's sign-in): a centred card at most `width` wide,
 * followed by the page's own rules.
 */
export function cardPageStyle(width: string, css: string): PageStyle {
  return pageStyle(`
*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1b1e;background:#f1f3f5}
main{max-width:${width};margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.35rem;margin:0 0 1rem}
${css}`);
}

/**
 * The shell of a server-rendered public page (surveys, the portal's sign-in, the help center): readable on any
 * phone, one inline style whose hash is `style.hash`, title and language escaped here.
 */
export function renderHtmlPage(page: HtmlPage): string {
  const robots = page.noindex === false ? '' : '<meta name="robots" content="noindex">\n';
  return `<!doctype html>
<html lang="${escapeHtml(page.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${robots}<title>${escapeHtml(page.title)}</title>
<style>${page.style.css}</style>
${page.head ? `${page.head}\n` : ''}</head>
<body>${page.body}</body>
</html>`;
}

/** A page with one card (style from `cardPageStyle`); `above` stands over the card, e.g. a language switch. */
export function renderCardPage(page: Omit<HtmlPage, 'body'> & { card: string; above?: string }): string {
  const { card, above, ...shell } = page;
  return renderHtmlPage({
    ...shell,
    body: `<main>${above ? `${above}\n` : ''}<div class="card">${card}</div></main>`,
  });
}
