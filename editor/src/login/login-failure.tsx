import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/* Why a sign-in failed, for the login page and the sign-in-again dialog alike. */

type SimpleFailure = 'required' | 'badCredentials' | 'invalidRequest' | 'network' | 'serverError';

export type LoginFailure = { kind: SimpleFailure } | { kind: 'lockedOut'; retryAfterSeconds: number | null };

const FAILURE_TEXT = {
  required: 'login.required',
  badCredentials: 'login.badCredentials',
  invalidRequest: 'login.invalidRequest',
  network: 'errors.network',
  serverError: 'login.serverError',
} as const satisfies Record<SimpleFailure, string>;

export function classifyLoginFailure(error: unknown): LoginFailure {
  if (!(error instanceof ApiError)) return { kind: 'serverError' };
  switch (error.status) {
    case 0:
      return { kind: 'network' };
    case 400:
      return { kind: 'invalidRequest' };
    case 401:
      return { kind: 'badCredentials' };
    case 429:
      return { kind: 'lockedOut', retryAfterSeconds: error.retryAfterSeconds };
    default:
      return { kind: 'serverError' };
  }
}

export function LoginFailureMessage({ failure }: { failure: LoginFailure }) {
  const { t } = useTranslation();
  if (failure.kind !== 'lockedOut') return <>{t(FAILURE_TEXT[failure.kind])}</>;
  const seconds = failure.retryAfterSeconds;
  let retry: string | null = null;
  if (seconds !== null && seconds > 0) {
    // Below a minute and a half, rounding up to whole minutes would overstate the wait.
    retry =
      seconds < 90
        ? t('login.retryInSeconds', { count: seconds })
        : t('login.retryInMinutes', { count: Math.ceil(seconds / 60) });
  }
  return (
    <>
      {t('login.lockedOut')}
      {retry !== null && ` ${retry}`}
    </>
  );
}
