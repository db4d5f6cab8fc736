// A resident's repairs: report one (in their home or a common area of their compound) and
// follow what they reported, newest last.
import { Button, Form, Input, Selector, TextArea } from 'antd-mobile';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { describe, fromCombined, fieldProblem } from '../app/errors';
import { graphql } from '../gql';
import type { Trade, WorkOrderPriority } from '../gql/graphql';
import { useT } from '../i18n';

const myRepairsDocument = graphql(`
  query MyRepairs {
    workOrders(first: 50) { edges { node { id number location trade state overdue } } }
    households(first: 20) { edges { node { id room unit building { label } compound { id name } } } }
  }
`);
const reportRepairDocument = graphql(`
  mutation ReportRepair($input: ReportWorkOrderInput!) { reportWorkOrder(input: $input) { id number } }
`);

const TRADES: Trade[] = ['PLUMBING', 'ELECTRICAL', 'LOCKSMITH', 'GENERAL_REPAIR', 'CLEANING', 'GREENERY', 'WASTE_REMOVAL', 'SECURITY_PATROL'];
const PRIORITIES: WorkOrderPriority[] = ['NORMAL', 'URGENT', 'EMERGENCY'];

export default function RepairsPage() {
  const t = useT();
  const [{ data, error }] = useQuery({ query: myRepairsDocument });
  const [reporting, setReporting] = useState(false);
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  const orders = data.workOrders.edges.map((e) => e.node);
  const homes = data.households.edges.map((e) => e.node);
  return (
    <>
      <h1>{t.wo.myRepairs}</h1>
      {reporting ? <ReportRepair homes={homes} onDone={() => setReporting(false)} /> : (
        <Button block color="primary" size="large" onClick={() => setReporting(true)}>{t.wo.reportTitle}</Button>
      )}
      {orders.length === 0 && <p className="muted">{t.wo.noOrders}</p>}
      <ul className="order-list">
        {orders.map((o) => (
          <li key={o.id}>
            <Link to={`/repairs/${o.id}`} className="card order-link">
              <span className="big">{t.wo.number} {o.number} · {t.wo.states[o.state]}</span>
              <span>{t.wo.trades[o.trade]} · {o.location}</span>
              {o.overdue && <span className="owing">{t.wo.overdue}</span>}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

type Home = { id: string; room: string; unit: string; building?: { label: string } | null; compound?: { id: string; name: string } | null };
type Values = { where: string[]; location?: string; trade: Trade[]; priority: WorkOrderPriority[]; description: string };

function ReportRepair({ homes, onDone }: { homes: Home[]; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [state, report] = useMutation(reportRepairDocument);
  const [error, setError] = useState<string>();
  const where = Form.useWatch('where', form)?.[0];
  const home = homes[0];
  const common = where === 'common';
  const onFinish = async (v: Values) => {
    setError(undefined);
    const chosen = homes.find((h) => h.id === v.where[0]) ?? home;
    const input = common
      ? { compoundId: home?.compound?.id, locationKind: 'OTHER' as const, location: v.location?.trim(), trade: v.trade[0], priority: v.priority[0], description: v.description.trim() }
      : { householdId: chosen?.id, locationKind: 'HOUSEHOLD' as const, trade: v.trade[0], priority: v.priority[0], description: v.description.trim() };
    const res = await report({ input });
    if (!res.error) return onDone();
    const e = fromCombined(res.error);
    const field = e.field?.split('.').pop();
    if (field && ['description', 'location'].includes(field)) form.setFields([{ name: field, errors: [fieldProblem(e, t)] }]);
    else setError(describe(e, t));
  };
  const places = [
    ...homes.map((h) => ({ value: h.id, label: `${t.wo.atHome} ${[h.building?.label, h.unit, h.room].filter(Boolean).join(' ')}` })),
    { value: 'common', label: t.wo.commonArea },
  ];
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ where: [places[0].value], trade: ['PLUMBING'], priority: ['NORMAL'] }}
      footer={<Button block type="submit" color="primary" size="large" loading={state.fetching}>{t.wo.report}</Button>}>
      <Form.Header>{t.wo.reportTitle}</Form.Header>
      <Form.Item name="where" label={t.wo.location} rules={[{ required: true, message: t.required }]}>
        <Selector columns={1} options={places} />
      </Form.Item>
      {common && (
        <Form.Item name="location" label={t.wo.where} help={t.wo.whereHint} rules={[{ required: true, whitespace: true, message: t.required }]}>
          <Input maxLength={200} />
        </Form.Item>
      )}
      <Form.Item name="trade" label={t.wo.trade} rules={[{ required: true, message: t.required }]}>
        <Selector columns={2} options={TRADES.map((tr) => ({ value: tr, label: t.wo.trades[tr] }))} />
      </Form.Item>
      <Form.Item name="priority" label={t.wo.priority} rules={[{ required: true, message: t.required }]}>
        <Selector columns={3} options={PRIORITIES.map((p) => ({ value: p, label: t.wo.priorities[p] }))} />
      </Form.Item>
      <Form.Item name="description" label={t.wo.description} help={t.wo.descriptionHint} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <TextArea rows={3} maxLength={2000} />
      </Form.Item>
      {error && <p role="alert" className="error">{error}</p>}
    </Form>
  );
}
