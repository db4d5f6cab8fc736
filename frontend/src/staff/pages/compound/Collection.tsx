// Six months of a compound's collection: an ECharts chart, then the same figures as a table.
import { Card} from 'antd';
import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { CollectionQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { monthsBack, thisMonth } from '../../../money';
import { DataTable, Yuan } from '../../ui';

const collectionDocument = graphql(`
  query Collection($id: ID!, $from: String!, $to: String!) {
    collection(compoundId: $id, from: $from, to: $to) {
      period due { fen } collected { fen } waived { fen } householdsBilled householdsPaid collectionRateBp
    }
  }
`);

type Month = CollectionQuery['collection'][number];

function Chart({ months }: { months: Month[] }) {
  const t = useT();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let dispose = () => {};
    void import('../../collectionChart').then(({ drawCollection }) => {
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

export function Collection({ compoundId }: { compoundId: string }) {
  const t = useT();
  const to = thisMonth();
  const [{ data }] = useQuery({ query: collectionDocument, variables: { id: compoundId, from: monthsBack(to, 5), to } });
  if (!data) return null;
  const months = data.collection;
  return (
    <Card title={t.collection} className="section">
      <Chart months={months} />
      <DataTable
        rowKey="period"
        className="collection"
        dataSource={months}
        pagination={false}
        size="small"
       
        columns={[
          { title: t.month, dataIndex: 'period', className: 'nowrap' },
          { title: t.due, align: 'right', render: (_, m) => <Yuan fen={m.due.fen} /> },
          { title: t.collected, align: 'right', render: (_, m) => <Yuan fen={m.collected.fen} /> },
          { title: t.waived, align: 'right', render: (_, m) => <Yuan fen={m.waived.fen} /> },
          { title: t.householdsPaid, align: 'right', render: (_, m) => `${m.householdsPaid}/${m.householdsBilled}` },
        ]}
      />
    </Card>
  );
}
