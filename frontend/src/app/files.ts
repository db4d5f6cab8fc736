// Files to and from the API beside GraphQL (household registers): with the session's token,
// and refusals read from the same error shape GraphQL answers with.
import { ApiError, type ErrorCode } from './errors';
import { endSession, session } from './session';

async function send(url: string, init: RequestInit = {}): Promise<Response> {
  const token = session.get();
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers } });
  } catch {
    throw new ApiError('NETWORK', 'network');
  }
  if (res.ok) return res;
  const body = await res.json().catch(() => ({}));
  const e = body.errors?.[0];
  const code = (e?.extensions?.code ?? 'INTERNAL') as ErrorCode;
  if (code === 'UNAUTHENTICATED') endSession();
  throw new ApiError(code, e?.message ?? res.statusText, e?.extensions?.field, e?.extensions?.reason);
}

/** Posts a file as the request body; the JSON answer. */
export async function postFile<T>(url: string, file: Blob): Promise<T> {
  const res = await send(url, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
  return res.json() as Promise<T>;
}

/** Hands `href` (an object or data URL) to the browser as a download named `name`. */
export function saveAs(name: string, href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

/** The extensions of the scans the server keeps, by content type. */
const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** Fetches a file and hands it to the browser as a download named `base`, with the extension
 * its content type takes (a scan opens in the right program). */
export async function download(url: string, base: string): Promise<void> {
  const blob = await (await send(url)).blob();
  const ext = EXTENSIONS[blob.type.split(';')[0]];
  const href = URL.createObjectURL(blob);
  saveAs(ext ? `${base}.${ext}` : base, href);
  URL.revokeObjectURL(href);
}

/** Fetches a file the session may read as an object URL (for an image); revoke it when done. */
export async function objectUrl(url: string): Promise<string> {
  return URL.createObjectURL(await (await send(url)).blob());
}
