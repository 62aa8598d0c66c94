import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cardPageStyle, pageStyle, renderCardPage, renderHtmlPage } from './html-page';

/** The hash a browser computes over the text of the page's `<style>` element (CSP Level 2 §4.2.4). */
function hashOfInlinedStyle(html: string): string {
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  if (css === undefined) throw new Error('no style element');
  return `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
}

describe('html page shell', () => {
  it('escapes the title and the language', () => {
    const html = renderHtmlPage({
      lang: 'de"><script>x</script>',
      title: 'Tom & <Jerry>',
      style: pageStyle('p{}'),
      body: '<p>hi</p>',
    });
    expect(html).toContain('<html lang="de&#34;&#62;&#60;script&#62;x&#60;/script&#62;">');
    expect(html).toContain('<title>Tom &#38; &#60;Jerry&#62;</title>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<body><p>hi</p></body>');
  });

  it('inlines exactly the style its CSP hash was computed from', () => {
    const style = cardPageStyle('30rem', 'p{color:#1864ab}\n.a::after{content:"</x>"}\n');
    const html = renderCardPage({ lang: 'en', title: 'T', style, card: '<h1>T</h1>' });
    expect(style.hash).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(hashOfInlinedStyle(html)).toBe(style.hash);
    expect(style.css).toContain('main{max-width:30rem;');
    expect(pageStyle('a{}').hash).not.toBe(pageStyle('b{}').hash);
  });

  it('keeps search engines away unless told, and puts extra head elements after the style', () => {
    const style = pageStyle('p{}');
    const page = renderHtmlPage({
      lang: 'en',
      title: 'T',
      style,
      body: '',
      head: '<script src="/a.js"></script>',
    });
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).toMatch(/<\/style>\n<script src="\/a\.js"><\/script>\n<\/head>/);
    expect(renderHtmlPage({ lang: 'en', title: 'T', style, body: '', noindex: false })).not.toContain(
      'robots',
    );
  });

  it('puts what stands above the card inside main, before the card', () => {
    const html = renderCardPage({
      lang: 'en',
      title: 'T',
      style: pageStyle(''),
      above: '<nav>x</nav>',
      card: 'c',
    });
    expect(html).toContain('<body><main><nav>x</nav>\n<div class="card">c</div></main></body>');
  });
});
