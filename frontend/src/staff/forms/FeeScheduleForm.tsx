// A new fee schedule version: from a month on, the items billed and their rates — for this
// compound only, or as its bundle's default.
import { Button, Form, Input, Radio, Select, Space } from 'antd';
import { graphql } from '../../gql';
import type { FeeItemInput } from '../../gql/graphql';
import { useT } from '../../i18n';
import { thisMonth } from '../../money';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const setFeeSchedule = graphql(`
  mutation SetFeeSchedule($input: FeeScheduleInput!) { setFeeSchedule(input: $input) { id } }
`);

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const YUAN = /^\d{1,9}(\.\d{1,2})?$/;
const KINDS = ['GARBAGE_REMOVAL', 'SECURITY_PATROL', 'UTILITIES_REPAIR', 'PARKING_MANAGEMENT', 'GREENERY_CARE'] as const;

type Values = { target: 'compound' | 'bundle'; effectiveFrom: string; note: string; items: FeeItemInput[] };
type Props = { open: boolean; onClose: () => void; compoundId: string; bundleId?: string };

export function FeeScheduleForm({ open, onClose, compoundId, bundleId }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const set = useSubmit(setFeeSchedule, form);
  const onFinish = async ({ target, ...v }: Values) =>
    Boolean(await set.submit({
      input: { ...v, compoundId: target === 'compound' ? compoundId : null, bundleId: target === 'bundle' ? bundleId : null },
    }));
  const initial: Values = { target: 'compound', effectiveFrom: thisMonth(), note: '', items: [{ kind: 'GARBAGE_REMOVAL', pricing: 'PER_HOUSEHOLD', rate: '' }] };
  return (
    <FormDrawer title={t.newFeeSchedule} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={set.fetching}
      error={set.error} initialValues={initial}>
      <Form.Item name="target" label={t.appliesTo}>
        <Radio.Group options={[{ value: 'compound', label: t.compoundOwn }, ...(bundleId ? [{ value: 'bundle', label: t.bundleDefault }] : [])]} />
      </Form.Item>
      <Form.Item name="effectiveFrom" label={t.fields.effectiveFrom} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2026-12" />
      </Form.Item>
      <Form.Item name="note" label={t.fields.note}><Input.TextArea maxLength={500} autoSize /></Form.Item>
      <Form.List name="items" rules={[{ validator: async (_, items) => { if (!items?.length) throw new Error(t.required); } }]}>
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap>
                <Form.Item name={[f.name, 'kind']} rules={[{ required: true, message: t.required }]}>
                  <Select style={{ width: 140 }} options={KINDS.map((k) => ({ value: k, label: t.feeKinds[k] }))} aria-label={t.feeItem} />
                </Form.Item>
                <Form.Item name={[f.name, 'pricing']} rules={[{ required: true, message: t.required }]}>
                  <Select style={{ width: 140 }} aria-label={t.pricing}
                    options={[{ value: 'PER_HOUSEHOLD', label: t.perHousehold }, { value: 'PER_SQUARE_METRE', label: t.perSquareMetre }]} />
                </Form.Item>
                <Form.Item name={[f.name, 'rate']} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
                  <Input inputMode="decimal" placeholder={t.amountYuan} aria-label={t.rateLabel} style={{ width: 120 }} />
                </Form.Item>
                <Button type="link" danger onClick={() => remove(f.name)}>{t.remove}</Button>
              </Space>
            ))}
            <Form.ErrorList errors={errors} />
            <Button onClick={() => add({ kind: 'SECURITY_PATROL', pricing: 'PER_HOUSEHOLD', rate: '' })}>{t.addItem}</Button>
          </>
        )}
      </Form.List>
    </FormDrawer>
  );
}
