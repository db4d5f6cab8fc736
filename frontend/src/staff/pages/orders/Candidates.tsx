// The ranking for one order: every contractor in order, with the facts behind each place and
// why the ineligible may not take it; dispatch to the first, or pass over the ranking (never
// to one without the trade, the area or a contract, or who declined).
import { Button, Card, Space, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { Ineligibility, WorkOrderDetailQuery, WorkOrderCandidatesQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { DataTable } from '../../ui';
import { useAction } from '../../useSubmit';
import { dispatchDocument } from '../../../app/workOrders';

const candidatesDocument = graphql(`
  query WorkOrderCandidates($id: ID!) {
    dispatchCandidates(orderId: $id) {
      contractor { id name phone } place ineligible onTimePermille ratingCenti openJobs capacity onCallNow
    }
  }
`);

type Candidate = WorkOrderCandidatesQuery['dispatchCandidates'][number];
const HARD: Ineligibility[] = ['TRADE', 'AREA', 'CONTRACT', 'DECLINED'];

export function Candidates({ order }: { order: WorkOrderDetailQuery['workOrder']['order'] }) {
  const t = useT();
  const [{ data, error }] = useQuery({ query: candidatesDocument, variables: { id: order.id } });
  const send = useAction(dispatchDocument);
  const ranked = data?.dispatchCandidates ?? [];
  const first = ranked.find((c) => c.place === 1);
  const blocked = order.awaitsConfirmation;
  return (
    <Card title={t.wo.candidates} extra={
      <Button type="primary" disabled={!first || blocked} loading={send.fetching}
        onClick={() => void send.run({ id: order.id, contractorId: null })}>{t.wo.autoDispatch}</Button>
    }>
      {blocked && <Typography.Paragraph className="warn">{t.wo.awaitsConfirmation}</Typography.Paragraph>}
      {error && <Typography.Paragraph type="danger">{t.errors.INTERNAL}</Typography.Paragraph>}
      <Typography.Paragraph type="secondary">{t.wo.newcomer}</Typography.Paragraph>
      <DataTable<Candidate> rowKey={(c) => c.contractor.id} size="small" pagination={false} dataSource={ranked} locale={{ emptyText: t.wo.noCandidates }}
        columns={[
          { title: t.wo.place, render: (_, c) => c.place ?? '—' },
          { title: t.wo.contractor, render: (_, c) => c.contractor.name },
          { title: t.wo.onTime, align: 'right', render: (_, c) => `${(c.onTimePermille / 10).toFixed(1)}%` },
          { title: t.wo.rating, align: 'right', render: (_, c) => `${(c.ratingCenti / 100).toFixed(2)} ★` },
          { title: t.wo.openJobs, align: 'right', render: (_, c) => `${c.openJobs} / ${c.capacity}` },
          { title: t.wo.onCallNow, render: (_, c) => (c.onCallNow ? '✓' : '—') },
          { title: t.wo.ineligibleWhy, render: (_, c) => (
            <Space size={2} wrap>{c.ineligible.map((i) => <Tag key={i} color={HARD.includes(i) ? 'red' : 'default'}>{t.wo.ineligible[i]}</Tag>)}</Space>
          ) },
          { title: '', key: 'send', render: (_, c) => {
            const hard = c.ineligible.some((i) => HARD.includes(i));
            const current = order.contractor?.id === c.contractor.id;
            if (hard || current || blocked) return null;
            return (
              <Button type="link" onClick={() => void send.run({ id: order.id, contractorId: c.contractor.id })}>
                {c.place === 1 ? t.wo.chooseContractor : t.wo.override}
              </Button>
            );
          } },
        ]} />
    </Card>
  );
}
