/**
 * What customers talk about: keywords and two-word phrases that are frequent in some texts but not in all
 * (document frequency × inverse document frequency), grouped into themes by how often they occur together
 * (overlap coefficient of their document sets), and each text given the theme it shares most keyword weight
 * with. Light stemming merges inflections ("Rechnung/Rechnungen", "delivery/deliveries"); stop words of both
 * languages are ignored. Linear in the size of the texts: 100,000 comments take seconds.
 */
import { tokens } from './sentiment';

const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have having he
  her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
  only or other our ours out over own same she should so some such than that the their theirs them then there
  these they this those through to too under until up very was we were what when where which while who whom why
  will with would you your yours yourself please thanks thank hello hi dear regards still already get got one
  two three also again even really much many any every since yet ok okay yes us via per etc able day days week
  weeks time today yesterday tomorrow
  aber alle allem allen aller alles als also am an ans auch auf aus bei beim bin bis bitte bist da dabei damit
  dann das dass dem den denen denn der des dessen dich die dies diese diesem diesen dieser dieses dir doch dort
  du durch ein eine einem einen einer eines er es etwas euch euer eure für gegen gewesen hab habe haben hat hatte
  hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in indem ins ist jede jedem jeden jeder
  jedes jetzt kann kannst können könnte man manche mein meine meinem meinen meiner mich mir mit muss musste nach
  nachdem nein nicht nichts noch nun nur ob oder ohne schon sehr sein seine seinem seinen seiner seit sich sie
  sind so soll sollte sondern sonst über um und uns unser unsere unter vom von vor wann war waren warum was weil
  welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde wurden zu zum zur zwar
  zwischen danke dank hallo guten tag gruß grüße freundlichen mfg liebe lieber sehr geehrte geehrter herr frau
  heute gestern morgen woche wochen tage tagen mal immer gibt geht gerne gern ja einfach bereits`.split(
    /\s+/,
  ),
);

/** A light stem: plural and inflection endings off, so that forms of one word count as one. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith('ungen')) return word.slice(0, -2);
  if (word.endsWith('ies') && word.length > 5) return `${word.slice(0, -3)}y`;
  for (const ending of ['ing', 'en', 'er', 'es', 'ed', 'e', 's', 'n']) {
    if (word.endsWith(ending) && word.length - ending.length >= 4) return word.slice(0, -ending.length);
  }
  return word;
}

export interface ThemeDocument {
  id: string;
  text: string;
}

export interface Theme {
  /** The theme's two or three strongest keywords, as they are written most often. */
  label: string;
  keywords: string[];
  /** Ids of the documents in the theme, in input order. */
  documents: string[];
}

export interface ThemeOptions {
  /** At most this many themes (the largest are kept). */
  maxThemes?: number;
  /** Keywords considered, best first. */
  maxKeywords?: number;
  /** A keyword must occur in at least this many documents. */
  minDocuments?: number;
  /** Keywords whose documents overlap at least this much join one theme (0–1). */
  minOverlap?: number;
}

/** Themes of a set of texts, largest first, and how many texts fell into none. */
export function findThemes(
  documents: readonly ThemeDocument[],
  options: ThemeOptions = {},
): { themes: Theme[]; unassigned: number } {
  const n = documents.length;
  const maxThemes = options.maxThemes ?? 12;
  const maxKeywords = options.maxKeywords ?? 200;
  const minDocuments = options.minDocuments ?? Math.max(3, Math.ceil(n * 0.002));
  const minOverlap = options.minOverlap ?? 0.35;

  // Terms of each document (stems and pairs of neighbouring stems), and the spelling each stem is seen in most.
  const spellings = new Map<string, Map<string, number>>();
  const termsOf: string[][] = [];
  const df = new Map<string, number>();
  for (const document of documents) {
    const stems: string[] = [];
    for (const word of tokens(document.text)) {
      if (word.length < 3 || STOP.has(word)) {
        stems.push('');
        continue;
      }
      const s = stem(word);
      stems.push(s);
      let seen = spellings.get(s);
      if (!seen) {
        seen = new Map();
        spellings.set(s, seen);
      }
      seen.set(word, (seen.get(word) ?? 0) + 1);
    }
    const terms = new Set<string>();
    for (let i = 0; i < stems.length; i++) {
      const s = stems[i]!;
      if (!s) continue;
      terms.add(s);
      const next = stems[i + 1];
      if (next) terms.add(`${s} ${next}`);
    }
    const list = [...terms];
    termsOf.push(list);
    for (const term of list) df.set(term, (df.get(term) ?? 0) + 1);
  }

  // Keywords: in enough documents, not in most of them; weighted by df · log(n / df).
  const candidates = [...df.entries()]
    .filter(([, count]) => count >= minDocuments && count <= n * 0.5)
    .map(([term, count]) => ({ term, count, weight: count * Math.log(n / count) }))
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .slice(0, maxKeywords);
  const index = new Map(candidates.map((c, i) => [c.term, i]));
  const k = candidates.length;

  // Documents of each keyword, as lists of document positions.
  const postings: number[][] = candidates.map(() => []);
  const keywordsOf: number[][] = termsOf.map((terms, d) => {
    const found: number[] = [];
    for (const term of terms) {
      const at = index.get(term);
      if (at !== undefined) {
        found.push(at);
        postings[at]!.push(d);
      }
    }
    return found;
  });

  // Co-occurrence of keywords, counted per document (each document adds each pair once).
  const together = new Map<number, number>();
  for (const found of keywordsOf) {
    const capped = found.length > 30 ? found.slice(0, 30) : found;
    for (let i = 0; i < capped.length; i++) {
      for (let j = i + 1; j < capped.length; j++) {
        const a = Math.min(capped[i]!, capped[j]!);
        const b = Math.max(capped[i]!, capped[j]!);
        const key = a * k + b;
        together.set(key, (together.get(key) ?? 0) + 1);
      }
    }
  }
  const overlap = (a: number, b: number) => {
    const key = Math.min(a, b) * k + Math.max(a, b);
    const both = together.get(key) ?? 0;
    return both / Math.min(candidates[a]!.count, candidates[b]!.count);
  };

  // Themes: the strongest keyword not yet taken, with every free keyword that mostly occurs with it.
  const themeOf = new Int32Array(k).fill(-1);
  const groups: number[][] = [];
  for (let seed = 0; seed < k; seed++) {
    if (themeOf[seed] !== -1) continue;
    const group = [seed];
    themeOf[seed] = groups.length;
    for (let other = seed + 1; other < k; other++) {
      if (themeOf[other] === -1 && overlap(seed, other) >= minOverlap) {
        group.push(other);
        themeOf[other] = groups.length;
      }
    }
    groups.push(group);
  }

  // Each document joins the theme it shares most keyword weight with.
  const members: number[][] = groups.map(() => []);
  let unassigned = 0;
  const score = new Float64Array(groups.length);
  for (let d = 0; d < n; d++) {
    const found = keywordsOf[d]!;
    if (found.length === 0) {
      unassigned++;
      continue;
    }
    let best = -1;
    for (const keyword of found) {
      const theme = themeOf[keyword]!;
      score[theme] = score[theme]! + candidates[keyword]!.weight;
      if (best === -1 || score[theme]! > score[best]! || (score[theme] === score[best] && theme < best))
        best = theme;
    }
    members[best]!.push(d);
    for (const keyword of found) score[themeOf[keyword]!] = 0;
  }

  const spell = (term: string) =>
    term
      .split(' ')
      .map((s) => [...(spellings.get(s) ?? new Map([[s, 1]])).entries()].sort((a, b) => b[1] - a[1])[0]![0])
      .join(' ');
  const themes = groups
    .map((group, i) => ({ group, documents: members[i]! }))
    .filter((theme) => theme.documents.length >= minDocuments)
    .sort((a, b) => b.documents.length - a.documents.length)
    .slice(0, maxThemes)
    .map(({ group, documents: docs }) => {
      const keywords = group.map((g) => spell(candidates[g]!.term));
      return {
        label: labelOf(keywords),
        keywords,
        documents: docs.map((d) => documents[d]!.id),
      };
    });
  const shown = themes.reduce((sum, t) => sum + t.documents.length, 0);
  return { themes, unassigned: unassigned + (n - unassigned - shown) };
}

/** Two or three keywords, without one that repeats a word of another ("rechnung" beside "rechnung doppelt"). */
function labelOf(keywords: readonly string[]): string {
  const chosen: string[] = [];
  for (const keyword of keywords) {
    const words = keyword.split(' ');
    if (chosen.some((c) => c.split(' ').some((w) => words.includes(w)))) continue;
    chosen.push(keyword);
    if (chosen.length === 3) break;
  }
  return chosen.join(' · ');
}
