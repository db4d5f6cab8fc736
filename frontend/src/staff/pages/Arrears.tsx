// The arrears list: the households owing the most, across the firm or in one bundle, a page at
// a time, their debts aged; each opens the household, where a payment or a notice is recorded.
import { Select, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { CursorPager, useCursorPages } from '../CursorPager';
import { DataTable, PageTitle, QueryError, Yuan } from '../ui';

const arrearsDocument = graphql(`
  query ArrearsList($bundleId: ID, $after: String) {
    arrearsList(bundleId: $bundleId, first: 50, after: $after) {
      edges {
        node {
          householdId compoundId compoundName building unit room owed { fen }
          aged { days0To30 { fen } days31To90 { fen } days91To180 { fen } over180Days { fen } oldestPeriod }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const bundleNamesDocument = graphql(`
  query ArrearsBundles { bundles(first: 100) { edges { node { id name } } } }
`);

export default function ArrearsPage() {
  const t = useT();
  const [bundleId, setBundleId] = useState<string | null>(null);
  const pages = useCursorPages();
  const [{ data, error, fetching }] = useQuery({ query: arrearsDocument, variables: { bundleId, after: pages.after } });
  const [bundles] = useQuery({ query: bundleNamesDocument });
  const options = [
    { value: '', label: t.arrears.allBundles },
    ...(bundles.data?.bundles.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? []),
  ];
  const list = data?.arrearsList;
  return (
    <>
      <PageTitle title={t.arrears.title} />
      <Space style={{ marginBottom: 16 }}>
        <Select aria-label={t.bundles} value={bundleId ?? ''} options={options} style={{ minWidth: 220 }}
          onChange={(v: string) => { pages.reset(); setBundleId(v || null); }} />
      </Space>
      <QueryError error={error} />
      <DataTable rowKey="householdId" size="small" className="arrears" loading={fetching} pagination={false}
        dataSource={list?.edges.map((e) => e.node) ?? []} locale={{ emptyText: t.arrears.none }}
        columns={[
          { title: t.compound, render: (_, r) => <Link to={`/compounds/${r.compoundId}`}>{r.compoundName}</Link> },
          {
            title: t.arrears.household,
            render: (_, r) => <Link to={`/households/${r.householdId}/bills`}>{[r.building, r.unit, r.room].filter(Boolean).join(' ')}</Link>,
          },
          { title: t.arrears.owed, align: 'right', render: (_, r) => <strong><Yuan fen={r.owed.fen} /></strong> },
          { title: t.arrears.days0To30, align: 'right', responsive: ['md'], render: (_, r) => <Yuan fen={r.aged.days0To30.fen} /> },
          { title: t.arrears.days31To90, align: 'right', responsive: ['md'], render: (_, r) => <Yuan fen={r.aged.days31To90.fen} /> },
          { title: t.arrears.days91To180, align: 'right', responsive: ['md'], render: (_, r) => <Yuan fen={r.aged.days91To180.fen} /> },
          { title: t.arrears.over180Days, align: 'right', responsive: ['md'], render: (_, r) => <Yuan fen={r.aged.over180Days.fen} /> },
          { title: t.arrears.oldest, render: (_, r) => r.aged.oldestPeriod, className: 'nowrap' },
        ]} />
      <CursorPager pages={pages} hasNext={list?.pageInfo.hasNextPage ?? false} endCursor={list?.pageInfo.endCursor} />
    </>
  );
}
