// The dispatcher's board: every open work order in a column by state, oldest first, with its
// deadline and overdue ones marked; a new report from the office or on patrol. The board
// follows every change live (anyone's move, on any server).
import { Badge, Button, Card, Empty, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { WorkOrderBoardQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { ReportForm } from '../../forms/ReportForm';
import { PageTitle, QueryError } from '../../ui';
import { COLUMNS, OPEN, PRIORITY_COLOUR } from './orderFields';
import { when } from '../../../app/workOrders';

const boardDocument = graphql(`
  query WorkOrderBoard($compoundId: ID, $states: [WorkOrderState!]!) {
    workOrders(compoundId: $compoundId, states: $states, first: 100) {
      edges { node { id number compoundName location trade priority state overdue resolveBy awaitsConfirmation contractor { name } } }
      pageInfo { hasNextPage }
    }
    compounds(first: 100) { edges { node { id name } } }
  }
`);

type Order = WorkOrderBoardQuery['workOrders']['edges'][number]['node'];

export default function Board() {
  const t = useT();
  const [compoundId, setCompoundId] = useState<string>();
  const [reporting, setReporting] = useState(false);
  const [{ data, error }] = useQuery({ query: boardDocument, variables: { compoundId: compoundId ?? null, states: OPEN } });
  const orders = data?.workOrders.edges.map((e) => e.node) ?? [];
  const compounds = data?.compounds.edges.map((e) => e.node) ?? [];
  return (
    <>
      <PageTitle title={t.wo.board} extra={
        <Space wrap>
          <Select allowClear placeholder={t.wo.allCompounds} style={{ minWidth: 180 }} value={compoundId} onChange={setCompoundId}
            aria-label={t.fields.compoundId} options={compounds.map((c) => ({ value: c.id, label: c.name }))} />
          <Button type="primary" onClick={() => setReporting(true)}>{t.wo.report}</Button>
        </Space>
      } />
      <QueryError error={error} />
      <div className="board">
        {COLUMNS.map((states) => {
          const here = orders.filter((o) => states.includes(o.state));
          return (
            <section key={states[0]} className="board-column" aria-label={t.wo.states[states[0]]}>
              <Typography.Title level={4}>{t.wo.states[states[0]]} <Badge count={here.length} showZero color="#595959" /></Typography.Title>
              {here.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.none} />}
              {here.map((o) => <OrderCard key={o.id} order={o} />)}
            </section>
          );
        })}
      </div>
      <ReportForm open={reporting} onClose={() => setReporting(false)} compounds={compounds} />
    </>
  );
}

function OrderCard({ order: o }: { order: Order }) {
  const t = useT();
  return (
    <Link to={`/orders/${o.id}`} className="board-card-link">
      <Card size="small" className={o.overdue ? 'board-card overdue' : 'board-card'}>
        <Space direction="vertical" size={2} style={{ width: '100%' }}>
          <Space wrap size={4}>
            <Typography.Text strong>No.{o.number}</Typography.Text>
            <Tag color={PRIORITY_COLOUR[o.priority]}>{t.wo.priorities[o.priority]}</Tag>
            <Tag>{t.wo.trades[o.trade]}</Tag>
            {o.overdue && <Tag color="red">{t.wo.overdue}</Tag>}
          </Space>
          <Typography.Text>{o.compoundName} · {o.location}</Typography.Text>
          {o.contractor && <Typography.Text type="secondary">{t.wo.contractor}{t.colon}{o.contractor.name}</Typography.Text>}
          {o.awaitsConfirmation && <Typography.Text className="warn">{t.wo.awaitsConfirmation}</Typography.Text>}
          <Typography.Text type="secondary">{t.wo.resolveBy}{t.colon}{when(o.resolveBy)}</Typography.Text>
        </Space>
      </Card>
    </Link>
  );
}
