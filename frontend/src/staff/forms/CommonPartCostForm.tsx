// A direct cost of earning a category's income in a month (an attendant's wage, a light
// box's electricity), with its evidence: deducted at the close, never from the fund.
import { Form, Input, Select } from 'antd';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { IncomeCategory, PaymentMethod } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { CATEGORIES, METHODS } from './CommonIncomeForm';
import { PERIOD, YUAN } from './FeeScheduleForm';

const recordCommonPartCost = graphql(`
  mutation RecordCommonPartCost($input: CommonPartCostInput!) { recordCommonPartCost(input: $input) { id } }
`);

type Values = { category: IncomeCategory; period: string; amount: string; description: string; evidence: string; method: PaymentMethod };
type Props = { open: boolean; onClose: () => void; compoundId: string; period: string };

export function CommonPartCostForm({ open, onClose, compoundId, period }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const record = useSubmit(recordCommonPartCost, form);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const onFinish = async (v: Values) => {
    const input = { ...v, compoundId, amount: v.amount.trim(), description: v.description.trim(), evidence: v.evidence.trim(), idempotencyKey: key };
    const ok = Boolean(await record.submit({ input }));
    if (ok) setKey(crypto.randomUUID());
    return ok;
  };
  return (
    <FormDrawer title={t.recordCost} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={record.fetching}
      error={record.error} initialValues={{ period, method: 'BANK_TRANSFER', category: 'ADVERTISING' }}>
      <Form.Item name="category" label={t.fields.category} rules={[{ required: true, message: t.required }]}>
        <Select options={CATEGORIES.map((c) => ({ value: c, label: t.incomeCategories[c] }))} />
      </Form.Item>
      <Form.Item name="period" label={t.fields.period} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2026-11" />
      </Form.Item>
      <Form.Item name="amount" label={t.amountYuan} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="description" label={t.fields.description} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={500} placeholder={t.costDescriptionHint} />
      </Form.Item>
      <Form.Item name="evidence" label={t.fields.evidence} rules={[{ required: true, whitespace: true, message: t.fieldHints.evidence }]}>
        <Input maxLength={200} placeholder={t.fieldHints.evidence} />
      </Form.Item>
      <Form.Item name="method" label={t.paidHow} rules={[{ required: true, message: t.required }]}>
        <Select options={METHODS.map((m) => ({ value: m, label: t.methods[m] }))} />
      </Form.Item>
    </FormDrawer>
  );
}
