// Errors as the API states them (`extensions.code`, `extensions.field`, `extensions.reason`),
// turned into words in the person's language with what to do next.
import type { CombinedError } from 'urql';
import type { Dict, Words } from '../i18n';

export type ErrorCode =
  | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'INTERNAL' | 'NETWORK';

/** One of the values the server offers for a field it could not decide (a firm to sign in to). */
export type Choice = { value: string; label: string };

export class ApiError extends Error {
  constructor(
    public code: ErrorCode,
    message: string,
    public field?: string,
    public reason?: string,
    public choices?: Choice[],
  ) {
    super(message);
  }
}

export function fromCombined(error: CombinedError): ApiError {
  if (error.networkError) return new ApiError('NETWORK', error.networkError.message);
  const e = error.graphQLErrors[0];
  const ext = (e?.extensions ?? {}) as { code?: ErrorCode; field?: string; reason?: string };
  return new ApiError(ext.code ?? 'INTERNAL', e?.message ?? 'error', ext.field, ext.reason);
}

/** The sentence shown to the person: from the code, field and reason, never raw API text in Chinese. */
export function describe(error: ApiError, t: Words): string {
  const reason = error.reason && t.errorReasons[error.reason as keyof Dict['errorReasons']];
  if (reason) return reason;
  // An id is not something a person typed: a bad one is the record's state, not their input.
  const typed = error.field && !/(^|\.)(id|\w+Id)$/.test(error.field);
  const label = typed && error.field ? fieldLabel(error.field, t) : undefined;
  switch (error.code) {
    case 'BAD_USER_INPUT':
    case 'CONFLICT': {
      if (!label) return t.errors[error.code];
      return `${label}${t.colon}${fieldProblem(error, t)}`;
    }
    default:
      return t.errors[error.code] ?? t.errors.INTERNAL;
  }
}

/** What is wrong with the field, without its name: shown under the field itself. */
export function fieldProblem(error: ApiError, t: Words): string {
  const key = (error.field ?? '').split('.').pop() ?? '';
  const hint = t.fieldHints[key as keyof Dict['fieldHints']];
  const base = error.code === 'CONFLICT' ? t.errors.conflictField : t.errors.checkField;
  // English readers also get the server's own precise sentence (it is written in English).
  const detail = t.lang === 'en' ? ` (${error.message.replace(/^[\w.]+: /, '')})` : '';
  return `${hint ?? base}${detail}`;
}

export function fieldLabel(field: string, t: Dict): string {
  const key = field.split('.').pop() ?? field;
  return t.fields[key as keyof Dict['fields']] ?? key;
}
