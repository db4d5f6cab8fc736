// The firm's bundles (打包项目), each with its compounds and six months of collection.
import { Button, Card, Drawer, List, Popconfirm, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useMe } from '../../app/me';
import { graphql } from '../../gql';
import type { BundlesQuery } from '../../gql/graphql';
import { useT } from '../../i18n';
import { monthsBack, thisMonth } from '../../money';
import { BundleCloseForm } from '../forms/BundleCloseForm';
import { BundleForm } from '../forms/BundleForm';
import { CompoundForm } from '../forms/CompoundForm';
import { PageTitle, QueryError } from '../ui';
import { IncomeReport } from './compound/IncomeReport';
import { useAction } from '../useSubmit';

const bundlesDocument = graphql(`
  query Bundles {
    bundles(first: 100) {
      edges {
        node {
          id name streetOffice district
          compounds(first: 100) { edges { node { id name householdCount managementMode onboardingStep } } }
        }
      }
    }
  }
`);

const archiveBundle = graphql(`
  mutation ArchiveBundle($id: ID!) { archiveBundle(id: $id) { id archivedAt } }
`);

type Bundle = BundlesQuery['bundles']['edges'][number]['node'];

export default function BundlesPage() {
  const t = useT();
  const me = useMe();
  const [{ data, error }] = useQuery({ query: bundlesDocument });
  const [editing, setEditing] = useState<Bundle | 'new'>();
  const bundles = data?.bundles.edges.map((e) => e.node) ?? [];
  return (
    <>
      <PageTitle title={t.bundles} extra={me.can.administer && <Button type="primary" onClick={() => setEditing('new')}>{t.newBundle}</Button>} />
      <QueryError error={error} />
      {data && bundles.length === 0 && <Typography.Paragraph type="secondary">{t.empty}</Typography.Paragraph>}
      {bundles.map((b) => <BundleCard key={b.id} bundle={b} onEdit={() => setEditing(b)} />)}
      <BundleForm open={editing !== undefined} onClose={() => setEditing(undefined)} bundle={editing === 'new' ? undefined : editing} />
    </>
  );
}

function BundleCard({ bundle: b, onEdit }: { bundle: Bundle; onEdit: () => void }) {
  const t = useT();
  const me = useMe();
  const archive = useAction(archiveBundle);
  const [adding, setAdding] = useState(false);
  const [closing, setClosing] = useState(false);
  const [reporting, setReporting] = useState(false);
  const compounds = b.compounds.edges.map((e) => e.node);
  const total = compounds.reduce((n, c) => n + c.householdCount, 0);
  const closeAction = me.can.keepBooks
    ? [
        <Button key="close" type="link" onClick={() => setClosing(true)}>{t.closeBundleIncome}</Button>,
        <Button key="report" type="link" onClick={() => setReporting(true)}>{t.incomeReport}</Button>,
      ]
    : [];
  const actions = me.can.administer
    ? [
        ...closeAction,
        <Button key="add" type="link" onClick={() => setAdding(true)}>{t.newCompound}</Button>,
        <Button key="edit" type="link" onClick={onEdit}>{t.edit}</Button>,
        <Popconfirm key="archive" title={t.archiveBundleConfirm} onConfirm={() => archive.run({ id: b.id })}>
          <Button type="link" danger>{t.archive}</Button>
        </Popconfirm>,
      ]
    : closeAction.length ? closeAction : undefined;
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{b.name}</Typography.Title>} actions={actions} className="bundle">
      <Typography.Paragraph type="secondary">
        {t.streetOffice}{t.colon}{b.streetOffice} · {t.district}{t.colon}{b.district} · {t.householdCount}{t.colon}{total}
      </Typography.Paragraph>
      <List
        dataSource={compounds}
        locale={{ emptyText: t.empty }}
        renderItem={(c) => (
          <List.Item extra={<span>{c.householdCount} {t.lang === 'zh' ? '户' : ''}</span>}>
            <Space direction="vertical" size={0}>
              <Link to={`/compounds/${c.id}`}>{c.name}</Link>
              <Typography.Text type="secondary">{t.modes[c.managementMode]} · {t.fmt(t.step, c.onboardingStep)}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      <BundleRates bundleId={b.id} />
      <CompoundForm open={adding} onClose={() => setAdding(false)} bundleId={b.id} />
      <BundleCloseForm open={closing} onClose={() => setClosing(false)} bundleId={b.id} />
      <Drawer title={`${b.name} · ${t.incomeReport}`} open={reporting} onClose={() => setReporting(false)} size="large" destroyOnHidden>
        <IncomeReport bundleId={b.id} />
      </Drawer>
    </Card>
  );
}

const bundleCollectionDocument = graphql(`
  query BundleCollection($id: ID!, $from: String!, $to: String!) {
    bundleCollection(bundleId: $id, from: $from, to: $to) {
      months { period collectionRateBp }
      compounds { compoundId name months { collectionRateBp } }
    }
  }
`);

/** Six months of collection rate, one line per compound of the bundle. */
function BundleRates({ bundleId }: { bundleId: string }) {
  const t = useT();
  const to = thisMonth();
  const [{ data }] = useQuery({ query: bundleCollectionDocument, variables: { id: bundleId, from: monthsBack(to, 5), to } });
  const el = useRef<HTMLDivElement>(null);
  const c = data?.bundleCollection;
  useEffect(() => {
    if (!c) return;
    let disposed = false;
    let dispose = () => {};
    void import('../collectionChart').then(({ drawRates }) => {
      if (disposed || !el.current) return;
      const chart = drawRates(el.current, c.months.map((m) => m.period), [
        { name: t.bundleTotal, ratesBp: c.months.map((m) => m.collectionRateBp ?? null) },
        ...c.compounds.map((x) => ({ name: x.name, ratesBp: x.months.map((m) => m.collectionRateBp ?? null) })),
      ]);
      dispose = () => chart.dispose();
    });
    return () => {
      disposed = true;
      dispose();
    };
  }, [c, t]);
  if (!c) return null;
  return (
    <>
      <Typography.Title level={4}>{t.collectionRate}</Typography.Title>
      <div ref={el} className="chart" role="img" aria-label={t.collectionRate} data-testid="bundle-chart" />
    </>
  );
}
