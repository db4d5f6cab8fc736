// Adding a household: where it is, its exclusive area and where that figure comes from, and
// from when it is billed.
import { DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import type { AreaSource } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const createHousehold = graphql(`
  mutation CreateHousehold($input: HouseholdInput!) { createHousehold(input: $input) { id } }
`);

/** At most two decimals, above zero: the API's own rule, checked before sending. */
export const AREA = /^\d{1,6}(\.\d{1,2})?$/;

type Values = { buildingId: string; unit?: string; room: string; area: string; areaSource: AreaSource; activeFrom: Dayjs };
type Props = { open: boolean; onClose: () => void; compoundId: string; buildings: { id: string; label: string }[] };

export function HouseholdForm({ open, onClose, compoundId, buildings }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const create = useSubmit(createHousehold, form);
  const onFinish = async (v: Values) =>
    Boolean(await create.submit({
      input: { compoundId, buildingId: v.buildingId, unit: v.unit?.trim() || null, room: v.room.trim(), area: v.area.trim(),
        areaSource: v.areaSource, activeFrom: v.activeFrom.format('YYYY-MM-DD') },
    }));
  const required = { required: true, whitespace: true, message: t.required };
  return (
    <FormDrawer title={t.newHousehold} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={create.fetching}
      error={create.error} initialValues={{ areaSource: 'PROPERTY_REGISTER', activeFrom: dayjs().startOf('month') }}>
      <Form.Item name="buildingId" label={t.building} rules={[{ required: true, message: t.required }]}>
        <Select options={buildings.map((b) => ({ value: b.id, label: b.label }))} notFoundContent={t.noBuildings} />
      </Form.Item>
      <Form.Item name="unit" label={t.unit}><Input maxLength={20} /></Form.Item>
      <Form.Item name="room" label={t.room} rules={[required]}><Input maxLength={20} /></Form.Item>
      <Form.Item name="area" label={t.area} rules={[required, { pattern: AREA, message: t.fieldHints.area }]}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="areaSource" label={t.areaSource} rules={[{ required: true, message: t.required }]}>
        <Select options={Object.entries(t.areaSources).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="activeFrom" label={t.activeFrom} rules={[{ required: true, message: t.required }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDrawer>
  );
}
