/**
 * Sentiment of customer text (survey comments, reviews, social posts, ticket messages) in German and English,
 * offline: Keepdesk's own lexicon of words customers use about service, with valences from −3 to +3, negation
 * ("nicht gut", "not helpful"), intensifiers ("sehr", "extremely") and diminishers ("etwas", "a bit"), and a
 * "but" rule (what follows "aber"/"but" weighs more). The sum is squashed to −1…1 as VADER does
 * (Hutto & Gilbert 2014): s / √(s² + 15). How well it does is measured on a labelled set (docs/metrics.md).
 */

export type Sentiment = 'positive' | 'neutral' | 'negative';

const EN: Record<string, number> = {
  // praise
  great: 3,
  excellent: 3,
  outstanding: 3,
  amazing: 3,
  awesome: 3,
  fantastic: 3,
  perfect: 3,
  superb: 3,
  brilliant: 3,
  wonderful: 3,
  love: 3,
  loved: 3,
  best: 3,
  exceptional: 3,
  good: 2,
  nice: 2,
  happy: 2,
  glad: 2,
  pleased: 2,
  satisfied: 2,
  helpful: 2,
  friendly: 2,
  quick: 2,
  fast: 2,
  prompt: 2,
  easy: 2,
  solved: 2,
  resolved: 2,
  recommend: 2,
  recommended: 2,
  thanks: 1,
  thank: 1,
  thankful: 2,
  grateful: 2,
  appreciate: 2,
  appreciated: 2,
  polite: 2,
  professional: 2,
  competent: 2,
  knowledgeable: 2,
  patient: 2,
  reliable: 2,
  helps: 1,
  helped: 2,
  smooth: 2,
  efficient: 2,
  kind: 2,
  courteous: 2,
  responsive: 2,
  convenient: 2,
  fine: 1,
  ok: 1,
  okay: 1,
  works: 1,
  worked: 1,
  working: 1,
  fixed: 2,
  clear: 1,
  simple: 1,
  fair: 1,
  like: 1,
  liked: 2,
  enjoy: 2,
  enjoyed: 2,
  impressed: 3,
  delighted: 3,
  superfast: 3,
  painless: 2,
  effortless: 2,
  // complaint
  bad: -2,
  poor: -2,
  terrible: -3,
  awful: -3,
  horrible: -3,
  worst: -3,
  useless: -3,
  disappointed: -2,
  disappointing: -2,
  disappointment: -2,
  angry: -3,
  annoyed: -2,
  annoying: -2,
  frustrated: -2,
  frustrating: -2,
  slow: -2,
  late: -1,
  delayed: -2,
  delay: -1,
  broken: -2,
  wrong: -2,
  error: -1,
  errors: -1,
  bug: -1,
  bugs: -1,
  crash: -2,
  crashes: -2,
  crashed: -2,
  fail: -2,
  failed: -2,
  fails: -2,
  failure: -2,
  problem: -1,
  problems: -1,
  issue: -1,
  issues: -1,
  rude: -3,
  unfriendly: -2,
  unhelpful: -2,
  incompetent: -3,
  ignored: -2,
  ignore: -2,
  waiting: -1,
  waited: -1,
  wait: -1,
  never: -1,
  nobody: -1,
  nothing: -1,
  refund: -1,
  cancel: -1,
  cancelled: -1,
  canceled: -1,
  cancelling: -2,
  scam: -3,
  fraud: -3,
  rip: -2,
  ripoff: -3,
  overpriced: -2,
  expensive: -1,
  complicated: -2,
  confusing: -2,
  difficult: -2,
  hard: -1,
  impossible: -2,
  unacceptable: -3,
  ridiculous: -3,
  hate: -3,
  hated: -3,
  mess: -2,
  chaos: -2,
  lost: -2,
  missing: -1,
  damaged: -2,
  defective: -2,
  unreliable: -2,
  unusable: -3,
  pointless: -2,
  unanswered: -2,
  unresolved: -2,
  worse: -2,
  avoid: -2,
  complaint: -2,
  complain: -2,
  sad: -2,
  upset: -2,
  shame: -2,
  pathetic: -3,
  joke: -2,
  disaster: -3,
  nightmare: -3,
  charged: -1,
  overcharged: -3,
  hold: -1,
};

const DE: Record<string, number> = {
  // Lob
  super: 3,
  toll: 3,
  hervorragend: 3,
  ausgezeichnet: 3,
  exzellent: 3,
  perfekt: 3,
  großartig: 3,
  grossartig: 3,
  fantastisch: 3,
  wunderbar: 3,
  klasse: 3,
  spitze: 3,
  top: 3,
  begeistert: 3,
  genial: 3,
  erstklassig: 3,
  gut: 2,
  gute: 2,
  guter: 2,
  gutes: 2,
  guten: 2,
  schön: 2,
  zufrieden: 2,
  freundlich: 2,
  freundliche: 2,
  freundlicher: 2,
  hilfreich: 2,
  hilfsbereit: 2,
  schnell: 2,
  schnelle: 2,
  schneller: 2,
  zügig: 2,
  prompt: 2,
  einfach: 1,
  unkompliziert: 2,
  gelöst: 2,
  erledigt: 1,
  empfehlen: 2,
  empfehlenswert: 2,
  weiterempfehlen: 2,
  danke: 1,
  dank: 1,
  dankbar: 2,
  kompetent: 2,
  kompetente: 2,
  professionell: 2,
  geduldig: 2,
  zuverlässig: 2,
  reibungslos: 2,
  höflich: 2,
  nett: 2,
  nette: 2,
  freue: 2,
  froh: 2,
  funktioniert: 1,
  klappt: 1,
  geklappt: 1,
  behoben: 2,
  verständlich: 1,
  hilft: 1,
  geholfen: 2,
  fair: 1,
  angenehm: 2,
  problemlos: 2,
  beeindruckt: 3,
  lieben: 3,
  liebe: 2,
  // Beschwerde
  schlecht: -2,
  schlechte: -2,
  schlechter: -2,
  schlechten: -2,
  schlechtes: -2,
  schlimm: -2,
  furchtbar: -3,
  schrecklich: -3,
  katastrophe: -3,
  katastrophal: -3,
  miserabel: -3,
  unmöglich: -2,
  enttäuscht: -2,
  enttäuschend: -2,
  enttäuschung: -2,
  ärgerlich: -2,
  verärgert: -3,
  wütend: -3,
  frustriert: -2,
  frustrierend: -2,
  langsam: -2,
  spät: -1,
  verspätet: -2,
  verspätung: -2,
  kaputt: -2,
  defekt: -2,
  beschädigt: -2,
  falsch: -2,
  falsche: -2,
  fehler: -1,
  fehlerhaft: -2,
  absturz: -2,
  abgestürzt: -2,
  stürzt: -1,
  problem: -1,
  probleme: -1,
  unfreundlich: -3,
  unhöflich: -3,
  frech: -3,
  inkompetent: -3,
  ignoriert: -2,
  warten: -1,
  wartezeit: -1,
  gewartet: -1,
  nie: -1,
  niemand: -1,
  nichts: -1,
  erstattung: -1,
  kündigen: -2,
  kündigung: -2,
  gekündigt: -2,
  betrug: -3,
  abzocke: -3,
  teuer: -1,
  überteuert: -2,
  kompliziert: -2,
  umständlich: -2,
  schwierig: -2,
  inakzeptabel: -3,
  unverschämt: -3,
  lächerlich: -3,
  chaos: -2,
  verloren: -2,
  fehlt: -1,
  unbrauchbar: -3,
  unzuverlässig: -2,
  nutzlos: -3,
  unbeantwortet: -2,
  ungelöst: -2,
  schlechteste: -3,
  nervig: -2,
  ärgern: -2,
  beschwerde: -2,
  beschweren: -2,
  traurig: -2,
  schade: -1,
  frechheit: -3,
  witz: -2,
  desaster: -3,
  albtraum: -3,
  mangelhaft: -2,
  ungenügend: -3,
  zumutung: -3,
  nervt: -2,
  geärgert: -2,
  vergeblich: -2,
  doppelt: -1,
};

const NEGATIONS = new Set([
  'not',
  "n't",
  'no',
  'never',
  'without',
  'hardly',
  'neither',
  'nor',
  'dont',
  'didnt',
  'doesnt',
  'isnt',
  'wasnt',
  'cant',
  'cannot',
  'couldnt',
  'wont',
  'wouldnt',
  'arent',
  'werent',
  'havent',
  'hasnt',
  'nicht',
  'kein',
  'keine',
  'keinen',
  'keinem',
  'keiner',
  'keines',
  'nie',
  'niemals',
  'ohne',
  'weder',
  'kaum',
]);

const BOOSTERS: Record<string, number> = {
  very: 1.5,
  really: 1.4,
  extremely: 1.8,
  so: 1.3,
  super: 1.5,
  totally: 1.5,
  absolutely: 1.6,
  incredibly: 1.7,
  highly: 1.5,
  completely: 1.5,
  truly: 1.4,
  quite: 1.1,
  bit: 0.6,
  slightly: 0.6,
  somewhat: 0.7,
  little: 0.7,
  sehr: 1.5,
  echt: 1.4,
  extrem: 1.8,
  total: 1.5,
  absolut: 1.6,
  wirklich: 1.4,
  äußerst: 1.7,
  besonders: 1.4,
  unglaublich: 1.7,
  völlig: 1.5,
  ziemlich: 1.2,
  richtig: 1.3,
  etwas: 0.6,
  bisschen: 0.6,
  leicht: 0.7,
  eher: 0.8,
};

const GERMAN_ENDINGS = ['en', 'er', 'es', 'em', 'e'];

const BUT = new Set(['but', 'however', 'aber', 'jedoch', 'allerdings', 'trotzdem']);
/** Words that end the reach of a negation: "nicht schnell und freundlich" is not unfriendly. */
const CLAUSE = new Set(['and', 'or', 'und', 'oder', 'but', 'aber', 'because', 'weil', 'denn', 'also']);

/** Lower-case word tokens, "don't" as "dont", digits dropped. */
export function tokens(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[’']/g, '')
      .match(/[a-zäöüß]+/g) ?? []
  ).filter((t) => t.length > 0);
}

/**
 * The sentiment of a text in a language (`null`: both lexicons, for text whose language is not known):
 * a compound score from −1 to 1 and its label (|score| < 0.05 is neutral).
 */
export function sentimentOf(text: string, language: 'de' | 'en' | null): { score: number; label: Sentiment } {
  const words = tokens(text);
  const lexicons = language === 'de' ? [DE] : language === 'en' ? [EN] : [DE, EN];
  const valenceOf = (word: string) => {
    for (const lexicon of lexicons) {
      const value = lexicon[word];
      if (value !== undefined) return value;
    }
    // German adjectives inflect ("tolle", "nutzlosen"): the word without its ending, when that is known.
    if (language !== 'en') {
      for (const ending of GERMAN_ENDINGS) {
        if (word.length > ending.length + 3 && word.endsWith(ending)) {
          const value = DE[word.slice(0, -ending.length)];
          if (value !== undefined) return value;
        }
      }
    }
    return 0;
  };
  const butAt = words.findIndex((w) => BUT.has(w));
  let sum = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let valence = valenceOf(word);
    if (valence === 0) continue;
    // "I would like to …" asks for something; it likes nothing.
    if (word === 'like' && (words[i - 1] === 'would' || words[i - 1] === 'd')) continue;
    // "super" before a word that carries the feeling only strengthens it ("super freundlich").
    const next = words[i + 1];
    if (BOOSTERS[word] !== undefined && next !== undefined && valenceOf(next) !== 0) continue;
    // Up to three words before, within the clause: a booster scales, a negation turns it around (and weakens
    // it: people mean "not good" as mildly bad rather than as bad as "bad").
    for (let back = 1; back <= 3 && i - back >= 0 && !NEGATIONS.has(word); back++) {
      const before = words[i - back]!;
      if (CLAUSE.has(before)) break;
      if (NEGATIONS.has(before)) {
        valence *= -0.75;
        break;
      }
      const boost = BOOSTERS[before];
      if (boost !== undefined && back === 1) valence *= boost;
    }
    // German puts "nicht" after the verb: "hilft nicht", "funktioniert nicht".
    if (next === 'nicht' || next === 'not') valence *= -0.75;
    if (butAt >= 0) valence *= i > butAt ? 1.5 : 0.5;
    sum += valence;
  }
  const score = sum / Math.sqrt(sum * sum + 15);
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, label: rounded >= 0.05 ? 'positive' : rounded <= -0.05 ? 'negative' : 'neutral' };
}
