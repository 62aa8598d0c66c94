import type { PublicSurvey } from '@keepdesk/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { escapeHtml } from '../../platform/html';
import { cardPageStyle, renderCardPage } from '../../platform/html-page';
import type { App } from '../../platform/http';
import { choicesOf } from './surveys.domain';
import { answerSurvey, commentOnAnswer, optOutByToken, publicSurvey } from './surveys.service';

type Language = 'de' | 'en';

const WORDS = {
  en: {
    title: 'Survey',
    send: 'Send',
    saving: 'Saving your answer…',
    comment: 'Your comment (optional)',
    sendComment: 'Send comment',
    thanksComment: 'Thank you, we received your comment.',
    answeredTitle: 'You have already answered',
    answered: 'This survey has already been answered. Thank you!',
    expiredTitle: 'This survey has closed',
    expired: 'This survey link has expired. Thank you for your interest.',
    invalidTitle: 'Link not valid',
    invalid: 'This survey link is not valid. Please use the link from the e-mail as it is.',
    choose: 'Please choose an answer.',
    optOutTitle: 'No more surveys?',
    optOut: 'We will not send you any more surveys.',
    optOutConfirm: 'Stop sending me surveys',
    optOutDone: 'Done: you will receive no more surveys from us.',
  },
  de: {
    title: 'Umfrage',
    send: 'Senden',
    saving: 'Ihre Antwort wird gespeichert …',
    comment: 'Ihr Kommentar (freiwillig)',
    sendComment: 'Kommentar senden',
    thanksComment: 'Vielen Dank, wir haben Ihren Kommentar erhalten.',
    answeredTitle: 'Sie haben bereits geantwortet',
    answered: 'Diese Umfrage wurde bereits beantwortet. Vielen Dank!',
    expiredTitle: 'Diese Umfrage ist beendet',
    expired: 'Dieser Umfragelink ist abgelaufen. Vielen Dank für Ihr Interesse.',
    invalidTitle: 'Link ungültig',
    invalid: 'Dieser Umfragelink ist ungültig. Bitte verwenden Sie den Link aus der E-Mail unverändert.',
    choose: 'Bitte wählen Sie eine Antwort.',
    optOutTitle: 'Keine Umfragen mehr?',
    optOut: 'Wir senden Ihnen dann keine Umfragen mehr.',
    optOutConfirm: 'Keine Umfragen mehr senden',
    optOutDone: 'Erledigt: Sie erhalten von uns keine Umfragen mehr.',
  },
} as const;

const STYLE = cardPageStyle(
  '36rem',
  `fieldset{border:0;margin:0 0 1rem;padding:0}
legend{font-weight:600;margin-bottom:.75rem}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}
.choices label{flex:1 1 2.4rem;min-height:3rem;display:flex;align-items:center;justify-content:center;text-align:center;
  border:2px solid #1864ab;border-radius:8px;padding:.5rem;cursor:pointer;color:#1864ab;font-weight:600}
.choices.wide label{flex-basis:100%}
.choices input{position:absolute;opacity:0;width:1px;height:1px}
.choices input:checked+span{color:#fff}
.choices label:has(input:checked){background:#1864ab;color:#fff}
.choices label:has(input:focus-visible){outline:3px solid #f08c00;outline-offset:2px}
textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem;border:1px solid #868e96;border-radius:8px}
label.block{display:block;font-weight:600;margin:.5rem 0}
button{font:inherit;font-weight:600;background:#1864ab;color:#fff;border:0;border-radius:8px;padding:.75rem 1.5rem;
  min-height:3rem;cursor:pointer;margin-top:.75rem}
button:focus-visible{outline:3px solid #f08c00;outline-offset:2px}
.status{color:#495057}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.85rem;color:#495057;margin-top:.4rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`,
);

function page(language: Language, title: string, body: string): string {
  return renderCardPage({
    lang: language,
    title,
    style: STYLE,
    head: '<script src="/survey/answer.js" defer></script>',
    card: body,
  });
}

function message(language: Language, title: string, text: string): string {
  return page(language, title, `<h1>${escapeHtml(title)}</h1><p role="status">${escapeHtml(text)}</p>`);
}

function commentForm(token: string, survey: PublicSurvey): string {
  const words = WORDS[survey.language];
  return `<form method="post" action="/survey/${escapeHtml(token)}">
<label class="block" for="comment">${escapeHtml(survey.commentPrompt || words.comment)}</label>
<textarea id="comment" name="comment" maxlength="5000"></textarea>
<button type="submit">${words.sendComment}</button>
</form>`;
}

/** The page of a survey link in its state: the question, the thanks (with a comment box), or why it is closed. */
function surveyPage(token: string, survey: PublicSurvey, preset: string | null, fresh = false): string {
  const words = WORDS[survey.language];
  if (survey.state === 'expired') return message(survey.language, words.expiredTitle, words.expired);
  if (survey.state === 'answered') {
    if (!survey.commentOpen) {
      return fresh
        ? page(survey.language, words.title, `<h1>${escapeHtml(survey.thanks)}</h1>`)
        : message(survey.language, words.answeredTitle, words.answered);
    }
    return page(
      survey.language,
      words.title,
      `<h1>${escapeHtml(survey.thanks)}</h1>${commentForm(token, survey)}`,
    );
  }
  const choices = choicesOf(survey.scale, survey.language);
  const valid = preset !== null && choices.some((c) => c.value === preset) ? preset : null;
  const wide = survey.scale === 'good-bad';
  // Numbers in the buttons, the meaning of the ends beneath them (and read out with the number).
  const options = choices
    .map((choice) => {
      const text = wide
        ? escapeHtml(choice.label)
        : `${escapeHtml(choice.value)}${choice.end ? `<span class="sr"> – ${escapeHtml(choice.end)}</span>` : ''}`;
      return `<label><input type="radio" name="score" value="${escapeHtml(choice.value)}"${
        choice.value === valid ? ' checked' : ''
      } required><span>${text}</span></label>`;
    })
    .join('');
  const ends = wide
    ? ''
    : `<div class="ends" aria-hidden="true"><span>${escapeHtml(choices[0]!.end ?? '')}</span><span>${escapeHtml(choices[choices.length - 1]!.end ?? '')}</span></div>`;
  const comment = survey.askComment
    ? `<label class="block" for="comment">${escapeHtml(survey.commentPrompt || words.comment)}</label>
<textarea id="comment" name="comment" maxlength="5000"></textarea>`
    : '';
  return page(
    survey.language,
    words.title,
    `${survey.intro ? `<p>${escapeHtml(survey.intro)}</p>` : ''}
<form method="post" action="/survey/${escapeHtml(token)}" data-survey data-token="${escapeHtml(token)}"${
      valid === null ? '' : ` data-preset="${escapeHtml(valid)}"`
    }>
<fieldset><legend><h1>${escapeHtml(survey.question)}</h1></legend>
<div class="choices${wide ? ' wide' : ''}">${options}</div>${ends}</fieldset>
${comment}
<p class="status" role="status" aria-live="polite" data-status hidden>${words.saving}</p>
<button type="submit">${words.send}</button>
</form>`,
  );
}

/**
 * One click in the e-mail: the page opens with the answer chosen and records it at once (in the browser, so
 * that mail scanners that open links record nothing), then offers the comment box. Without script the
 * customer presses Send.
 */
const ANSWER_SCRIPT = `(() => {
  const form = document.querySelector('form[data-survey]');
  if (!form || !form.dataset.preset || !window.fetch) return;
  const token = form.dataset.token;
  const preset = form.dataset.preset;
  const status = form.querySelector('[data-status]');
  if (status) status.hidden = false;
  fetch('/api/v1/public/surveys/' + encodeURIComponent(token) + '/answers', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ score: /^\\d+$/.test(preset) ? Number(preset) : preset }),
  }).then((response) => {
    if (response.ok || response.status === 409 || response.status === 410) {
      window.location.replace('/survey/' + encodeURIComponent(token) + '?answered=1');
    } else if (status) {
      status.hidden = true;
    }
  }, () => { if (status) status.hidden = true; });
})();
`;

function languageOf(req: FastifyRequest): Language {
  return /^de\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'de' : 'en';
}

async function render(
  reply: FastifyReply,
  req: FastifyRequest,
  work: () => Promise<{ status?: number; html: string }>,
) {
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
  try {
    const { status, html } = await work();
    return reply.code(status ?? 200).send(html);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      const words = WORDS[languageOf(req)];
      return reply.code(404).send(message(languageOf(req), words.invalidTitle, words.invalid));
    }
    throw error;
  }
}

type Form = Record<string, string | undefined>;

/** The public survey pages behind the links in survey e-mails: plain HTML that works on any phone. */
export function surveyPages(deps: Deps) {
  return async (app: App) => {
    // RFC 8058 one-click unsubscribe may arrive as multipart/form-data; its body says nothing the URL does not.
    app.addContentTypeParser('multipart/form-data', (_req, payload, done) => {
      payload.resume();
      payload.on('end', () => done(null, {}));
      payload.on('error', (error) => done(error, undefined));
    });
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.get('/survey/answer.js', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(ANSWER_SCRIPT),
    );
    app.get<{ Params: { token: string }; Querystring: { score?: string; answered?: string } }>(
      '/survey/:token',
      { schema: { hide: true } },
      async (req, reply) =>
        render(reply, req, async () => {
          const survey = await publicSurvey(deps, req.params.token);
          const fresh = req.query.answered === '1';
          return { html: surveyPage(req.params.token, survey, req.query.score ?? null, fresh) };
        }),
    );
    app.post<{ Params: { token: string }; Body: Form }>(
      '/survey/:token',
      { schema: { hide: true } },
      async (req, reply) =>
        render(reply, req, async () => {
          const token = req.params.token;
          const form = (req.body ?? {}) as Form;
          const survey = await publicSurvey(deps, token);
          const words = WORDS[survey.language];
          const comment = (form.comment ?? '').trim().slice(0, 5000);
          if (survey.state === 'expired') {
            return { status: 410, html: message(survey.language, words.expiredTitle, words.expired) };
          }
          if (survey.state === 'answered') {
            if (form.score === undefined && comment && survey.commentOpen) {
              await commentOnAnswer(deps, token, comment);
              return { html: message(survey.language, survey.thanks, words.thanksComment) };
            }
            return { status: 409, html: message(survey.language, words.answeredTitle, words.answered) };
          }
          if (form.score === undefined) {
            return {
              status: 400,
              html: surveyPage(token, survey, null).replace(
                '<form',
                `<p role="alert">${words.choose}</p><form`,
              ),
            };
          }
          try {
            const answered = await answerSurvey(deps, token, {
              score: /^\d+$/.test(form.score) ? Number(form.score) : (form.score as 'good' | 'bad'),
              ...(comment ? { comment } : {}),
            });
            return { html: surveyPage(token, answered, null, true) };
          } catch (error) {
            if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
              return {
                status: 400,
                html: surveyPage(token, survey, null).replace(
                  '<form',
                  `<p role="alert">${words.choose}</p><form`,
                ),
              };
            }
            if (error instanceof AppError && error.code === 'SURVEY_ANSWERED') {
              return { status: 409, html: message(survey.language, words.answeredTitle, words.answered) };
            }
            if (error instanceof AppError && error.code === 'SURVEY_EXPIRED') {
              return { status: 410, html: message(survey.language, words.expiredTitle, words.expired) };
            }
            throw error;
          }
        }),
    );
    app.get<{ Params: { token: string } }>(
      '/survey/:token/opt-out',
      { schema: { hide: true } },
      async (req, reply) =>
        render(reply, req, async () => {
          const survey = await publicSurvey(deps, req.params.token);
          const words = WORDS[survey.language];
          return {
            html: page(
              survey.language,
              words.optOutTitle,
              `<h1>${words.optOutTitle}</h1><p>${words.optOut}</p>
<form method="post" action="/survey/${escapeHtml(req.params.token)}/opt-out"><button type="submit">${words.optOutConfirm}</button></form>`,
            ),
          };
        }),
    );
    // Also the target of RFC 8058 one-click unsubscribe, which mail clients post without asking again.
    app.post<{ Params: { token: string } }>(
      '/survey/:token/opt-out',
      { schema: { hide: true } },
      async (req, reply) =>
        render(reply, req, async () => {
          const language = await optOutByToken(deps, req.params.token);
          const words = WORDS[language];
          return { html: message(language, words.optOutTitle, words.optOutDone) };
        }),
    );
  };
}
