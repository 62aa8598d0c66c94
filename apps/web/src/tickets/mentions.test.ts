import { describe, expect, it } from 'vitest';
import { mentionAt, textToHtml } from './mentions';

const anna = { id: 'a', name: 'Anna' };
const annaMaria = { id: 'am', name: 'Anna Maria' };

describe('mentionAt', () => {
  it('finds the name typed after @ at the caret, but not inside an address', () => {
    expect(mentionAt('Hi @An', 6)).toEqual({ start: 3, query: 'An' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('Hi @Anna Ma', 11)).toEqual({ start: 3, query: 'Anna Ma' });
    expect(mentionAt('mail anna@example.com', 21)).toBeNull();
    expect(mentionAt('Hi there', 8)).toBeNull();
  });
});

describe('textToHtml', () => {
  it('escapes the text, keeps paragraphs and line breaks, and marks mentions longest name first', () => {
    expect(textToHtml('Hi @Anna Maria and @Anna,\n<b>look</b>\n\nThanks', [anna, annaMaria])).toBe(
      '<p>Hi <span data-mention="am">@Anna Maria</span> and <span data-mention="a">@Anna</span>,<br>&lt;b&gt;look&lt;/b&gt;</p><p>Thanks</p>',
    );
  });
});
