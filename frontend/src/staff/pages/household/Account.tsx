// A household's bills and payments, for book-keepers: record a payment (confirmed before it is
// written), reverse one, or correct a bill with a credit note.
import { Button, Card, Descriptions, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { HouseholdAccountQuery, PaymentMethod } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { toFen, yuan } from '../../../money';
import { YUAN } from '../../forms/FeeScheduleForm';
import { FormDrawer } from '../../FormDrawer';
import { DataTable, FormError, QueryError, Yuan } from '../../ui';
import { useSubmit } from '../../useSubmit';

const accountDocument = graphql(`
  query HouseholdAccount($id: ID!) {
    householdAccount(householdId: $id) {
      balance { fen }
      invoices { id number period daysBilled gross { fen } waived { fen } due { fen } paid { fen } credited { fen } outstanding { fen } lines { kind amount { fen } lateFeeFor } }
      payments { id amount { fen } method receiptNo receivedAt reversed reversalReason }
    }
    onlinePayment { enabled }
  }
`);

type Invoice = HouseholdAccountQuery['householdAccount']['invoices'][number];
type Payment = HouseholdAccountQuery['householdAccount']['payments'][number];

export function Account({ householdId }: { householdId: string }) {
  const t = useT();
  const [{ data, error }] = useQuery({ query: accountDocument, variables: { id: householdId } });
  const [crediting, setCrediting] = useState<Invoice>();
  const [reversing, setReversing] = useState<Payment>();
  if (!data) return <QueryError error={error} />;
  const a = data.householdAccount;
  return (
    <>
      <Typography.Title level={4} className={a.balance.fen > 0 ? 'owing' : 'settled'}>
        {a.balance.fen > 0 ? <>{t.owing}{t.colon}<Yuan fen={a.balance.fen} /></> : a.balance.fen < 0 ? <>{t.credit}{t.colon}<Yuan fen={-a.balance.fen} /></> : t.allPaid}
      </Typography.Title>
      <RecordPayment householdId={householdId} />
      <Card title={t.invoices} size="small" className="section">
        <DataTable rowKey="id" size="small" pagination={false} dataSource={a.invoices} className="invoices"
          locale={{ emptyText: t.noBills }}
          columns={[
            { title: t.month, dataIndex: 'period', className: 'nowrap' },
            { title: 'No.', dataIndex: 'number', responsive: ['md'] },
            { title: t.due, align: 'right', render: (_, i) => <Yuan fen={i.due.fen} /> },
            { title: t.waived, align: 'right', render: (_, i) => <Yuan fen={i.waived.fen} />, responsive: ['md'] },
            { title: t.paid, align: 'right', render: (_, i) => <Yuan fen={i.paid.fen} /> },
            { title: t.outstanding, align: 'right', render: (_, i) => <Yuan fen={i.outstanding.fen} /> },
            { title: '', render: (_, i) => i.outstanding.fen > 0 && <Button type="link" onClick={() => setCrediting(i)}>{t.creditNote}</Button> },
          ]} />
      </Card>
      <Card title={t.payments} size="small" className="section">
        <DataTable rowKey="id" size="small" pagination={false} dataSource={a.payments} className="payments"
          locale={{ emptyText: t.empty }}
          columns={[
            { title: t.date, render: (_, p) => p.receivedAt.slice(0, 10), className: 'nowrap' },
            { title: t.receipt, render: (_, p) => <Link to={`/receipts/${p.id}`}>{p.receiptNo}</Link> },
            { title: t.method, render: (_, p) => t.methods[p.method] },
            { title: t.amount, align: 'right', render: (_, p) => <Link to={`/receipts/${p.id}`}><Yuan fen={p.amount.fen} /></Link> },
            { title: '', render: (_, p) => p.reversed
              ? <Tag title={p.reversalReason ?? ''}>{t.reversed}</Tag>
              : p.method !== 'ONLINE' && <Button type="link" danger onClick={() => setReversing(p)}>{t.reverse}</Button> },
          ]} />
      </Card>
      <CreditNoteForm invoice={crediting} onClose={() => setCrediting(undefined)} />
      <ReverseForm payment={reversing} onClose={() => setReversing(undefined)} />
    </>
  );
}

const recordPaymentDocument = graphql(`
  mutation RecordPayment($input: PaymentInput!) { recordPayment(input: $input) { id receiptNo amount { fen display chinese } } }
`);

type PayValues = { amount: string; method: PaymentMethod; receiptNo: string; payer?: string };

/** Records money received at the office; shown back in words and confirmed before it is written. */
function RecordPayment({ householdId }: { householdId: string }) {
  const t = useT();
  const me = useMe();
  const [form] = Form.useForm<PayValues>();
  const record = useSubmit(recordPaymentDocument, form);
  // One key per form: a double click or a retry records the payment once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [pending, setPending] = useState<PayValues>();
  const max = me.tenant.maxPayment.fen;
  const confirm = async () => {
    if (!pending) return;
    const v = pending;
    setPending(undefined);
    const input = { householdId, amount: v.amount.trim(), method: v.method, receiptNo: v.receiptNo.trim(), payer: v.payer?.trim() || null, receivedAt: new Date().toISOString(), idempotencyKey: key };
    if (await record.submit({ input })) {
      form.resetFields();
      setKey(crypto.randomUUID());
    }
  };
  const overMax = (v: string) => (toFen(v) ?? 0) > max;
  return (
    <Card title={t.recordPayment} size="small" className="section">
      <FormError message={record.error} />
      <Form form={form} layout="inline" onFinish={setPending} initialValues={{ method: 'CASH' }} className="pay-form">
        <Form.Item name="amount" label={t.amountYuan}
          rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount },
            { validator: async (_, v) => { if (v && YUAN.test(v) && overMax(v)) throw new Error(t.fmt(t.overMaxPayment, yuan(max))); } }]}>
          <Input inputMode="decimal" name="amount" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="method" label={t.method}>
          <Select style={{ width: 130 }} options={(['CASH', 'BANK_TRANSFER', 'QR_TRANSFER'] as const).map((m) => ({ value: m, label: t.methods[m] }))} />
        </Form.Item>
        <Form.Item name="receiptNo" label={t.receipt} rules={[{ required: true, whitespace: true, message: t.required }]}>
          <Input name="receiptNo" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="payer" label={t.payer}>
          <Input name="payer" maxLength={100} style={{ width: 140 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={record.fetching}>{t.record}</Button>
      </Form>
      <Modal open={Boolean(pending)} title={t.confirmPayment} okText={t.confirmRecord} cancelText={t.cancel} onOk={confirm} onCancel={() => setPending(undefined)}>
        {pending && (
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t.amount}><strong className="big-number"><Yuan fen={toFen(pending.amount) ?? 0} /></strong></Descriptions.Item>
            <Descriptions.Item label={t.method}>{t.methods[pending.method]}</Descriptions.Item>
            <Descriptions.Item label={t.receipt}>{pending.receiptNo}</Descriptions.Item>
            {pending.payer && <Descriptions.Item label={t.payer}>{pending.payer}</Descriptions.Item>}
          </Descriptions>
        )}
      </Modal>
    </Card>
  );
}

const issueCreditNote = graphql(`
  mutation IssueCreditNote($invoiceId: ID!, $amount: String!, $reason: String!) {
    issueCreditNote(invoiceId: $invoiceId, amount: $amount, reason: $reason) { id }
  }
`);

function CreditNoteForm({ invoice, onClose }: { invoice?: Invoice; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ amount: string; reason: string }>();
  const issue = useSubmit(issueCreditNote, form);
  const onFinish = async (v: { amount: string; reason: string }) =>
    Boolean(invoice && (await issue.submit({ invoiceId: invoice.id, amount: v.amount.trim(), reason: v.reason.trim() })));
  return (
    <FormDrawer title={`${t.creditNote} · ${invoice?.period ?? ''}`} open={Boolean(invoice)} onClose={onClose} form={form} onFinish={onFinish}
      busy={issue.fetching} error={issue.error} submitLabel={t.issue}>
      <Typography.Paragraph type="secondary">{t.creditNoteHint}</Typography.Paragraph>
      <Form.Item name="amount" label={t.amountYuan} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}><Input inputMode="decimal" /></Form.Item>
      <Form.Item name="reason" label={t.fields.reason} rules={[{ required: true, whitespace: true, message: t.required }]}><Input.TextArea maxLength={500} autoSize /></Form.Item>
    </FormDrawer>
  );
}

const reversePayment = graphql(`
  mutation ReversePayment($id: ID!, $reason: String!) { reversePayment(id: $id, reason: $reason) { id reversed reversalReason } }
`);

function ReverseForm({ payment, onClose }: { payment?: Payment; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const reverse = useSubmit(reversePayment, form);
  const onFinish = async ({ reason }: { reason: string }) => Boolean(payment && (await reverse.submit({ id: payment.id, reason: reason.trim() })));
  return (
    <FormDrawer title={t.reversePayment} open={Boolean(payment)} onClose={onClose} form={form} onFinish={onFinish}
      busy={reverse.fetching} error={reverse.error} submitLabel={t.reverse}>
      {payment && <Typography.Paragraph>{payment.receiptNo} · <Yuan fen={payment.amount.fen} /> · {payment.receivedAt.slice(0, 10)}</Typography.Paragraph>}
      <Form.Item name="reason" label={t.fields.reason} rules={[{ required: true, whitespace: true, message: t.required }]}><Input.TextArea maxLength={500} autoSize /></Form.Item>
    </FormDrawer>
  );
}
