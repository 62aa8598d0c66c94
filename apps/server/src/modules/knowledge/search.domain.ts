/** Pure rules of knowledge search: query words, typo corrections, excerpts, keywords of a ticket. */

const WORD = /[\p{L}\p{N}]+/gu;

/** What the analytics group searches by: lower case, single spaces. */
export function normalizeQuery(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The words of a query that typo correction may replace: lower case, at least 3 letters, not numbers
 * (a misspelt product code is better left alone than "corrected" to another one).
 */
export function correctableWords(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  return [...new Set(words.filter((w) => w.length >= 3 && w.length <= 40 && !/^\d+$/.test(w)))];
}

/**
 * Where an excerpt starts: the first place the body contains one of these (lower case). A word's stem is
 * mostly a prefix of it ("exporting" → "export", "lieferungen" → "lieferung"), so the last letters are dropped;
 * `ts_headline` then picks the real match in the window that follows. Words only, so safe in an array literal.
 */
export function excerptProbes(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  const probes = words
    .filter((w) => w.length >= 3 && w.length <= 40)
    .map((w) => (w.length <= 5 ? w : w.slice(0, Math.max(5, w.length - 3))));
  return [...new Set(probes)];
}

/** Whether a query excludes words: `websearch_to_tsquery` reads "-word" after a space (or first) as NOT. */
export function excludesWords(text: string): boolean {
  return /(^|\s)-[\p{L}\p{N}]/u.test(text);
}

/**
 * The query with each corrected word replaced, everything else kept as typed (operators, quotes, spacing);
 * null when nothing changed, so "Did you mean" is only offered for a real correction.
 */
export function applyCorrections(text: string, corrections: ReadonlyMap<string, string>): string | null {
  let changed = false;
  const corrected = text.replace(WORD, (word) => {
    const replacement = corrections.get(word.toLowerCase());
    if (!replacement || replacement === word.toLowerCase()) return word;
    changed = true;
    return replacement;
  });
  return changed ? corrected : null;
}

/** A plain-text excerpt of at most `max` characters, cut at word boundaries and marked with ellipses. */
export function clampExcerpt(text: string, fullText: string, max = 200): string {
  const clean = text.replace(/\s+/g, ' ').trim() || fullText.replace(/\s+/g, ' ').trim();
  let excerpt = clean;
  if (excerpt.length > max) {
    const cut = excerpt.slice(0, max);
    const space = cut.lastIndexOf(' ');
    excerpt = `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()} …`;
  }
  const normalizedFull = fullText.replace(/\s+/g, ' ').trim();
  if (excerpt && !normalizedFull.startsWith(excerpt.replace(/ …$/, ''))) excerpt = `… ${excerpt}`;
  return excerpt;
}

// Function words that say nothing about a ticket's topic, and the phrases of every support mail.
const STOP_WORDS = new Set(
  `a about above after again all also am an and any are as at be because been before being below between both
  but by can could did do does doing done down during each few for from further had has have having he her here
  hers him his how i if in into is it its just me more most my no nor not now of off on once only or other our
  out over own same she should so some such than that the their them then there these they this those through
  to too under until up very was we were what when where which while who whom why will with would you your
  yours hello hi dear thanks thank please regards best kind get got still cannot can't dont don't ive i'm im
  since already again tried try want need help issue problem question team support hey
  aber alle allem allen aller alles als also am an ans auch auf aus bei beim bin bis bitte bist da dadurch daher
  damit dann das dass dein deine dem den denn der des dessen deshalb die dies diese diesem diesen dieser dieses
  doch dort du durch ein eine einem einen einer eines er es etwas euch euer für gegen gewesen hab habe haben hat
  hatte hätte hier hin hinter ich ihr ihre im in ist ja jede jedem jeden jeder jedes jetzt kann kein keine
  können könnte leider mal man mehr mein meine meinem meinen meiner mich mir mit muss nach nicht nichts noch nun
  nur ob oder ohne schon sehr sein seine sich sie sind so soll sollte sondern über um und uns unser unter viel
  vom von vor war waren warum was weil weiter welche wenn wer werde werden wie wieder wir wird wo wurde würde
  zu zum zur zwar zwischen hallo guten tag grüße gruß freundlichen danke vielen dank liebe lieber sehr geehrte
  geehrter damen herren mfg lg vg bzw ca problem frage hilfe geht gibt funktioniert klappt`.split(/\s+/),
);

export interface TicketText {
  subject: string;
  /** The latest customer messages, newest first. */
  messages: readonly string[];
}

/**
 * The words a ticket is about: subject words count three times, words of the newest message twice and of older
 * ones once; stop words (de, en), quoted replies and words under 3 letters are dropped; the top `limit` by weight,
 * ties in order of first appearance.
 */
export function ticketKeywords(ticket: TicketText, limit = 8): string[] {
  const weights = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const word of text.toLowerCase().match(WORD) ?? []) {
      if (word.length < 3 || word.length > 40 || /^\d+$/.test(word) || STOP_WORDS.has(word)) continue;
      weights.set(word, (weights.get(word) ?? 0) + weight);
    }
  };
  add(ticket.subject, 3);
  ticket.messages.forEach((message, i) => {
    add(withoutQuotedReply(message), i === 0 ? 2 : 1);
  });
  return [...weights.entries()]
    .map(([word, weight], order) => ({ word, weight, order }))
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .slice(0, limit)
    .map((entry) => entry.word);
}

/** A message without the quoted history below it ("> …" lines, "On … wrote:", "Am … schrieb …:"). */
function withoutQuotedReply(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(on .+wrote:|am .+schrieb .+:)\s*$/i.test(line) || /^-{2,}\s*original/i.test(line)) break;
    if (!line.trimStart().startsWith('>')) lines.push(line);
  }
  return lines.join('\n');
}

/** Words joined so any of them matches (`websearch_to_tsquery` reads `or`); the ranking prefers more matches. */
export function anyOf(words: readonly string[]): string {
  return words.join(' or ');
}

/** The public help-center path of an article. */
export function publicArticlePath(brandSlug: string, language: string, number: number, slug: string): string {
  return `/hc/${brandSlug}/${language}/articles/${number}-${slug}`;
}
