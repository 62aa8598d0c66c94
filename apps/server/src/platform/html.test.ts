import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeMessage } from './html';

describe('sanitizeMessage', () => {
  it('removes scripts, event handlers, styles and javascript: links', () => {
    const { html } = sanitizeMessage(
      '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a>' +
        '<img src="x" onerror="alert(1)"><style>p{}</style><iframe src="https://evil"></iframe></p>',
    );
    expect(html).not.toMatch(/script|onclick|onerror|javascript:|style|iframe/i);
    expect(html).toContain('<p>Hi ');
  });

  it('keeps formatting and safe links, which open in a new tab without a referrer', () => {
    const { html } = sanitizeMessage(
      '<p><strong>Bold</strong> and <a href="https://example.com/x" rel="opener" target="_self">a link</a></p>',
    );
    expect(html).toBe(
      '<p><strong>Bold</strong> and <a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">a link</a></p>',
    );
  });

  it('turns plain text into escaped paragraphs', () => {
    const { html, text } = sanitizeMessage('Hello <Anna> & team,\nline two\n\nSecond paragraph');
    expect(html).toBe('<p>Hello &#60;Anna&#62; &#38; team,<br />line two</p><p>Second paragraph</p>');
    expect(text).toBe('Hello <Anna> & team,\nline two\n\nSecond paragraph');
  });
});

describe('htmlToText', () => {
  it('keeps line structure and decodes entities', () => {
    expect(htmlToText('<p>Grüße &amp; Dank</p><ul><li>eins</li><li>zwei</li></ul>')).toBe(
      'Grüße & Dank\n\neins\nzwei',
    );
  });
});
