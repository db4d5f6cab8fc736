import { request } from '../api';
import { ErrorNote } from '../components';
import { graphql } from '../gql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { monthsBack, thisMonth, yuan } from '../money';

const CollectionQuery = graphql(`
  query Collection($id: ID!, $from: String!, $to: String!) {
    collection(compoundId: $id, from: $from, to: $to) {
      period due { fen } collected { fen } waived { fen } householdsBilled householdsPaid collectionRateBp
    }
  }
`);

/** Six months of collection for a compound: a bar per month, then the numbers. */
export function Collection({ compoundId }: { compoundId: string }) {
  const t = useT();
  const to = thisMonth();
  const from = monthsBack(to, 5);
  const res = useLoad(() => request(CollectionQuery, { id: compoundId, from, to }), [compoundId]);
  if (res.error?.code === 'FORBIDDEN' || res.error?.code === 'NOT_FOUND') return null;
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : null;
  const months = res.data.collection;
  return (
    <section className="card">
      <h2>{t.collection}</h2>
      <div className="bars" role="img" aria-label={t.collection}>
        {months.map((m) => {
          const pct = m.collectionRateBp == null ? 0 : Math.min(100, m.collectionRateBp / 100);
          return (
            <div key={m.period} className="bar">
              <div className="bar-track"><div className="bar-fill" style={{ height: `${pct}%` }} /></div>
              <span className="bar-label">{m.collectionRateBp == null ? '—' : `${(m.collectionRateBp / 100).toFixed(1)}%`}</span>
              <span className="muted bar-label">{m.period.slice(5)}</span>
            </div>
          );
        })}
      </div>
      <table className="report">
        <thead><tr><th>{t.month}</th><th className="num">{t.due}</th><th className="num">{t.collected}</th><th className="num">{t.waived}</th><th className="num">{t.householdsPaid}</th></tr></thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.period}>
              <td>{m.period}</td>
              <td className="num">{yuan(m.due.fen)}</td>
              <td className="num">{yuan(m.collected.fen)}</td>
              <td className="num">{yuan(m.waived.fen)}</td>
              <td className="num">{m.householdsPaid}/{m.householdsBilled}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
