import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { ApiError } from '../api';

/** Shows what went wrong: the API's own words when it gave a problem, a general message otherwise. */
export function notifyError(t: TFunction, error: unknown): void {
  const message = error instanceof ApiError ? error.message : t('errors.network');
  notifications.show({ color: 'red', title: t('errors.title'), message });
}

export function notifySaved(t: TFunction, message?: string): void {
  notifications.show({ color: 'teal', message: message ?? t('common.saved'), autoClose: 2500 });
}

/** Per-field messages of a 400/409 problem, keyed by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.problem.errors ?? []).map((e) => [e.field, e.message]));
}

/** For forms: a problem that names fields shows beside them, any other as a notification. */
export function notifyUnlessFieldErrors(t: TFunction, error: unknown): void {
  if (Object.keys(fieldErrors(error)).length === 0) notifyError(t, error);
}
