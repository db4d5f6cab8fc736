// Reporting from the office or on patrol: a common area of a compound, or a household (a
// resident who phoned in), with the trade, the urgency and what is wrong.
import { Form, Input, Select } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { Trade, WorkOrderLocation, WorkOrderPriority } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { TRADES } from './ContractorForm';

export const reportDocument = graphql(`
  mutation ReportWorkOrder($input: ReportWorkOrderInput!) { reportWorkOrder(input: $input) { id number } }
`);
const roomsDocument = graphql(`
  query ReportRooms($compoundId: ID!, $room: String) {
    households(compoundId: $compoundId, room: $room, first: 20) { edges { node { id unit room building { label } } } }
  }
`);

export const LOCATIONS: WorkOrderLocation[] = ['HOUSEHOLD', 'BUILDING', 'STAIRWELL', 'ROAD', 'LAMP', 'GREENERY', 'OTHER'];
const PRIORITIES: WorkOrderPriority[] = ['EMERGENCY', 'URGENT', 'NORMAL'];

/** The trade an order needs and how urgent it is: reported, then judged again at filing. */
export function TradeAndPriority() {
  const t = useT();
  return (
    <>
      <Form.Item name="trade" label={t.wo.trade} rules={[{ required: true, message: t.required }]}>
        <Select options={TRADES.map((tr) => ({ value: tr, label: t.wo.trades[tr] }))} />
      </Form.Item>
      <Form.Item name="priority" label={t.wo.priority} rules={[{ required: true, message: t.required }]}>
        <Select options={PRIORITIES.map((p) => ({ value: p, label: t.wo.priorities[p] }))} />
      </Form.Item>
    </>
  );
}

type Values = {
  compoundId: string; locationKind: WorkOrderLocation; householdId?: string; location?: string;
  trade: Trade; priority: WorkOrderPriority; description: string;
};

export function ReportForm({ open, onClose, compounds }: { open: boolean; onClose: () => void; compounds: { id: string; name: string }[] }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const report = useSubmit(reportDocument, form);
  const compoundId = Form.useWatch('compoundId', form);
  const kind = Form.useWatch('locationKind', form);
  const [room, setRoom] = useState('');
  const [{ data: rooms }] = useQuery({
    query: roomsDocument, variables: { compoundId: compoundId ?? '', room: room || null }, pause: !compoundId || kind !== 'HOUSEHOLD',
  });
  const onFinish = async (v: Values) => {
    const home = v.locationKind === 'HOUSEHOLD';
    return Boolean(await report.submit({ input: {
      compoundId: v.compoundId, householdId: home ? v.householdId : null, locationKind: v.locationKind,
      location: home ? null : v.location?.trim(), trade: v.trade, priority: v.priority, description: v.description.trim(),
    } }));
  };
  return (
    <FormDrawer title={t.wo.reportTitle} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={report.fetching}
      error={report.error} initialValues={{ locationKind: 'STAIRWELL', priority: 'NORMAL', trade: 'GENERAL_REPAIR' }}>
      <Form.Item name="compoundId" label={t.fields.compoundId} rules={[{ required: true, message: t.required }]}>
        <Select showSearch optionFilterProp="label" options={compounds.map((c) => ({ value: c.id, label: c.name }))} />
      </Form.Item>
      <Form.Item name="locationKind" label={t.wo.location} rules={[{ required: true, message: t.required }]}>
        <Select options={LOCATIONS.map((l) => ({ value: l, label: t.wo.locations[l] }))} />
      </Form.Item>
      {kind === 'HOUSEHOLD' ? (
        <Form.Item name="householdId" label={t.fields.householdId} rules={[{ required: true, message: t.required }]}>
          <Select showSearch filterOption={false} onSearch={setRoom} disabled={!compoundId} placeholder={t.fields.room}
            options={(rooms?.households.edges ?? []).map(({ node: h }) => ({ value: h.id, label: [h.building?.label, h.unit, h.room].filter(Boolean).join(' ') }))} />
        </Form.Item>
      ) : (
        <Form.Item name="location" label={t.wo.where} extra={t.wo.whereHint} rules={[{ required: true, whitespace: true, message: t.required }]}>
          <Input maxLength={200} />
        </Form.Item>
      )}
      <TradeAndPriority />
      <Form.Item name="description" label={t.wo.description} extra={t.wo.descriptionHint} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormDrawer>
  );
}
