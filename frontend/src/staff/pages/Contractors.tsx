// The firm's contractors: trades, service area, contracts and their record of work (on time,
// ratings, reopened, average cost overall and by trade). A firm-wide dispatcher or the
// administrator registers, edits, renews and gives a contractor a sign-in for their phone;
// those who keep the books open each one's account to pay for verified work.
import { Button, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useMe } from '../../app/me';
import { graphql } from '../../gql';
import type { ContractorsQuery } from '../../gql/graphql';
import { useT } from '../../i18n';
import { ContractForm, ContractorForm, SignInForm } from '../forms/ContractorForm';
import { DataTable, PageTitle, QueryError, Yuan } from '../ui';

export const contractorsDocument = graphql(`
  query Contractors {
    contractors {
      id name kind phone trades bundleIds compoundIds capacity onCallFrom onCallTo retiredAt
      contracts { id startsOn endsOn rateKind rate { fen yuan } }
      scorecard { openJobs completed onTimePermille ratings averageRatingCenti reopenPermille averageCost { fen } byTrade { trade completed averageCost { fen } } }
    }
  }
`);

export type ContractorRow = ContractorsQuery['contractors'][number];

/** Minutes of the day as 08:00. */
export const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const percent = (permille?: number | null) => (permille == null ? '—' : `${(permille / 10).toFixed(1)}%`);

export default function ContractorsPage() {
  const t = useT();
  const me = useMe();
  const [{ data, error }] = useQuery({ query: contractorsDocument });
  const [editing, setEditing] = useState<ContractorRow | 'new'>();
  const [renewing, setRenewing] = useState<ContractorRow>();
  const [signIn, setSignIn] = useState<ContractorRow>();
  const manage = me.can.manageContractors;
  const books = me.can.keepBooks;
  return (
    <>
      <PageTitle title={t.wo.contractorsMenu}
        extra={manage && <Button type="primary" onClick={() => setEditing('new')}>{t.wo.register}</Button>} />
      <QueryError error={error} />
      <DataTable<ContractorRow> rowKey="id" pagination={false} dataSource={data?.contractors ?? []} locale={{ emptyText: t.none }}
        columns={[
          { title: t.fields.name, render: (_, c) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{c.name}</Typography.Text>
              <Typography.Text type="secondary">{t.wo.kinds[c.kind]}{c.phone ? ` · ${c.phone}` : ''}</Typography.Text>
              {c.retiredAt && <Tag>{t.wo.retired}</Tag>}
            </Space>
          ) },
          { title: t.wo.trades_, render: (_, c) => c.trades.map((tr) => <Tag key={tr}>{t.wo.trades[tr]}</Tag>) },
          { title: t.wo.onCall, className: 'nowrap', render: (_, c) => (c.onCallFrom == null || c.onCallTo == null ? t.wo.alwaysOnCall : `${clock(c.onCallFrom)}–${clock(c.onCallTo)}`) },
          { title: t.wo.contracts, render: (_, c) => c.contracts.map((k) => (
            <div key={k.id} className="nowrap">{k.startsOn} – {k.endsOn} · {t.wo.rateKinds[k.rateKind]} <Yuan fen={k.rate.fen} /></div>
          )) },
          { title: t.wo.openJobs, align: 'right', render: (_, c) => `${c.scorecard.openJobs} / ${c.capacity}` },
          { title: t.wo.completed, align: 'right', dataIndex: ['scorecard', 'completed'] },
          { title: t.wo.onTime, align: 'right', render: (_, c) => percent(c.scorecard.onTimePermille) },
          { title: t.wo.rating, align: 'right', render: (_, c) => (c.scorecard.averageRatingCenti == null ? '—' : `${(c.scorecard.averageRatingCenti / 100).toFixed(2)} ★ (${c.scorecard.ratings})`) },
          { title: t.wo.reopenRate, align: 'right', render: (_, c) => percent(c.scorecard.reopenPermille) },
          {
            title: t.wo.averageCost, align: 'right', render: (_, c) => (c.scorecard.averageCost ? (
              <>
                <Yuan fen={c.scorecard.averageCost.fen} />
                {c.scorecard.byTrade.map((b) => (
                  <div key={b.trade} className="muted">{t.wo.trades[b.trade]} <Yuan fen={b.averageCost.fen} /> ×{b.completed}</div>
                ))}
              </>
            ) : '—'),
          },
          ...(manage || books ? [{
            title: '', key: 'actions', render: (_: unknown, c: ContractorRow) => (
              <Space size={0} wrap>
                {manage && <Button type="link" onClick={() => setEditing(c)}>{t.edit}</Button>}
                {manage && <Button type="link" onClick={() => setRenewing(c)}>{t.wo.addContract}</Button>}
                {manage && <Button type="link" onClick={() => setSignIn(c)}>{t.wo.giveSignIn}</Button>}
                {books && <Link to={`/contractors/${c.id}/account`}>{t.wo.payables}</Link>}
              </Space>
            ),
          }] : []),
        ]} />
      <ContractorForm contractor={editing} onClose={() => setEditing(undefined)} />
      <ContractForm contractor={renewing} onClose={() => setRenewing(undefined)} />
      <SignInForm contractor={signIn} onClose={() => setSignIn(undefined)} />
    </>
  );
}
