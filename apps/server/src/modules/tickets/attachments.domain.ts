/** Raster images a browser may show inline; anything else is only ever offered as a download. */
const INLINE_SAFE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const TEXT_EXTENSIONS = new Set(['txt', 'log', 'csv', 'tsv', 'md', 'json', 'xml', 'eml', 'ics', 'vcf']);

/** A file name safe to store and to send back: no folders, no control characters, at most 200 characters. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (!clean || clean === '.' || clean === '..') return 'attachment';
  if (clean.length <= 200) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return clean.slice(0, 200 - extension.length) + extension;
}

function looksLikeUtf8Text(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head);
    return true;
  } catch {
    // The sample may end inside a multi-byte character; judge the sample without its last 3 bytes.
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)));
      return head.length > 3;
    } catch {
      return false;
    }
  }
}

/**
 * The content type we stand behind: what the bytes are (`detected`, from their magic numbers), else plain
 * text for a text file name whose bytes are UTF-8, else `application/octet-stream`. What the uploader
 * declared is never trusted: an HTML file named `.txt` with markup is still served as text, never as HTML.
 */
export function sniffContentType(head: Uint8Array, fileName: string, detected: string | undefined): string {
  if (detected) return detected;
  const extension = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  if (TEXT_EXTENSIONS.has(extension) && looksLikeUtf8Text(head)) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

export function isInlineSafe(contentType: string): boolean {
  return INLINE_SAFE.has(contentType);
}

/** `Content-Disposition` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(kind: 'attachment' | 'inline', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
