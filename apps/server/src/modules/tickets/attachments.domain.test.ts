import { describe, expect, it } from 'vitest';
import { contentDisposition, isInlineSafe, safeFileName, sniffContentType } from './attachments.domain';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('safeFileName', () => {
  it('keeps the last path segment without control characters or quotes', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\anna\\Rechnung "Okt".pdf')).toBe('Rechnung Okt.pdf');
    expect(safeFileName('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(safeFileName('')).toBe('attachment');
    expect(safeFileName('..')).toBe('attachment');
    expect(safeFileName(undefined)).toBe('attachment');
  });

  it('shortens long names to 200 characters and keeps the extension', () => {
    const name = safeFileName(`${'x'.repeat(300)}.pdf`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('sniffContentType', () => {
  it('trusts the bytes over the name', () => {
    expect(sniffContentType(bytes('%PDF'), 'photo.png', 'application/pdf')).toBe('application/pdf');
  });

  it('calls UTF-8 bytes with a text name plain text, and everything else octet-stream', () => {
    expect(sniffContentType(bytes('Grüße, Anna'), 'notes.txt', undefined)).toBe('text/plain; charset=utf-8');
    expect(sniffContentType(bytes('<script>alert(1)</script>'), 'page.html', undefined)).toBe(
      'application/octet-stream',
    );
    expect(sniffContentType(new Uint8Array([0x41, 0, 0x42]), 'data.csv', undefined)).toBe(
      'application/octet-stream',
    );
    expect(
      sniffContentType(new Uint8Array([0xff, 0xfe, 0x41, 0x42, 0x43, 0x44]), 'latin.txt', undefined),
    ).toBe('application/octet-stream');
  });

  it('accepts a sample cut inside a multi-byte character', () => {
    const sample = bytes('Straße'.repeat(10)).subarray(0, 12);
    expect(sniffContentType(sample, 'a.txt', undefined)).toBe('text/plain; charset=utf-8');
  });
});

describe('isInlineSafe', () => {
  it('shows raster images inline and nothing else', () => {
    expect(isInlineSafe('image/png')).toBe(true);
    expect(isInlineSafe('image/svg+xml')).toBe(false);
    expect(isInlineSafe('text/plain; charset=utf-8')).toBe(false);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', 'Bestätigung (1).pdf')).toBe(
      `attachment; filename="Best_tigung (1).pdf"; filename*=UTF-8''Best%C3%A4tigung%20%281%29.pdf`,
    );
  });
});
