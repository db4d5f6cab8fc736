// Correcting a household: a new area with its source, or the date it stops being billed.
import { DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import type { AreaSource } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { AREA } from './HouseholdForm';

const updateHousehold = graphql(`
  mutation UpdateHousehold($id: ID!, $input: HouseholdUpdateInput!) {
    updateHousehold(id: $id, input: $input) { id area areaSource activeTo }
  }
`);

type Values = { area: string; areaSource: AreaSource; activeTo?: Dayjs | null };
type Props = { open: boolean; onClose: () => void; household: { id: string; area: string; areaSource: AreaSource; activeTo?: string | null } };

export function HouseholdEditForm({ open, onClose, household: h }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const update = useSubmit(updateHousehold, form);
  const onFinish = async (v: Values) =>
    Boolean(await update.submit({
      id: h.id,
      input: { area: v.area.trim(), areaSource: v.areaSource, activeTo: v.activeTo ? v.activeTo.format('YYYY-MM-DD') : null },
    }));
  return (
    <FormDrawer title={t.editHousehold} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={update.fetching}
      error={update.error} initialValues={{ area: h.area, areaSource: h.areaSource, activeTo: h.activeTo ? dayjs(h.activeTo) : null }}>
      <Form.Item name="area" label={t.area} rules={[{ required: true, pattern: AREA, message: t.fieldHints.area }]}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="areaSource" label={t.areaSource} rules={[{ required: true, message: t.required }]}>
        <Select options={Object.entries(t.areaSources).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="activeTo" label={t.fields.activeTo} extra={t.activeToHint}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDrawer>
  );
}
