import type { Problem } from '@keepdesk/contract';

/** An answer of the API that was not 2xx, carrying its RFC 9457 problem. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }

  /** The message for one field, when the API named it. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((error) => error.field === field)?.message;
  }
}

let csrfToken: string | null = null;

/** Cookie-authenticated writes carry the session's CSRF token; set after sign-in and on every /me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Forms and blobs bring their own content type; everything else travels as JSON.
  const form = body instanceof FormData || body instanceof Blob;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : form ? (body as BodyInit) : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem = (data ?? {
      type: 'about:blank',
      title: res.statusText,
      status: res.status,
      code: 'UNKNOWN',
      requestId: '',
    }) as Problem;
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** A text body of its own type, such as an iCalendar file. */
  postText: <T>(path: string, text: string, contentType: string) =>
    request<T>('POST', path, new Blob([text], { type: contentType })),
  /** Files as multipart/form-data, each under the name `file`. */
  upload: <T>(path: string, files: readonly File[]) => {
    const form = new FormData();
    for (const file of files) form.append('file', file);
    return request<T>('POST', path, form);
  },
};

/**
 * Posts JSON that must arrive even when the page is being left or closed (`fetch` with `keepalive`, which unlike
 * `sendBeacon` carries the CSRF header). Resolves to the answer's JSON when it was a 2xx and the page is still
 * there to read it, else to null: failures are not thrown.
 */
export async function postKeepalive(path: string, body: unknown): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    const res = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      keepalive: true,
      body: JSON.stringify(body),
    });
    return res.ok ? ((await res.json()) as unknown) : null;
  } catch {
    return null;
  }
}

/** Builds a query string from the defined values only. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
