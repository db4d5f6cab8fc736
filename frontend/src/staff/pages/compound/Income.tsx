// A compound's common-part income, month by month: what came in and what it cost, how it
// splits between the committee fund and the firm (as closed, or as closing would post it),
// and the owners' resolution and split rules it rests on. Book-keepers record and close;
// the committee reads the same figures.
import { Alert, Button, Card, DatePicker, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { CommonIncomeMonthQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { monthsBack, thisMonth, yuan } from '../../../money';
import { CommonIncomeForm } from '../../forms/CommonIncomeForm';
import { CommonPartCostForm } from '../../forms/CommonPartCostForm';
import { ResolutionForm } from '../../forms/ResolutionForm';
import { SplitRuleForm } from '../../forms/SplitRuleForm';
import { DataTable, QueryError, Yuan } from '../../ui';
import { useAction } from '../../useSubmit';
import { AdContracts } from './AdContracts';
import { IncomeReport } from './IncomeReport';
import { ParkingPasses } from './ParkingPasses';
import { PublicBoard } from './PublicBoard';
import { ResolutionScan } from './ResolutionScan';
import { TakingsImport } from './TakingsImport';

const monthDocument = graphql(`
  query CommonIncomeMonth($id: ID!, $period: String!) {
    commonIncomeMonth(compoundId: $id, period: $period) {
      period locked closedThrough close { id closedAt }
      lines { category ownersBp firmBp gross { fen } costs { fen } carriedIn { fen } deducted { fen } carriedOut { fen } net { fen } owners { fen } firm { fen } }
      total { gross { fen } owners { fen } firm { fen } carriedOut { fen } }
      records { id category receivedOn amount { fen } method payer reference correctionReason }
      costs { id category amount { fen } description evidence method }
    }
    businessUseResolutions(compoundId: $id) { id documentNo decidedOn note scanType }
    incomeSplitRules(compoundId: $id) { id category effectiveFrom ownersBp firmBp resolutionId }
  }
`);

const closeMonth = graphql(`
  mutation CloseCommonIncomeMonth($id: ID!, $period: String!) {
    closeCommonIncomeMonth(compoundId: $id, period: $period) { id }
  }
`);

type Month = CommonIncomeMonthQuery['commonIncomeMonth'];
type Drawer = 'income' | 'correction' | 'cost' | 'resolution' | 'rule';

const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)}%`;

export function Income({ compound }: { compound: { id: string; name: string } }) {
  const compoundId = compound.id;
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const period = params.get('month') ?? monthsBack(thisMonth(), 1);
  const [{ data, error }, refetch] = useQuery({ query: monthDocument, variables: { id: compoundId, period } });
  const [open, setOpen] = useState<Drawer>();
  const close = useAction(closeMonth);
  const m = data?.commonIncomeMonth;
  const books = me.can.keepBooks;
  const ended = period < thisMonth();
  return (
    <>
      <Card className="section" title={t.commonIncome}
        extra={<DatePicker picker="month" allowClear={false} value={dayjs(`${period}-01`)} aria-label={t.month}
          onChange={(d) => d && setParams({ month: d.format('YYYY-MM') }, { replace: true })} />}>
        <QueryError error={error} />
        {m && (
          <>
            <Space wrap style={{ marginBottom: 12 }}>
              {m.locked ? <Tag className="tag-closed">{t.monthClosed}</Tag> : <Tag>{t.monthOpen}</Tag>}
              {m.closedThrough && <Typography.Text type="secondary">{t.fmt(t.closedThrough, m.closedThrough)}</Typography.Text>}
            </Space>
            {books && !m.locked && (
              <Space wrap style={{ marginBottom: 12 }}>
                <Button type="primary" onClick={() => setOpen('income')}>{t.recordIncome}</Button>
                <Button onClick={() => setOpen('cost')}>{t.recordCost}</Button>
                <Button onClick={() => setOpen('correction')}>{t.incomeCorrection}</Button>
                <TakingsImport compoundId={compoundId} onImported={() => refetch({ requestPolicy: 'network-only' })} />
                <Popconfirm title={t.closeMonthConfirm(period, yuan(m.total.owners.fen), yuan(m.total.firm.fen))}
                  disabled={!ended} onConfirm={() => close.run({ id: compoundId, period })}>
                  <Button danger disabled={!ended} loading={close.fetching}>{t.closeMonth}</Button>
                </Popconfirm>
                {!ended && <Typography.Text type="secondary">{t.closeAfterMonthEnds}</Typography.Text>}
              </Space>
            )}
            <Split month={m} />
            <Records month={m} />
          </>
        )}
      </Card>
      <Terms data={data} onRecord={books ? setOpen : undefined} onChanged={() => refetch({ requestPolicy: 'network-only' })} />
      <AdContracts compound={compound} />
      <ParkingPasses compoundId={compoundId} />
      <IncomeReport compoundId={compoundId} />
      <PublicBoard compoundId={compoundId} />
      <CommonIncomeForm open={open === 'income'} onClose={() => setOpen(undefined)} compoundId={compoundId} />
      <CommonIncomeForm open={open === 'correction'} onClose={() => setOpen(undefined)} compoundId={compoundId} correction />
      <CommonPartCostForm open={open === 'cost'} onClose={() => setOpen(undefined)} compoundId={compoundId} period={period} />
      <ResolutionForm open={open === 'resolution'} onClose={() => setOpen(undefined)} compoundId={compoundId} />
      <SplitRuleForm open={open === 'rule'} onClose={() => setOpen(undefined)} compoundId={compoundId} period={thisMonth()}
        resolutions={data?.businessUseResolutions ?? []} />
    </>
  );
}

/** The month by category: gross, costs deducted and carried, the owners' and the firm's shares. */
function Split({ month: m }: { month: Month }) {
  const t = useT();
  const money = (f: (l: Month['lines'][number]) => { fen: number }) => (_: unknown, l: Month['lines'][number]) => <Yuan fen={f(l).fen} />;
  return (
    <DataTable rowKey="category" size="small" pagination={false} dataSource={m.lines} className="income-split"
      locale={{ emptyText: t.noIncome }}
      columns={[
        { title: t.fields.category, render: (_, l) => t.incomeCategories[l.category] },
        { title: t.gross, align: 'right', render: money((l) => l.gross) },
        { title: t.costsDeducted, align: 'right', render: money((l) => l.deducted) },
        { title: t.carriedForward, align: 'right', render: money((l) => l.carriedOut) },
        { title: t.ownersShare, align: 'right', render: (_, l) => <>{<Yuan fen={l.owners.fen} />} <span className="muted">{percent(l.ownersBp)}</span></> },
        { title: t.firmShare, align: 'right', render: (_, l) => <>{<Yuan fen={l.firm.fen} />} <span className="muted">{percent(l.firmBp)}</span></> },
      ]}
      summary={() => m.lines.length > 1 && (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>{t.total}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right"><Yuan fen={m.total.gross.fen} /></Table.Summary.Cell>
          <Table.Summary.Cell index={2} />
          <Table.Summary.Cell index={3} align="right"><Yuan fen={m.total.carriedOut.fen} /></Table.Summary.Cell>
          <Table.Summary.Cell index={4} align="right"><Yuan fen={m.total.owners.fen} /></Table.Summary.Cell>
          <Table.Summary.Cell index={5} align="right"><Yuan fen={m.total.firm.fen} /></Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

/** What was received and what it cost, as recorded. */
function Records({ month: m }: { month: Month }) {
  const t = useT();
  return (
    <>
      <Typography.Title level={5} className="subsection">{t.incomeReceived}</Typography.Title>
      <DataTable rowKey="id" size="small" pagination={false} dataSource={m.records} locale={{ emptyText: t.none }}
        columns={[
          { title: t.date, dataIndex: 'receivedOn', className: 'nowrap' },
          { title: t.fields.category, render: (_, r) => t.incomeCategories[r.category] },
          { title: t.amount, align: 'right', render: (_, r) => <Yuan fen={r.amount.fen} /> },
          { title: t.method, render: (_, r) => t.methods[r.method] },
          { title: t.fields.payer, render: (_, r) => [r.payer, r.reference].filter(Boolean).join(t.listSep) },
          { title: t.fields.correctionReason, dataIndex: 'correctionReason' },
        ]} />
      <Typography.Title level={5} className="subsection">{t.directCosts}</Typography.Title>
      <DataTable rowKey="id" size="small" pagination={false} dataSource={m.costs} locale={{ emptyText: t.none }}
        columns={[
          { title: t.fields.category, render: (_, c) => t.incomeCategories[c.category] },
          { title: t.amount, align: 'right', render: (_, c) => <Yuan fen={c.amount.fen} /> },
          { title: t.fields.description, dataIndex: 'description' },
          { title: t.fields.evidence, dataIndex: 'evidence' },
        ]} />
    </>
  );
}

/** The owners' resolution allowing business use of common parts, and the split rules it adopted. */
function Terms({ data, onRecord, onChanged }: { data?: CommonIncomeMonthQuery; onRecord?: (d: Drawer) => void; onChanged: () => void }) {
  const t = useT();
  const resolutions = data?.businessUseResolutions ?? [];
  const doc = (id: string) => resolutions.find((r) => r.id === id)?.documentNo ?? '';
  return (
    <Card className="section" title={t.ownersTerms}
      extra={onRecord && (
        <Space wrap>
          <Button onClick={() => onRecord('resolution')}>{t.recordResolution}</Button>
          <Button onClick={() => onRecord('rule')} disabled={!resolutions.length}>{t.newSplitRule}</Button>
        </Space>
      )}>
      {data && !resolutions.length && <Alert type="warning" showIcon title={t.noResolution} style={{ marginBottom: 12 }} />}
      <DataTable rowKey="id" size="small" pagination={false} dataSource={resolutions} locale={{ emptyText: t.none }}
        columns={[
          { title: t.fields.documentNo, dataIndex: 'documentNo' },
          { title: t.fields.decidedOn, dataIndex: 'decidedOn', className: 'nowrap' },
          { title: t.fields.note, dataIndex: 'note' },
          { title: t.scan, render: (_, r) => <ResolutionScan resolution={r} canAttach={Boolean(onRecord)} onAttached={onChanged} /> },
        ]} />
      <Typography.Title level={5} className="subsection">{t.splitRules}</Typography.Title>
      <Typography.Paragraph type="secondary">{t.splitRuleDefault}</Typography.Paragraph>
      <DataTable rowKey="id" size="small" pagination={false} dataSource={data?.incomeSplitRules ?? []} locale={{ emptyText: t.none }}
        columns={[
          { title: t.fields.category, render: (_, r) => t.incomeCategories[r.category] },
          { title: t.fields.effectiveFrom, dataIndex: 'effectiveFrom' },
          { title: t.ownersShare, align: 'right', render: (_, r) => percent(r.ownersBp) },
          { title: t.firmShare, align: 'right', render: (_, r) => percent(r.firmBp) },
          { title: t.fields.documentNo, render: (_, r) => doc(r.resolutionId) },
        ]} />
    </Card>
  );
}
