/**
 * Where the quoted history or the signature of an e-mail starts: a `<blockquote>`, an "On … wrote:" /
 * "Am … schrieb …:" line, an Outlook header block ("-----Original Message-----", "Von: … Gesendet:"), or the
 * "-- " signature line. What follows is folded away in the conversation; the whole message stays one click away.
 */
const MARKERS = [
  /<blockquote\b/i,
  /<(p|div)>\s*(On\s[^<]{4,200}\swrote:|Am\s[^<]{4,200}\sschrieb[^<]{0,200}:)/i,
  /<(p|div)>\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht)\s*-{2,}/i,
  /<(p|div)>\s*(<(b|strong)>)?\s*(Von|From):\s*(<\/(b|strong)>)?[^<]*(<br\s*\/?>\s*)+(<(b|strong)>)?\s*(Gesendet|Sent):/i,
  /<(p|div)>\s*--\s?<br\s*\/?>/i,
  /<(p|div)>\s*--\s*<\/\1>/i,
];

export function foldQuoted(html: string): { visible: string; folded: string | null } {
  let cut = -1;
  for (const marker of MARKERS) {
    const match = marker.exec(html);
    if (match && (cut === -1 || match.index < cut)) cut = match.index;
  }
  // Nothing to fold, or nothing would be left to read above the fold.
  if (
    cut === -1 ||
    html
      .slice(0, cut)
      .replace(/<[^>]*>/g, '')
      .trim() === ''
  ) {
    return { visible: html, folded: null };
  }
  return { visible: html.slice(0, cut), folded: html.slice(cut) };
}
