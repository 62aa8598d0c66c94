/** Feedback: CSAT, CES and NPS surveys, their answers and scores. */
export {
  computeThemesJob,
  FOLLOW_UP,
  feedbackDigestJob,
  followUpJob,
  nightlyThemesJob,
  sendSurveyJob,
  surveyRoundsJob,
  TICKET_STATUS,
  ticketStatusJob,
} from './feedback.jobs';
export { feedbackRoutes } from './feedback.routes';
export { surveyPages } from './survey.page';
export { defaultTexts as surveyTexts } from './surveys.domain';
export { createSurvey, FOLLOW_UP_REQUESTED, listSurveys, moveSurveysToContact } from './surveys.service';
