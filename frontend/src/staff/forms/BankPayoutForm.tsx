// A payout of the committee fund by bank transfer, proposed by the firm's accountant: the
// committee approves or rejects it; its amount is held back until then. It spends the owners'
// money, so it rests on their passed matter of spending.
import { Form, Input } from 'antd';
import { useState } from 'react';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { useSubmit } from '../useSubmit';
import { YUAN } from './FeeScheduleForm';
import { MatterSelect } from './MatterSelect';

const proposeBankPayout = graphql(`
  mutation ProposeCommitteeBankPayout($input: BankPayoutInput!) { proposeCommitteeBankPayout(input: $input) { id status } }
`);

type Values = { matterId: string; amount: string; payee: string; purpose: string };

export function BankPayoutForm({ open, onClose, compoundId }: { open: boolean; onClose: () => void; compoundId: string }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const propose = useSubmit(proposeBankPayout, form);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const onFinish = async (v: Values) => {
    const input = { compoundId, matterId: v.matterId, amount: v.amount.trim(), payee: v.payee.trim(), purpose: v.purpose.trim(), idempotencyKey: key };
    const ok = Boolean(await propose.submit({ input }));
    if (ok) setKey(crypto.randomUUID());
    return ok;
  };
  return (
    <FormDrawer title={t.proposeBankPayout} open={open} onClose={onClose} form={form} onFinish={onFinish}
      busy={propose.fetching} error={propose.error} submitLabel={t.propose}>
      <Form.Item name="matterId" label={t.fields.matterId} extra={t.gv.spendMatterHint} rules={[{ required: true, message: t.required }]}>
        <MatterSelect compoundId={compoundId} kinds={['USE_MAINTENANCE_FUND', 'OTHER']} />
      </Form.Item>
      <Form.Item name="amount" label={t.amountYuan} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="payee" label={t.fields.payee} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={200} placeholder={t.payeeHint} />
      </Form.Item>
      <Form.Item name="purpose" label={t.fields.purpose} extra={t.purposeHint}
        rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </FormDrawer>
  );
}
