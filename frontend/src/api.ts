// A typed GraphQL client over fetch: operations come from codegen, so a result's shape is
// checked against api/schema.graphql at build time.
import type { TypedDocumentString } from './gql/graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'INTERNAL' | 'NETWORK';

export class ApiError extends Error {
  constructor(public code: ErrorCode, message: string, public field?: string) {
    super(message);
  }
}

const TOKEN_KEY = 'courtyard.token';
export const session = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

export async function request<R, V>(doc: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = session.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: doc.toString(), variables }) });
  } catch {
    throw new ApiError('NETWORK', 'network');
  }
  const body = await res.json().catch(() => ({ errors: [{ message: 'bad response', extensions: { code: 'INTERNAL' } }] }));
  if (body.errors?.length) {
    const e = body.errors[0];
    const code = (e.extensions?.code ?? 'INTERNAL') as ErrorCode;
    if (code === 'UNAUTHENTICATED' && token) session.clear();
    throw new ApiError(code, e.message, e.extensions?.field);
  }
  return body.data as R;
}
