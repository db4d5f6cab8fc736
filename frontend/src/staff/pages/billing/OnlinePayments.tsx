// The latest online payments with Stripe's ids (to match Stripe's dashboard), and refunds.
import { Button, Card, Form, Input} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { YUAN } from '../../forms/FeeScheduleForm';
import { FormDrawer } from '../../FormDrawer';
import { DataTable, Yuan } from '../../ui';
import { useSubmit } from '../../useSubmit';

const onlinePaymentsDocument = graphql(`
  query OnlinePayments {
    onlinePayment { enabled }
    onlinePayments(first: 20) {
      attempt { id householdId createdAt status amount { fen } stripePaymentIntentId paymentId }
      refunds { id amount { fen } status stripeRefundId }
    }
  }
`);

const refundDocument = graphql(`
  mutation RefundOnlinePayment($paymentId: ID!, $amount: String!, $reason: String!) {
    refundOnlinePayment(paymentId: $paymentId, amount: $amount, reason: $reason) { id status }
  }
`);

export function OnlinePayments() {
  const t = useT();
  const [{ data }] = useQuery({ query: onlinePaymentsDocument });
  const [refunding, setRefunding] = useState<{ paymentId: string; fen: number }>();
  if (!data?.onlinePayment.enabled) return null;
  return (
    <Card title={t.onlinePayments} className="section">
      <DataTable rowKey={(r) => r.attempt.id} size="small" className="online" pagination={false}
        dataSource={data.onlinePayments} locale={{ emptyText: t.empty }}
        columns={[
          { title: t.date, render: (_, { attempt: a }) => <Link to={`/households/${a.householdId}/bills`}>{a.createdAt.slice(0, 10)}</Link>, className: 'nowrap' },
          { title: t.paid, align: 'right', render: (_, { attempt: a }) => (a.paymentId ? <Link to={`/receipts/${a.paymentId}`}><Yuan fen={a.amount.fen} /></Link> : <Yuan fen={a.amount.fen} />) },
          { title: t.runStatus, render: (_, { attempt: a }) => a.status },
          { title: t.stripeId, render: (_, { attempt: a }) => <span className="mono">{a.stripePaymentIntentId ?? '—'}</span> },
          { title: t.refunded, render: (_, { refunds }) => refunds.map((r) => `${r.status} ${r.stripeRefundId ?? ''}`).join('；') },
          { title: '', render: (_, { attempt: a }) => a.status === 'SUCCEEDED' && a.paymentId && (
            <Button type="link" onClick={() => setRefunding({ paymentId: a.paymentId ?? '', fen: a.amount.fen })}>{t.refund}</Button>
          ) },
        ]} />
      <RefundForm target={refunding} onClose={() => setRefunding(undefined)} />
    </Card>
  );
}

type Values = { amount: string; reason: string };

/** Refunds part or all of an online payment through Stripe; the books change when it settles. */
function RefundForm({ target, onClose }: { target?: { paymentId: string; fen: number }; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const refund = useSubmit(refundDocument, form);
  const onFinish = async (v: Values) => Boolean(target && (await refund.submit({ paymentId: target.paymentId, amount: v.amount.trim(), reason: v.reason.trim() })));
  return (
    <FormDrawer title={t.refund} open={Boolean(target)} onClose={onClose} form={form} onFinish={onFinish} busy={refund.fetching}
      error={refund.error} submitLabel={t.refund}>
      {target && <p>{t.paid}{t.colon}<Yuan fen={target.fen} /></p>}
      <Form.Item name="amount" label={t.amountYuan} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input name="refund-amount" inputMode="decimal" />
      </Form.Item>
      <Form.Item name="reason" label={t.refundReason} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input name="refund-reason" />
      </Form.Item>
    </FormDrawer>
  );
}
