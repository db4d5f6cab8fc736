import type { ReactNode } from 'react';
import { ApiError } from './api';
import { useT } from './i18n';

export function ErrorNote({ error }: { error?: ApiError }) {
  const t = useT();
  if (!error) return null;
  const base = t.errors[error.code] ?? t.errors.INTERNAL;
  const detail = error.code === 'BAD_USER_INPUT' || error.code === 'CONFLICT' ? error.message : '';
  return <p className="error" role="alert">{base}{detail}</p>;
}

export function Loading() {
  return <p className="muted">{useT().loading}</p>;
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
