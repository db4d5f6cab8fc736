// Signing an advertising contract: the advertiser, its placements in one or several
// compounds, the term, the price and how each payment is shared among the compounds.
import { Button, Form, Input, InputNumber, Select, Space } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AdAllocationKey, AdPlacementKind, AdPricing } from '../../gql/graphql';
import { useT } from '../../i18n';
import { thisMonth } from '../../money';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { PERIOD, YUAN } from './FeeScheduleForm';

const signContract = graphql(`
  mutation SignAdvertisingContract($input: AdvertisingContractInput!) { signAdvertisingContract(input: $input) { id } }
`);

const compoundSearch = graphql(`
  query AdCompoundSearch($search: String) { compounds(search: $search, first: 20) { edges { node { id name } } } }
`);

const KINDS: AdPlacementKind[] = ['LIFT_PANEL', 'OUTDOOR_BOARD', 'LAMP_POLE_LIGHT_BOX', 'GARAGE_DOOR', 'OTHER'];
const PRICINGS: AdPricing[] = ['MONTHLY', 'LUMP_SUM'];
const KEYS: AdAllocationKey[] = ['PLACEMENTS', 'HOUSEHOLDS'];

type PlacementValues = { compoundId: string; kind: AdPlacementKind; location?: string; quantity: number };
type Values = {
  number: string; advertiser: string; contact?: string; licenceNo?: string; placements: PlacementValues[];
  from: string; to: string; pricing: AdPricing; price: string; dueDay: number; allocationKey: AdAllocationKey;
};

/** A compound chosen by typing part of its name; `current` is offered before any typing. */
function CompoundPicker({ current, value, onChange }: { current: { id: string; name: string }; value?: string; onChange?: (v: string) => void }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [{ data }] = useQuery({ query: compoundSearch, variables: { search: search || null } });
  const found = data?.compounds.edges.map((e) => e.node) ?? [];
  const options = [current, ...found.filter((c) => c.id !== current.id)].map((c) => ({ value: c.id, label: c.name }));
  return (
    <Select showSearch={{ filterOption: false, onSearch: setSearch }} value={value} onChange={onChange}
      options={options} aria-label={t.fields.compoundId} style={{ minWidth: 160 }} />
  );
}

type Props = { open: boolean; onClose: () => void; compound: { id: string; name: string } };

export function AdContractForm({ open, onClose, compound }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const sign = useSubmit(signContract, form);
  const onFinish = async (v: Values) => {
    const input = {
      number: v.number.trim(), advertiser: v.advertiser.trim(), contact: v.contact?.trim() || null,
      licenceNo: v.licenceNo?.trim() || null, from: v.from.trim(), to: v.to.trim(), pricing: v.pricing,
      price: v.price.trim(), dueDay: v.dueDay, allocationKey: v.allocationKey,
      placements: v.placements.map((p) => ({ compoundId: p.compoundId, kind: p.kind, location: p.location?.trim() || null, quantity: p.quantity })),
    };
    return Boolean(await sign.submit({ input }));
  };
  const initialValues: Partial<Values> = {
    from: thisMonth(), to: thisMonth(), pricing: 'MONTHLY', dueDay: 5, allocationKey: 'PLACEMENTS',
    placements: [{ compoundId: compound.id, kind: 'LIFT_PANEL', quantity: 1 }],
  };
  return (
    <FormDrawer title={t.signContract} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={sign.fetching} error={sign.error} initialValues={initialValues}>
      <Form.Item name="number" label={t.fields.number} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={50} placeholder="GG-2026-001" />
      </Form.Item>
      <Form.Item name="advertiser" label={t.fields.advertiser} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="contact" label={t.fields.contact}><Input maxLength={100} /></Form.Item>
      <Form.Item name="licenceNo" label={t.fields.licenceNo}
        rules={[{ pattern: /^([0-9A-Za-z]{18}|\d{15})$/, message: t.fieldHints.licenceNo }]}>
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item label={t.fields.placements} required>
        <Form.List name="placements">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="start" className="placement-row">
                  <Form.Item name={[f.name, 'compoundId']} rules={[{ required: true, message: t.required }]}>
                    <CompoundPicker current={compound} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'kind']} rules={[{ required: true, message: t.required }]}>
                    <Select aria-label={t.fields.kind} style={{ minWidth: 120 }}
                      options={KINDS.map((k) => ({ value: k, label: t.adPlacementKinds[k] }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'location']}><Input aria-label={t.fields.location} placeholder={t.fields.location} maxLength={100} /></Form.Item>
                  <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, type: 'integer', min: 1, max: 1000, message: t.fieldHints.quantity }]}>
                    <InputNumber aria-label={t.fields.quantity} min={1} max={1000} style={{ width: 80 }} />
                  </Form.Item>
                  {fields.length > 1 && <Button type="link" danger onClick={() => remove(f.name)}>{t.remove}</Button>}
                </Space>
              ))}
              <Button onClick={() => add({ compoundId: compound.id, kind: 'LIFT_PANEL', quantity: 1 })}>{t.addPlacement}</Button>
            </>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="from" label={t.fields.from} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2026-12" />
      </Form.Item>
      <Form.Item name="to" label={t.fields.to} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2027-11" />
      </Form.Item>
      <Form.Item name="pricing" label={t.fields.pricing} rules={[{ required: true, message: t.required }]}>
        <Select options={PRICINGS.map((p) => ({ value: p, label: t.adPricings[p] }))} />
      </Form.Item>
      <Form.Item name="price" label={t.fields.price} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" placeholder="1000.00" />
      </Form.Item>
      <Form.Item name="dueDay" label={t.fields.dueDay} rules={[{ required: true, type: 'integer', min: 1, max: 28, message: t.fieldHints.dueDay }]}>
        <InputNumber min={1} max={28} />
      </Form.Item>
      <Form.Item name="allocationKey" label={t.fields.allocationKey} rules={[{ required: true, message: t.required }]}>
        <Select options={KEYS.map((k) => ({ value: k, label: t.allocationKeys[k] }))} />
      </Form.Item>
    </FormDrawer>
  );
}
