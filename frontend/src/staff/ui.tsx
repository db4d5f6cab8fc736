// Small pieces every console page uses.
import { Alert, Table, Typography, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { CombinedError } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { useT } from '../i18n';
import { yuan } from '../money';

export function PageTitle({ title, back, extra }: { title: ReactNode; back?: { to: string; label: string }; extra?: ReactNode }) {
  return (
    <div className="page-title">
      {back && <Link to={back.to} className="back">← {back.label}</Link>}
      <div className="page-title-row">
        <Typography.Title level={2}>{title}</Typography.Title>
        {extra}
      </div>
    </div>
  );
}

/** An error from a query, in words; nothing when there is none. */
export function QueryError({ error }: { error?: CombinedError }) {
  const t = useT();
  if (!error) return null;
  const e = fromCombined(error);
  // A malformed id comes from a broken link: to the reader that is simply not found.
  const badId = e.code === 'BAD_USER_INPUT' && /(^|\.)(id|\w+Id)$/.test(e.field ?? '');
  return <Alert type="error" showIcon title={badId ? t.errors.NOT_FOUND : describe(e, t)} role="alert" />;
}

/** An error a form could not place under a field. */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return <Alert type="error" showIcon title={message} role="alert" style={{ marginBottom: 16 }} />;
}

/** Money as yuan with two decimals, from integer fen. */
export function Yuan({ fen }: { fen: number }) {
  return <span className="num">{yuan(fen)}</span>;
}

/**
 * A table that scrolls sideways inside its own box on a narrow phone instead of widening the
 * page; the box takes keyboard focus so that it can be scrolled without a mouse.
 */
export function DataTable<T extends object>(props: TableProps<T>) {
  return (
    <div className="table-scroll" tabIndex={0}>
      <Table<T> {...props} />
    </div>
  );
}
