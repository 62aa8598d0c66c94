import { createHash } from 'node:crypto';

export type Language = 'de' | 'en';
export const LANGUAGES: readonly Language[] = ['de', 'en'];

export function isLanguage(value: string): value is Language {
  return value === 'de' || value === 'en';
}

/**
 * The visitor's language from `Accept-Language` (RFC 9110 §12.5.4): the supported language with the highest
 * q-value; the brand's default when the header names none of ours.
 */
export function negotiateLanguage(header: string | undefined, fallback: Language): Language {
  let best: { language: Language; q: number } | null = null;
  for (const part of (header ?? '').split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const primary = tag?.split('-')[0] ?? '';
    if (!isLanguage(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { language: primary, q };
  }
  return best?.language ?? fallback;
}

/** `1042-reset-your-password` → number 1042 and slug; null when the path does not start with a number. */
export function parseArticlePath(value: string): { number: number; slug: string } | null {
  const match = /^(\d{1,9})(?:-(.*))?$/.exec(value);
  if (!match) return null;
  return { number: Number(match[1]), slug: match[2] ?? '' };
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2.x contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The header colours of a brand: its colour as background with white or near-black text, whichever reads
 * better; a brand colour that reaches 4.5:1 with neither is replaced by the default blue.
 */
export function headerColors(brandColor: string): { background: string; text: string } {
  const background = /^#[0-9a-fA-F]{6}$/.test(brandColor) ? brandColor : '#1864ab';
  const white = contrastRatio(background, '#ffffff');
  const black = contrastRatio(background, '#1a1b1e');
  if (Math.max(white, black) < 4.5) return { background: '#1864ab', text: '#ffffff' };
  return { background, text: white >= black ? '#ffffff' : '#1a1b1e' };
}

/** A strong validator of a rendered page (RFC 9110 §8.8.3). */
export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** Whether `If-None-Match` names the current ETag (or `*`). */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}
