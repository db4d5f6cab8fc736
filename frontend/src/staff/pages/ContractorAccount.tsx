// A contractor's account with the firm, for those who keep the books: the verified work not
// yet paid for (each order's round and its cost), a payment settling the work chosen — from
// the cash box or by bank transfer, booked against each compound's payable — and the payments
// made so far.
import { App, Button, Card, DatePicker, Form, Input, Radio, Space, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ContractorAccountQuery, PaidFrom } from '../../gql/graphql';
import { useT } from '../../i18n';
import { FormDrawer } from '../FormDrawer';
import { DataTable, PageTitle, QueryError, Yuan } from '../ui';
import { useSubmit } from '../useSubmit';

const accountDocument = graphql(`
  query ContractorAccount($id: ID!) {
    contractorAccount(contractorId: $id) {
      id name owed { fen }
      unpaid { id orderId orderNumber round compoundName amount { fen } verifiedAt }
      payments { id amount { fen } method reference paidAt costs { id orderId orderNumber } }
    }
  }
`);

const payDocument = graphql(`
  mutation PayContractor($input: PayContractorInput!) { payContractor(input: $input) { id owed { fen } } }
`);

type Account = ContractorAccountQuery['contractorAccount'];
type Cost = Account['unpaid'][number];

export default function ContractorAccountPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [{ data, error }] = useQuery({ query: accountDocument, variables: { id } });
  const [chosen, setChosen] = useState<string[]>([]);
  // The payment being made: its idempotency key, new each time the form opens.
  const [paying, setPaying] = useState<string>();
  const account = data?.contractorAccount;
  const unpaid = account?.unpaid ?? [];
  const picked = unpaid.filter((c) => chosen.includes(c.id));
  const total = picked.reduce((sum, c) => sum + c.amount.fen, 0);
  return (
    <>
      <PageTitle title={account ? `${account.name} · ${t.wo.payables}` : t.wo.payables} back={{ to: '/contractors', label: t.back }} />
      <QueryError error={error} />
      <Card className="section">
        <Statistic title={t.wo.owed} value={account?.owed.fen ?? 0} formatter={(v) => <Yuan fen={Number(v)} />} />
      </Card>
      <Card title={t.wo.unpaid} className="section"
        extra={<Space wrap>
          {picked.length > 0 && <span role="status">{t.fmt(t.wo.chosen, picked.length)} <Yuan fen={total} /></span>}
          <Button type="primary" disabled={picked.length === 0} onClick={() => setPaying(crypto.randomUUID())}>{t.wo.pay}</Button>
        </Space>}>
        <DataTable<Cost> rowKey="id" size="small" className="unpaid" pagination={false} dataSource={unpaid} locale={{ emptyText: t.wo.noUnpaid }}
          rowSelection={{ selectedRowKeys: chosen, onChange: (keys) => setChosen(keys.map(String)) }}
          columns={[
            { title: t.wo.number, render: (_, c) => <Link to={`/orders/${c.orderId}`}>No.{c.orderNumber}</Link> },
            { title: t.compound, render: (_, c) => <>{c.compoundName}{c.round > 0 && <span className="muted"> · {t.fmt(t.wo.round, c.round)}</span>}</> },
            { title: t.wo.verifiedAt, className: 'nowrap', render: (_, c) => c.verifiedAt.slice(0, 10) },
            { title: t.amount, align: 'right', render: (_, c) => <Yuan fen={c.amount.fen} /> },
          ]} />
      </Card>
      <Card title={t.wo.payments} className="section">
        <DataTable rowKey="id" size="small" className="payments" pagination={false} dataSource={account?.payments ?? []} locale={{ emptyText: t.none }}
          columns={[
            { title: t.wo.paidAt, className: 'nowrap', render: (_, p) => p.paidAt.slice(0, 10) },
            { title: t.wo.paidFrom, render: (_, p) => t.wo.paidFroms[p.method] },
            { title: t.fields.reference, dataIndex: 'reference' },
            { title: t.wo.number, render: (_, p) => p.costs.map((c) => <Link key={c.id} to={`/orders/${c.orderId}`} className="nowrap">No.{c.orderNumber} </Link>) },
            { title: t.amount, align: 'right', render: (_, p) => <Yuan fen={p.amount.fen} /> },
          ]} />
      </Card>
      <PayForm contractorId={id} name={account?.name ?? ''} costs={paying ? picked : undefined} total={total} idempotencyKey={paying ?? ''}
        onClose={(paid) => { setPaying(undefined); if (paid) setChosen([]); }} />
    </>
  );
}

type PayValues = { method: PaidFrom; reference: string; paidAt: Dayjs };

/**
 * Records the payment of the chosen work: how it was paid, its reference and the day — shown
 * back in full and confirmed before it is written (it moves money).
 */
function PayForm({ contractorId, name, costs, total, idempotencyKey, onClose }:
  { contractorId: string; name: string; costs?: Cost[]; total: number; idempotencyKey: string; onClose: (paid: boolean) => void }) {
  const t = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm<PayValues>();
  const pay = useSubmit(payDocument, form);
  const onFinish = async (v: PayValues) => {
    if (!costs) return false;
    const confirmed = await modal.confirm({
      title: t.wo.payConfirm,
      content: <>{name} · <strong className="big-number"><Yuan fen={total} /></strong> · {t.wo.paidFroms[v.method]} · {v.reference.trim()} · {v.paidAt.format('YYYY-MM-DD')}</>,
      okText: t.wo.payConfirmOk, cancelText: t.cancel,
    });
    if (!confirmed) return false;
    const paid = await pay.submit({ input: {
      contractorId, costIds: costs.map((c) => c.id), method: v.method, reference: v.reference.trim(),
      // Noon of the day chosen, so the day is the same in every time zone the firm works in.
      paidAt: v.paidAt.hour(12).minute(0).second(0).toISOString(), idempotencyKey,
    } });
    if (paid) onClose(true);
    return false;
  };
  return (
    <FormDrawer title={t.wo.pay} open={Boolean(costs)} onClose={() => onClose(false)} form={form} onFinish={onFinish}
      busy={pay.fetching} error={pay.error} submitLabel={t.wo.pay}
      initialValues={{ method: 'BANK_TRANSFER', paidAt: dayjs() } as PayValues}>
      <Typography.Paragraph>
        {costs?.map((c) => `No.${c.orderNumber}`).join('、')} · <strong className="big-number"><Yuan fen={total} /></strong>
      </Typography.Paragraph>
      <Form.Item name="method" label={t.wo.paidFrom}>
        <Radio.Group options={(['BANK_TRANSFER', 'CASH'] as const).map((m) => ({ value: m, label: t.wo.paidFroms[m] }))} />
      </Form.Item>
      <Form.Item name="reference" label={t.fields.reference} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="paidAt" label={t.wo.paidAt} rules={[{ required: true, message: t.required }]}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
    </FormDrawer>
  );
}
