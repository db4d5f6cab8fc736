// The public pages' one call to the API: plain fetch, so that they download no client library.
import { ApiError, type ErrorCode } from '../app/errors';

export async function post<R>(query: string, variables: object): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('NETWORK', 'network');
  }
  const body = await res.json().catch(() => ({ errors: [{ message: 'bad response' }] }));
  const e = body.errors?.[0];
  if (e) throw new ApiError((e.extensions?.code ?? 'INTERNAL') as ErrorCode, e.message, e.extensions?.field, e.extensions?.reason, e.extensions?.choices);
  return body.data as R;
}
