// A new version of a category's split rule, from an open month, under a recorded resolution:
// the owners' and the firm's shares in percent (to 0.01 %), which must make 100 %.
import { Form, Input, InputNumber, Select } from 'antd';
import { graphql } from '../../gql';
import type { IncomeCategory } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { CATEGORIES } from './CommonIncomeForm';
import { PERIOD } from './FeeScheduleForm';

const setRule = graphql(`
  mutation SetIncomeSplitRule($input: IncomeSplitRuleInput!) { setIncomeSplitRule(input: $input) { id } }
`);

type Values = { category: IncomeCategory; effectiveFrom: string; ownersPercent: number; resolutionId: string };
type Props = {
  open: boolean; onClose: () => void; compoundId: string; period: string;
  resolutions: { id: string; documentNo: string; decidedOn: string }[];
};

export function SplitRuleForm({ open, onClose, compoundId, period, resolutions }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const save = useSubmit(setRule, form);
  const ownersPercent = Form.useWatch('ownersPercent', form) ?? 70;
  const onFinish = async (v: Values) => {
    const ownersBp = Math.round(v.ownersPercent * 100);
    return Boolean(await save.submit({
      input: { compoundId, category: v.category, effectiveFrom: v.effectiveFrom.trim(), ownersBp, firmBp: 10000 - ownersBp, resolutionId: v.resolutionId },
    }));
  };
  return (
    <FormDrawer title={t.newSplitRule} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={save.fetching}
      error={save.error} initialValues={{ category: 'ADVERTISING', effectiveFrom: period, ownersPercent: 70, resolutionId: resolutions[0]?.id }}>
      <Form.Item name="category" label={t.fields.category} rules={[{ required: true, message: t.required }]}>
        <Select options={CATEGORIES.map((c) => ({ value: c, label: t.incomeCategories[c] }))} />
      </Form.Item>
      <Form.Item name="effectiveFrom" label={t.fields.effectiveFrom} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2027-01" />
      </Form.Item>
      <Form.Item name="ownersPercent" label={t.fields.ownersBp} extra={t.fmt(t.firmShareIs, (100 - ownersPercent).toFixed(2))}
        rules={[{ required: true, type: 'number', min: 0, max: 100, message: t.fieldHints.ownersBp }]}>
        <InputNumber min={0} max={100} precision={2} addonAfter="%" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="resolutionId" label={t.fields.resolutionId} rules={[{ required: true, message: t.fieldHints.resolutionId }]}>
        <Select options={resolutions.map((r) => ({ value: r.id, label: t.withNote(r.documentNo, r.decidedOn) }))} />
      </Form.Item>
    </FormDrawer>
  );
}
