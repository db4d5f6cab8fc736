import { useEffect, useRef } from 'react';
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

type Month = { period: string; due: { fen: number }; collected: { fen: number }; collectionRateBp?: number | null };

/** The ECharts chart of the months; the table below carries the same figures in text. */
function Chart({ months }: { months: Month[] }) {
  const t = useT();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let dispose = () => {};
    void import('../collectionChart').then(({ drawCollection }) => {
      if (disposed || !el.current) return;
      const chart = drawCollection(
        el.current,
        months.map((m) => ({ period: m.period, rateBp: m.collectionRateBp ?? null, dueFen: m.due.fen, collectedFen: m.collected.fen })),
        { rate: t.collectionRate, due: t.due, collected: t.collected },
      );
      const resize = () => chart.resize();
      window.addEventListener('resize', resize);
      dispose = () => {
        window.removeEventListener('resize', resize);
        chart.dispose();
      };
    });
    return () => {
      disposed = true;
      dispose();
    };
  }, [months, t]);
  return <div ref={el} className="chart" role="img" aria-label={t.collection} data-testid="collection-chart" />;
}

/** Six months of collection for a compound: an ECharts chart, then the numbers. */
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
      <Chart months={months} />
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
