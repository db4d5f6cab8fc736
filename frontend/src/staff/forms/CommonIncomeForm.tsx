// Common-part income received (an advertiser's payment, a day's parking takings), or, with
// its reason, a correction of a closed month's income recorded in an open month.
import { DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { IncomeCategory, PaymentMethod } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';

const recordCommonIncome = graphql(`
  mutation RecordCommonIncome($input: CommonIncomeInput!) { recordCommonIncome(input: $input) { id period } }
`);

/** Yuan with at most two decimals; a minus sign only for a correction. */
export const SIGNED_YUAN = /^-?\d{1,13}(\.\d{1,2})?$/;
export const CATEGORIES: IncomeCategory[] = ['ADVERTISING', 'PARKING_PASS', 'PARKING_TEMPORARY', 'PROMOTION', 'PREMISES_RENT', 'RECYCLABLES', 'OTHER'];
export const METHODS: PaymentMethod[] = ['BANK_TRANSFER', 'CASH', 'QR_TRANSFER'];

type Values = {
  category: IncomeCategory; amount: string; receivedOn: Dayjs; method: PaymentMethod;
  payer?: string; reference?: string; correctionReason?: string;
};
type Props = { open: boolean; onClose: () => void; compoundId: string; correction?: boolean };

export function CommonIncomeForm({ open, onClose, compoundId, correction }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const record = useSubmit(recordCommonIncome, form);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const onFinish = async (v: Values) => {
    const input = {
      compoundId, category: v.category, amount: v.amount.trim(), receivedOn: v.receivedOn.format('YYYY-MM-DD'),
      method: v.method, payer: v.payer?.trim() || null, reference: v.reference?.trim() || null,
      correctionReason: v.correctionReason?.trim() || null, idempotencyKey: key,
    };
    const ok = Boolean(await record.submit({ input }));
    if (ok) setKey(crypto.randomUUID());
    return ok;
  };
  return (
    <FormDrawer title={correction ? t.incomeCorrection : t.recordIncome} open={open} onClose={onClose} form={form}
      onFinish={onFinish} busy={record.fetching} error={record.error}
      initialValues={{ receivedOn: dayjs(), method: 'BANK_TRANSFER', category: 'ADVERTISING' }}>
      <Form.Item name="category" label={t.fields.category} rules={[{ required: true, message: t.required }]}>
        <Select options={CATEGORIES.map((c) => ({ value: c, label: t.incomeCategories[c] }))} />
      </Form.Item>
      <Form.Item name="amount" label={t.amountYuan} extra={correction ? t.correctionAmountHint : undefined}
        rules={[{ required: true, pattern: SIGNED_YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" placeholder="1200.00" />
      </Form.Item>
      <Form.Item name="receivedOn" label={t.fields.receivedOn} rules={[{ required: true, message: t.required }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="method" label={t.method} rules={[{ required: true, message: t.required }]}>
        <Select options={METHODS.map((m) => ({ value: m, label: t.methods[m] }))} />
      </Form.Item>
      <Form.Item name="payer" label={t.fields.payer}><Input maxLength={100} placeholder={t.payerHint} /></Form.Item>
      <Form.Item name="reference" label={t.fields.reference}><Input maxLength={100} /></Form.Item>
      {correction && (
        <Form.Item name="correctionReason" label={t.fields.correctionReason} rules={[{ required: true, whitespace: true, message: t.required }]}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      )}
    </FormDrawer>
  );
}
