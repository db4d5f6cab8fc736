// A compound's repairs: its open work orders, and its dispatch rules — how long a contractor
// has to answer and to resolve an order of each urgency, and above what a household must agree
// to pay. Its dispatchers change the rules.
import { Button, Card, Descriptions, Form, Input, InputNumber, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { CompoundRepairsQuery, DispatchRulesInput, WorkOrderPriority } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { FormDrawer } from '../../FormDrawer';
import { YUAN } from '../../forms/FeeScheduleForm';
import { DataTable, QueryError, Yuan } from '../../ui';
import { useSubmit } from '../../useSubmit';
import { OPEN, PRIORITY_COLOUR } from '../orders/orderFields';
import { when } from '../../../app/workOrders';

const repairsDocument = graphql(`
  query CompoundRepairs($id: ID!, $states: [WorkOrderState!]!) {
    dispatchRules(compoundId: $id) {
      emergencyRespond emergencyResolve urgentRespond urgentResolve normalRespond normalResolve confirmAbove { fen yuan }
    }
    workOrders(compoundId: $id, states: $states, first: 100) {
      edges { node { id number location trade priority state overdue resolveBy contractor { name } } }
    }
  }
`);
const setRulesDocument = graphql(`
  mutation SetDispatchRules($id: ID!, $input: DispatchRulesInput!) { setDispatchRules(compoundId: $id, input: $input) { normalResolve } }
`);

type Rules = CompoundRepairsQuery['dispatchRules'];
type Order = CompoundRepairsQuery['workOrders']['edges'][number]['node'];
const PRIORITIES: Lowercase<WorkOrderPriority>[] = ['emergency', 'urgent', 'normal'];

/** Minutes as people say them: 30 分钟, 4 小时, 3 天. */
function span(minutes: number, t: ReturnType<typeof useT>) {
  if (minutes % 1440 === 0) return t.fmt(t.wo.days, minutes / 1440);
  if (minutes % 60 === 0) return t.fmt(t.wo.hours, minutes / 60);
  return t.fmt(t.wo.minutes, minutes);
}

export function Repairs({ compound }: { compound: { id: string; name: string } }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }] = useQuery({ query: repairsDocument, variables: { id: compound.id, states: OPEN } });
  const [editing, setEditing] = useState(false);
  const r = data?.dispatchRules;
  return (
    <>
      <QueryError error={error} />
      {r && (
        <Card className="section" title={t.wo.rules} extra={me.can.dispatch && <Button onClick={() => setEditing(true)}>{t.edit}</Button>}>
          <Descriptions size="small" column={1}>
            {PRIORITIES.map((p) => (
              <Descriptions.Item key={p} label={t.wo.priorities[p.toUpperCase() as WorkOrderPriority]}>
                {t.wo.answerWithin} {span(r[`${p}Respond`], t)} · {t.wo.resolveWithin} {span(r[`${p}Resolve`], t)}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t.wo.confirmAbove}><Yuan fen={r.confirmAbove.fen} /></Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Card className="section" title={t.wo.openOrders}>
        <DataTable<Order> rowKey="id" size="small" pagination={false} dataSource={data?.workOrders.edges.map((e) => e.node) ?? []}
          locale={{ emptyText: t.none }}
          columns={[
            { title: t.wo.number, render: (_, o) => <Link to={`/orders/${o.id}`}>No.{o.number}</Link> },
            { title: t.wo.location, dataIndex: 'location' },
            { title: t.wo.trade, render: (_, o) => t.wo.trades[o.trade] },
            { title: t.wo.priority, render: (_, o) => <Tag color={PRIORITY_COLOUR[o.priority]}>{t.wo.priorities[o.priority]}</Tag> },
            { title: t.status, render: (_, o) => t.wo.states[o.state] },
            { title: t.wo.contractor, render: (_, o) => o.contractor?.name ?? '—' },
            { title: t.wo.resolveBy, className: 'nowrap', render: (_, o) => <>{when(o.resolveBy)} {o.overdue && <Tag color="red">{t.wo.overdue}</Tag>}</> },
          ]} />
      </Card>
      {r && <RulesForm open={editing} onClose={() => setEditing(false)} compoundId={compound.id} rules={r} />}
    </>
  );
}

type Values = Omit<DispatchRulesInput, 'confirmAbove'> & { confirmAbove: string };

function RulesForm({ open, onClose, compoundId, rules }: { open: boolean; onClose: () => void; compoundId: string; rules: Rules }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const set = useSubmit(setRulesDocument, form);
  const onFinish = async (v: Values) => Boolean(await set.submit({ id: compoundId, input: { ...v, confirmAbove: v.confirmAbove.trim() } }));
  const { confirmAbove, ...minutes } = rules;
  const minuteRule = [{ required: true, type: 'integer' as const, min: 5, max: 43_200, message: t.fieldHints.minutes }];
  return (
    <FormDrawer title={t.wo.rules} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={set.fetching} error={set.error}
      initialValues={{ ...minutes, confirmAbove: confirmAbove.yuan }}>
      {PRIORITIES.map((p) => (
        <div key={p}>
          <Form.Item name={`${p}Respond`} label={`${t.wo.priorities[p.toUpperCase() as WorkOrderPriority]} · ${t.wo.answerWithin}（${t.wo.minutesUnit}）`} rules={minuteRule}>
            <InputNumber precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name={`${p}Resolve`} label={`${t.wo.priorities[p.toUpperCase() as WorkOrderPriority]} · ${t.wo.resolveWithin}（${t.wo.minutesUnit}）`} rules={minuteRule}>
            <InputNumber precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
      ))}
      <Form.Item name="confirmAbove" label={t.wo.confirmAbove} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" />
      </Form.Item>
    </FormDrawer>
  );
}
