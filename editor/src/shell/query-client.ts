import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { redirectToLogin } from './login-redirect';

// A 401 that gets this far means there is no session to renew in place (the
// page opened without one, or the user left the sign-in-again dialog for the
// login page): sign in there and come back here.
function onError(error: Error): void {
  if (error instanceof ApiError && error.status === 401) redirectToLogin();
}

// Client errors (bad request, no permission, not found) will not fix themselves.
function shouldRetry(failureCount: number, error: Error): boolean {
  const clientError = error instanceof ApiError && error.status >= 400 && error.status < 500;
  return !clientError && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: { queries: { retry: shouldRetry } },
  });
}
