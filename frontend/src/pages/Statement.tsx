import { useState } from 'react';
import { request } from '../api';
import { ErrorNote, Loading } from '../components';
import { graphql } from '../gql';
import type { AccountStatementQuery } from '../gql/graphql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { yuan } from '../money';

const StatementQuery = graphql(`
  query AccountStatement($id: ID!, $from: NaiveDate!, $to: NaiveDate!, $after: String) {
    accountStatement(accountId: $id, from: $from, to: $to, first: 50, after: $after) {
      account { id kind compoundId naturalBalance { display } }
      openingBalance { fen }
      edges { node { entryId occurredAt memo kind amount { fen display } balanceAfter { fen } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

type Line = AccountStatementQuery['accountStatement']['edges'][number]['node'];


/** An account's statement for the last year, in the order entries were recorded. */
export function StatementPage({ id }: { id: string }) {
  const t = useT();
  const today = new Date();
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getFullYear() - 1, today.getMonth(), today.getDate() + 1).toISOString().slice(0, 10);
  const [more, setMore] = useState<{ lines: Line[]; cursor: string | null; hasNext: boolean } | null>(null);
  const res = useLoad(() => request(StatementQuery, { id, from, to }), [id]);
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : <Loading />;
  const s = res.data.accountStatement;
  // Credit-normal accounts (funds, income) read naturally with the sign flipped.
  const creditNormal = !['HOUSEHOLD_RECEIVABLE', 'WAIVER_EXPENSE', 'SUBSIDY_RECEIVABLE', 'CASH_ON_HAND', 'BANK',
    'PROCESSOR_CLEARING', 'REPAIR_EXPENSE'].includes(s.account.kind);
  const show = (fen: number) => yuan(creditNormal ? -fen : fen);
  const lines = [...s.edges.map((e) => e.node), ...(more?.lines ?? [])];
  const hasNext = more ? more.hasNext : s.pageInfo.hasNextPage;
  const loadMore = async () => {
    const next = await request(StatementQuery, { id, from, to, after: more ? more.cursor : s.pageInfo.endCursor });
    const n = next.accountStatement;
    setMore({ lines: [...(more?.lines ?? []), ...n.edges.map((e) => e.node)], cursor: n.pageInfo.endCursor ?? null, hasNext: n.pageInfo.hasNextPage });
  };
  return (
    <>
      <a href={`#/compounds/${s.account.compoundId}`} className="back">← {t.back}</a>
      <h1>{t.accountKinds[s.account.kind]}</h1>
      <p className="big-number">{t.balance}：{s.account.naturalBalance.display}</p>
      <section className="card">
        <p className="muted">{from} – {to} · {t.opening}：{show(s.openingBalance.fen)}</p>
        {lines.length === 0 ? <p className="muted">{t.empty}</p> : (
          <table className="report">
            <thead><tr><th>{t.date}</th><th>{t.memo}</th><th className="num">{t.amount}</th><th className="num">{t.balance}</th></tr></thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.entryId}>
                  <td>{l.occurredAt.slice(0, 10)}</td>
                  <td>{l.memo}</td>
                  <td className="num">{show(l.amount.fen)}</td>
                  <td className="num">{show(l.balanceAfter.fen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {hasNext && <button className="wide" onClick={loadMore}>{t.more}</button>}
      </section>
    </>
  );
}
