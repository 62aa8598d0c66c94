import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Rating, SurveyKind, SurveyTexts } from '@keepdesk/contract';

export type Scale = '1-5' | 'good-bad' | '0-10' | '1-7';
type Language = 'de' | 'en';

/** The scale a survey asks on: CSAT its own (good/bad unless set), NPS 0–10, CES 1–7 (7 = very easy). */
export function scaleOf(kind: SurveyKind, csatScale: '1-5' | 'good-bad' | null): Scale {
  if (kind === 'nps') return '0-10';
  if (kind === 'ces') return '1-7';
  return csatScale ?? 'good-bad';
}

const RANGE: Record<Exclude<Scale, 'good-bad'>, [number, number]> = {
  '1-5': [1, 5],
  '0-10': [0, 10],
  '1-7': [1, 7],
};

/** The stored score of an answer (good/bad as 1/0), or why it is not on the scale. */
export function parseScore(
  scale: Scale,
  answer: number | string,
): { score: number; error?: undefined } | { score?: undefined; error: string } {
  if (scale === 'good-bad') {
    if (answer === 'good' || answer === 1 || answer === '1') return { score: 1 };
    if (answer === 'bad' || answer === 0 || answer === '0') return { score: 0 };
    return { error: 'the answer must be good or bad' };
  }
  const [min, max] = RANGE[scale];
  const value = typeof answer === 'string' && /^\d{1,2}$/.test(answer) ? Number(answer) : answer;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return { error: `the score must be a whole number from ${min} to ${max}` };
  }
  return { score: value };
}

/** How an answer counts in its score; CES answers have no class (their mean is the score). */
export function ratingOf(kind: SurveyKind, scale: Scale, score: number): Rating | null {
  if (kind === 'nps') return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
  if (kind === 'csat') return (scale === 'good-bad' ? score === 1 : score >= 4) ? 'satisfied' : 'unsatisfied';
  return null;
}

/** How one answer would count on each survey scale it fits (`csat:good-bad`, `nps:0-10`, …): the store can
 * then take the entry of the survey's own scale without asking first which scale that is. */
export function answerChoices(
  answer: number | string,
): Record<string, { score: number; rating: Rating | null; negative: boolean }> {
  const choices: Record<string, { score: number; rating: Rating | null; negative: boolean }> = {};
  const combos: [SurveyKind, Scale][] = [
    ['csat', 'good-bad'],
    ['csat', '1-5'],
    ['nps', '0-10'],
    ['ces', '1-7'],
  ];
  for (const [kind, scale] of combos) {
    const parsed = parseScore(scale, answer);
    if (parsed.error !== undefined) continue;
    const rating = ratingOf(kind, scale, parsed.score);
    choices[`${kind}:${scale}`] = {
      score: parsed.score,
      rating,
      negative: needsFollowUp(kind, rating, parsed.score),
    };
  }
  return choices;
}

/** Whether an answer calls for a follow-up: a bad CSAT, an NPS detractor, or a hard CES (1–3 of 7). */
export function needsFollowUp(kind: SurveyKind, rating: Rating | null, score: number): boolean {
  if (kind === 'ces') return score <= 3;
  return rating === 'unsatisfied' || rating === 'detractor';
}

/**
 * The choices of a scale, best last, with their labels (and for the ends of a numeric scale what they mean);
 * what the e-mail's buttons and the page show.
 */
export function choicesOf(
  scale: Scale,
  language: Language,
): { value: string; label: string; end?: string }[] {
  const german = language === 'de';
  if (scale === 'good-bad') {
    return [
      { value: 'bad', label: german ? 'Schlecht, ich bin unzufrieden' : 'Bad, I am unsatisfied' },
      { value: 'good', label: german ? 'Gut, ich bin zufrieden' : 'Good, I am satisfied' },
    ];
  }
  const [min, max] = RANGE[scale];
  const ends: Record<Exclude<Scale, 'good-bad'>, [string, string]> = german
    ? {
        '1-5': ['sehr unzufrieden', 'sehr zufrieden'],
        '0-10': ['sehr unwahrscheinlich', 'sehr wahrscheinlich'],
        '1-7': ['sehr schwierig', 'sehr einfach'],
      }
    : {
        '1-5': ['very unsatisfied', 'very satisfied'],
        '0-10': ['not at all likely', 'extremely likely'],
        '1-7': ['very difficult', 'very easy'],
      };
  const [low, high] = ends[scale];
  const choices: { value: string; label: string; end?: string }[] = [];
  for (let value = min; value <= max; value++) {
    const end = value === min ? low : value === max ? high : undefined;
    choices.push({
      value: String(value),
      label: end ? `${value} – ${end}` : String(value),
      ...(end ? { end } : {}),
    });
  }
  return choices;
}

/** A survey link's token: the invitation id and an HMAC of it, so nobody can answer for someone else. */
export function surveyToken(secret: string, invitationId: string): string {
  const id = Buffer.from(invitationId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${id}.${signatureOf(secret, invitationId)}`;
}

/** The invitation id of a valid token, or null for a forged, damaged or foreign one. */
export function invitationOfToken(secret: string, token: string): string | null {
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const hex = Buffer.from(match[1]!, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const expected = Buffer.from(signatureOf(secret, id));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

function signatureOf(secret: string, invitationId: string): string {
  return createHmac('sha256', secret)
    .update(`survey:${invitationId}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** The texts a new survey starts with, in both languages; admins edit them. */
export function defaultTexts(kind: SurveyKind): { en: SurveyTexts; de: SurveyTexts } {
  if (kind === 'nps') {
    return {
      en: {
        subject: 'How likely are you to recommend us?',
        intro: 'Hello {{name}}, we would like to know how we are doing.',
        question: 'How likely is it that you would recommend us to a friend or colleague?',
        commentPrompt: 'What is the most important reason for your score?',
        thanks: 'Thank you for your answer. It helps us improve.',
      },
      de: {
        subject: 'Wie wahrscheinlich empfehlen Sie uns weiter?',
        intro: 'Hallo {{name}}, wir möchten wissen, wie zufrieden Sie mit uns sind.',
        question: 'Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?',
        commentPrompt: 'Was ist der wichtigste Grund für Ihre Bewertung?',
        thanks: 'Vielen Dank für Ihre Antwort. Sie hilft uns, besser zu werden.',
      },
    };
  }
  if (kind === 'ces') {
    return {
      en: {
        subject: 'How easy was it? [#{{number}}]',
        intro: 'Hello {{name}}, your request "{{subject}}" has been solved.',
        question: 'How easy was it to get your issue resolved?',
        commentPrompt: 'What could we have made easier?',
        thanks: 'Thank you for your answer.',
      },
      de: {
        subject: 'Wie einfach war es? [#{{number}}]',
        intro: 'Hallo {{name}}, Ihre Anfrage „{{subject}}“ ist gelöst.',
        question: 'Wie einfach war es, Ihr Anliegen zu lösen?',
        commentPrompt: 'Was hätten wir einfacher machen können?',
        thanks: 'Vielen Dank für Ihre Antwort.',
      },
    };
  }
  return {
    en: {
      subject: 'How did we do? [#{{number}}]',
      intro: 'Hello {{name}}, your request "{{subject}}" has been solved.',
      question: 'How satisfied are you with the help you received?',
      commentPrompt: 'Would you like to tell us more?',
      thanks: 'Thank you for your feedback.',
    },
    de: {
      subject: 'Wie zufrieden sind Sie? [#{{number}}]',
      intro: 'Hallo {{name}}, Ihre Anfrage „{{subject}}“ ist gelöst.',
      question: 'Wie zufrieden sind Sie mit der Hilfe, die Sie erhalten haben?',
      commentPrompt: 'Möchten Sie uns mehr dazu sagen?',
      thanks: 'Vielen Dank für Ihre Rückmeldung.',
    },
  };
}
