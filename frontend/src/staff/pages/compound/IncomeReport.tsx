// The common-income report of a compound over a span of closed months — each category's
// gross, costs, shortfall carried, owners' and firm's shares, and the committee fund — with
// the same figures as an Excel workbook. The accountant and the committee read the same.
import { Button, Card, DatePicker, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { saveAs } from '../../../app/files';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { monthsBack, thisMonth } from '../../../money';
import { DataTable, QueryError, Yuan } from '../../ui';

const reportDocument = graphql(`
  query CommonIncomeReport($compoundId: ID, $bundleId: ID, $from: String!, $to: String!, $xlsx: Boolean!) {
    commonIncomeReport(compoundId: $compoundId, bundleId: $bundleId, from: $from, to: $to) {
      rows { compound period category gross { fen } deducted { fen } carriedOut { fen } owners { fen } firm { fen } }
      funds { compound opening { fen } shares { fen } payouts { fen } closing { fen } }
      xlsxBase64 @include(if: $xlsx)
    }
  }
`);

const XLSX = 'data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,';

/** A compound's report on its Income tab, or (with `bundleId`) a bundle's. */
export function IncomeReport({ compoundId, bundleId }: { compoundId?: string; bundleId?: string }) {
  const t = useT();
  const last = monthsBack(thisMonth(), 1);
  const [span, setSpan] = useState<[string, string]>([`${last.slice(0, 4)}-01`, last]);
  const [xlsx, setXlsx] = useState(false);
  const vars = { compoundId: compoundId ?? null, bundleId: bundleId ?? null, from: span[0], to: span[1] };
  const [{ data, error, fetching }] = useQuery({ query: reportDocument, variables: { ...vars, xlsx } });
  const file = data?.commonIncomeReport.xlsxBase64;
  // Once the workbook has arrived, hand it over and stop asking for it.
  useEffect(() => {
    if (!xlsx || !file) return;
    saveAs(`common-income-${span[0]}-${span[1]}.xlsx`, XLSX + file);
    setXlsx(false);
  }, [xlsx, file, span]);
  const r = data?.commonIncomeReport;
  const pick = (v: [Dayjs | null, Dayjs | null] | null) => {
    if (v?.[0] && v[1]) setSpan([v[0].format('YYYY-MM'), v[1].format('YYYY-MM')]);
  };
  return (
    <Card className="section" title={t.incomeReport}
      extra={
        <Space wrap>
          <DatePicker.RangePicker picker="month" allowClear={false} value={[dayjs(`${span[0]}-01`), dayjs(`${span[1]}-01`)]}
            onChange={pick} aria-label={t.month} />
          <Button onClick={() => setXlsx(true)} loading={xlsx && fetching}>{t.download} XLSX</Button>
        </Space>
      }>
      <QueryError error={error} />
      {r && (
        <>
          <DataTable rowKey={(x) => `${x.compound}-${x.period}-${x.category}`} size="small" dataSource={r.rows}
            pagination={{ pageSize: 24, hideOnSinglePage: true }} locale={{ emptyText: t.noIncome }}
            columns={[
              ...(bundleId ? [{ title: t.compound, dataIndex: 'compound' }] : []),
              { title: t.month, dataIndex: 'period', className: 'nowrap' },
              { title: t.fields.category, render: (_, x) => t.incomeCategories[x.category] },
              { title: t.gross, align: 'right', render: (_, x) => <Yuan fen={x.gross.fen} /> },
              { title: t.costsDeducted, align: 'right', render: (_, x) => <Yuan fen={x.deducted.fen} /> },
              { title: t.carriedForward, align: 'right', render: (_, x) => <Yuan fen={x.carriedOut.fen} /> },
              { title: t.ownersShare, align: 'right', render: (_, x) => <Yuan fen={x.owners.fen} /> },
              { title: t.firmShare, align: 'right', render: (_, x) => <Yuan fen={x.firm.fen} /> },
            ]} />
          <DataTable rowKey="compound" size="small" dataSource={r.funds} pagination={false} className="subsection"
            columns={[
              ...(bundleId ? [{ title: t.compound, dataIndex: 'compound' }] : []),
              { title: t.fundOpening, align: 'right', render: (_, f) => <Yuan fen={f.opening.fen} /> },
              { title: t.board.sharesReceived, align: 'right', render: (_, f) => <Yuan fen={f.shares.fen} /> },
              { title: t.board.payouts, align: 'right', render: (_, f) => <Yuan fen={f.payouts.fen} /> },
              { title: t.board.balance, align: 'right', render: (_, f) => <Yuan fen={f.closing.fen} /> },
            ]} />
        </>
      )}
    </Card>
  );
}
