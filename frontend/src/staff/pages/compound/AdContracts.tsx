// A compound's advertising contracts: the advertiser, the placements, the term, what is paid,
// owed and overdue; each contract opens to its instalments and payments (with every
// compound's share). Book-keepers sign, record payments (confirmed), renew and end early.
import { App, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { AdContractsQuery, PaymentMethod } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { toFen, yuan } from '../../../money';
import { FormDrawer } from '../../FormDrawer';
import { AdContractForm } from '../../forms/AdContractForm';
import { METHODS } from '../../forms/CommonIncomeForm';
import { PERIOD, YUAN } from '../../forms/FeeScheduleForm';
import { DataTable, QueryError, Yuan } from '../../ui';
import { useSubmit } from '../../useSubmit';

const contractsDocument = graphql(`
  query AdContracts($id: ID!) {
    advertisingContracts(compoundId: $id) {
      id number advertiser contact licenceNo pricing price { fen } from to dueDay status allocationKey terminationReason
      placements { compoundId compoundName kind location quantity }
      weights { compoundId compoundName weight }
      instalments { seq period dueOn amount { fen } paid { fen } state }
      payments { id amount { fen } receivedOn method shares { compoundId amount { fen } } }
      paid { fen } outstanding { fen yuan } overdue { fen yuan }
    }
  }
`);

const payDocument = graphql(`
  mutation RecordAdvertisingPayment($input: AdPaymentInput!) { recordAdvertisingPayment(input: $input) { id paid { fen } } }
`);

const renewDocument = graphql(`
  mutation RenewAdvertisingContract($id: ID!, $to: String!, $price: String) {
    renewAdvertisingContract(contractId: $id, to: $to, price: $price) { id to }
  }
`);

const terminateDocument = graphql(`
  mutation TerminateAdvertisingContract($id: ID!, $lastPeriod: String!, $reason: String!) {
    terminateAdvertisingContract(contractId: $id, lastPeriod: $lastPeriod, reason: $reason) { id status }
  }
`);

type Contract = AdContractsQuery['advertisingContracts'][number];
type Action = { kind: 'pay' | 'renew' | 'terminate'; contract: Contract };

export function AdContracts({ compound }: { compound: { id: string; name: string } }) {
  const t = useT();
  const me = useMe();
  const books = me.can.keepBooks;
  const [{ data, error }] = useQuery({ query: contractsDocument, variables: { id: compound.id } });
  const [signing, setSigning] = useState(false);
  const [action, setAction] = useState<Action>();
  const close = () => setAction(undefined);
  // Colours readable on their tags (WCAG AA): antd's green is not.
  const statusColour = { ACTIVE: 'blue', ENDED: 'default', TERMINATED: 'red' } as const;
  return (
    <Card className="section" title={t.adContracts}
      extra={books && <Button onClick={() => setSigning(true)}>{t.signContract}</Button>}>
      <QueryError error={error} />
      <DataTable<Contract> rowKey="id" size="small" dataSource={data?.advertisingContracts ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }} locale={{ emptyText: t.none }}
        expandable={{ expandedRowRender: (c) => <ContractDetail contract={c} /> }}
        columns={[
          { title: t.fields.number, dataIndex: 'number', className: 'nowrap' },
          { title: t.fields.advertiser, dataIndex: 'advertiser' },
          { title: t.term, render: (_, c) => `${c.from} – ${c.to}`, className: 'nowrap' },
          { title: t.fields.price, align: 'right', render: (_, c) => <>{t.adPricings[c.pricing]} <Yuan fen={c.price.fen} /></> },
          { title: t.received, align: 'right', render: (_, c) => <Yuan fen={c.paid.fen} /> },
          { title: t.owed, align: 'right', render: (_, c) => <Yuan fen={c.outstanding.fen} /> },
          { title: t.overdueOwed, align: 'right', render: (_, c) => c.overdue.fen > 0
            ? <Typography.Text type="danger"><Yuan fen={c.overdue.fen} /></Typography.Text> : <Yuan fen={0} /> },
          { title: t.status, render: (_, c) => <Tag color={statusColour[c.status]}>{t.adStatuses[c.status]}</Tag> },
          ...(books ? [{
            title: '', key: 'actions', render: (_: unknown, c: Contract) => (
              <Space size={0} wrap>
                {c.outstanding.fen > 0 && <Button type="link" onClick={() => setAction({ kind: 'pay', contract: c })}>{t.recordAdPayment}</Button>}
                {c.status !== 'TERMINATED' && <Button type="link" onClick={() => setAction({ kind: 'renew', contract: c })}>{t.renewContract}</Button>}
                {c.status !== 'TERMINATED' && <Button type="link" danger onClick={() => setAction({ kind: 'terminate', contract: c })}>{t.terminateContract}</Button>}
              </Space>
            ),
          }] : []),
        ]} />
      <AdContractForm open={signing} onClose={() => setSigning(false)} compound={compound} />
      <PaymentForm contract={action?.kind === 'pay' ? action.contract : undefined} onClose={close} />
      <RenewForm contract={action?.kind === 'renew' ? action.contract : undefined} onClose={close} />
      <TerminateForm contract={action?.kind === 'terminate' ? action.contract : undefined} onClose={close} />
    </Card>
  );
}

function ContractDetail({ contract: c }: { contract: Contract }) {
  const t = useT();
  const names = new Map(c.weights.map((w) => [w.compoundId, w.compoundName]));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t.fields.contact}>{c.contact ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t.fields.licenceNo}>{c.licenceNo ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t.fields.dueDay}>{t.fmt(t.dueOnDay, String(c.dueDay))}</Descriptions.Item>
        <Descriptions.Item label={t.fields.allocationKey}>
          {t.allocationKeys[c.allocationKey]}：{c.weights.map((w) => `${w.compoundName} ${w.weight}`).join('，')}
        </Descriptions.Item>
        <Descriptions.Item label={t.fields.placements}>
          {c.placements.map((p, i) => <div key={i}>{p.compoundName} · {t.adPlacementKinds[p.kind]}{p.location ? ` · ${p.location}` : ''} × {p.quantity}</div>)}
        </Descriptions.Item>
        {c.terminationReason && <Descriptions.Item label={t.fields.reason}>{c.terminationReason}</Descriptions.Item>}
      </Descriptions>
      <Table size="small" rowKey="seq" pagination={false} dataSource={c.instalments} title={() => t.instalments}
        columns={[
          { title: t.fields.period, dataIndex: 'period' },
          { title: t.dueOn, dataIndex: 'dueOn', className: 'nowrap' },
          { title: t.amount, align: 'right', render: (_, i) => <Yuan fen={i.amount.fen} /> },
          { title: t.received, align: 'right', render: (_, i) => <Yuan fen={i.paid.fen} /> },
          { title: t.status, render: (_, i) => <Tag color={i.state === 'OVERDUE' ? 'red' : 'default'} className={i.state === 'PAID' ? 'tag-closed' : undefined}>{t.instalmentStates[i.state]}</Tag> },
        ]} />
      {c.payments.length > 0 && (
        <Table size="small" rowKey="id" pagination={false} dataSource={c.payments} title={() => t.payments}
          columns={[
            { title: t.fields.receivedOn, dataIndex: 'receivedOn', className: 'nowrap' },
            { title: t.amount, align: 'right', render: (_, p) => <Yuan fen={p.amount.fen} /> },
            { title: t.method, render: (_, p) => t.methods[p.method] },
            { title: t.sharesOf, render: (_, p) => p.shares.map((s) => `${names.get(s.compoundId) ?? ''} ${yuan(s.amount.fen)}`).join('，') },
          ]} />
      )}
    </Space>
  );
}

type PayValues = { amount: string; receivedOn: Dayjs; method: PaymentMethod };

function PaymentForm({ contract, onClose }: { contract?: Contract; onClose: () => void }) {
  const t = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm<PayValues>();
  const pay = useSubmit(payDocument, form);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const onFinish = async (v: PayValues) => {
    if (!contract) return false;
    const confirmed = await modal.confirm({
      title: `${contract.advertiser} ${yuan(toFen(v.amount) ?? 0)}`, content: t.adPaymentConfirm,
      okText: t.confirmRecord, cancelText: t.cancel,
    });
    if (!confirmed) return false;
    const input = { contractId: contract.id, amount: v.amount.trim(), receivedOn: v.receivedOn.format('YYYY-MM-DD'), method: v.method, idempotencyKey: key };
    const ok = Boolean(await pay.submit({ input }));
    if (ok) setKey(crypto.randomUUID());
    return ok;
  };
  const owed = contract?.outstanding.fen ?? 0;
  return (
    <FormDrawer title={`${t.recordAdPayment} · ${contract?.number ?? ''}`} open={Boolean(contract)} onClose={onClose} form={form}
      onFinish={onFinish} busy={pay.fetching} error={pay.error}
      initialValues={{ receivedOn: dayjs(), method: 'BANK_TRANSFER', amount: contract ? (contract.overdue.fen ? contract.overdue.yuan : contract.outstanding.yuan) : '' }}>
      <Typography.Paragraph type="secondary">{t.owed} <Yuan fen={owed} /></Typography.Paragraph>
      <Form.Item name="amount" label={t.amountYuan}
        rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount },
          { validator: async (_, v) => { if (v && YUAN.test(v) && (toFen(v) ?? 0) > owed) throw new Error(`${t.owed} ${yuan(owed)}`); } }]}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="receivedOn" label={t.fields.receivedOn} rules={[{ required: true, message: t.required }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="method" label={t.method} rules={[{ required: true, message: t.required }]}>
        <Select options={METHODS.map((m) => ({ value: m, label: t.methods[m] }))} />
      </Form.Item>
    </FormDrawer>
  );
}

function RenewForm({ contract, onClose }: { contract?: Contract; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ to: string; price?: string }>();
  const renew = useSubmit(renewDocument, form);
  const onFinish = async (v: { to: string; price?: string }) =>
    Boolean(contract && await renew.submit({ id: contract.id, to: v.to.trim(), price: v.price?.trim() || null }));
  return (
    <FormDrawer title={`${t.renewContract} · ${contract?.number ?? ''}`} open={Boolean(contract)} onClose={onClose} form={form}
      onFinish={onFinish} busy={renew.fetching} error={renew.error}>
      <Typography.Paragraph type="secondary">{t.renewHint}</Typography.Paragraph>
      <Form.Item name="to" label={t.fields.to} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder={contract?.to} />
      </Form.Item>
      <Form.Item name="price" label={t.fields.price} rules={[{ pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" placeholder={contract ? yuan(contract.price.fen) : ''} />
      </Form.Item>
    </FormDrawer>
  );
}

function TerminateForm({ contract, onClose }: { contract?: Contract; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ lastPeriod: string; reason: string }>();
  const end = useSubmit(terminateDocument, form);
  const onFinish = async (v: { lastPeriod: string; reason: string }) =>
    Boolean(contract && await end.submit({ id: contract.id, lastPeriod: v.lastPeriod.trim(), reason: v.reason.trim() }));
  return (
    <FormDrawer title={`${t.terminateContract} · ${contract?.number ?? ''}`} open={Boolean(contract)} onClose={onClose} form={form}
      onFinish={onFinish} busy={end.fetching} error={end.error}>
      <Typography.Paragraph type="secondary">{t.terminateHint}</Typography.Paragraph>
      <Form.Item name="lastPeriod" label={t.fields.lastPeriod} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder={contract?.to} />
      </Form.Item>
      <Form.Item name="reason" label={t.fields.reason} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </FormDrawer>
  );
}
