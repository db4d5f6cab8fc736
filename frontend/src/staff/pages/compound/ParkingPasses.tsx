// A compound's monthly parking passes (停车月卡): plate, space, months covered and price; the
// book-keepers issue one and its payment becomes parking-pass income of the month it is paid.
import { App, Button, Card, DatePicker, Form, Input, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { ParkingPassesQuery, PaymentMethod } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { thisMonth } from '../../../money';
import { FormDrawer } from '../../FormDrawer';
import { METHODS } from '../../forms/CommonIncomeForm';
import { PERIOD, YUAN } from '../../forms/FeeScheduleForm';
import { DataTable, QueryError, Yuan } from '../../ui';
import { useSubmit } from '../../useSubmit';

const passesDocument = graphql(`
  query ParkingPasses($id: ID!) { parkingPasses(compoundId: $id) { id plate space from to monthly { fen } issuedAt cancelledFrom cancelReason } }
`);

const issuePass = graphql(`
  mutation IssueParkingPass($input: ParkingPassInput!) { issueParkingPass(input: $input) { id } }
`);

const cancelPass = graphql(`
  mutation CancelParkingPass($id: ID!, $from: String!, $method: PaymentMethod!, $reason: String!) {
    cancelParkingPass(passId: $id, fromPeriod: $from, method: $method, reason: $reason) { id cancelledFrom }
  }
`);

type Pass = ParkingPassesQuery['parkingPasses'][number];
type Values = { plate: string; space?: string; from: string; to: string; monthly: string; method: PaymentMethod; paidOn: Dayjs };

export function ParkingPasses({ compoundId }: { compoundId: string }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }] = useQuery({ query: passesDocument, variables: { id: compoundId } });
  const [open, setOpen] = useState(false);
  const [ending, setEnding] = useState<Pass>();
  return (
    <Card className="section" title={t.parkingPasses}
      extra={me.can.keepBooks && <Button onClick={() => setOpen(true)}>{t.issuePass}</Button>}>
      <QueryError error={error} />
      <DataTable rowKey="id" size="small" dataSource={data?.parkingPasses ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t.none }}
        columns={[
          { title: t.fields.plate, dataIndex: 'plate', className: 'nowrap' },
          { title: t.fields.space, dataIndex: 'space' },
          { title: t.months, render: (_, p) => `${p.from} – ${p.to}`, className: 'nowrap' },
          { title: t.fields.monthly, align: 'right', render: (_, p) => <Yuan fen={p.monthly.fen} /> },
          { title: t.status, render: (_, p) => p.cancelledFrom
            ? <Tag title={p.cancelReason ?? ''}>{t.fmt(t.passEndedFrom, p.cancelledFrom)}</Tag>
            : me.can.keepBooks && p.to >= thisMonth() && <Button type="link" danger onClick={() => setEnding(p)}>{t.endPass}</Button> },
        ]} />
      <PassForm open={open} onClose={() => setOpen(false)} compoundId={compoundId} />
      <EndPassForm pass={ending} onClose={() => setEnding(undefined)} />
    </Card>
  );
}

function PassForm({ open, onClose, compoundId }: { open: boolean; onClose: () => void; compoundId: string }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const issue = useSubmit(issuePass, form);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const onFinish = async (v: Values) => {
    const input = {
      compoundId, plate: v.plate.trim(), space: v.space?.trim() || null, from: v.from.trim(), to: v.to.trim(),
      monthly: v.monthly.trim(), method: v.method, paidOn: v.paidOn.format('YYYY-MM-DD'), idempotencyKey: key,
    };
    const ok = Boolean(await issue.submit({ input }));
    if (ok) setKey(crypto.randomUUID());
    return ok;
  };
  return (
    <FormDrawer title={t.issuePass} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={issue.fetching}
      error={issue.error} initialValues={{ from: thisMonth(), to: thisMonth(), method: 'QR_TRANSFER', paidOn: dayjs() }}>
      <Form.Item name="plate" label={t.fields.plate} rules={[{ required: true, whitespace: true, message: t.fieldHints.plate }]}>
        <Input maxLength={12} placeholder="桂B12345" />
      </Form.Item>
      <Form.Item name="space" label={t.fields.space}><Input maxLength={50} /></Form.Item>
      <Form.Item name="from" label={t.fields.from} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2026-12" />
      </Form.Item>
      <Form.Item name="to" label={t.fields.to} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder="2027-05" />
      </Form.Item>
      <Form.Item name="monthly" label={t.fields.monthly} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
        <Input inputMode="decimal" placeholder="150.00" />
      </Form.Item>
      <Form.Item name="method" label={t.method} rules={[{ required: true, message: t.required }]}>
        <Select options={METHODS.map((m) => ({ value: m, label: t.methods[m] }))} />
      </Form.Item>
      <Form.Item name="paidOn" label={t.fields.paidOn} rules={[{ required: true, message: t.required }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
    </FormDrawer>
  );
}

type EndValues = { from: string; method: PaymentMethod; reason: string };

/** Ends a pass early: the months from the one chosen are refunded, confirmed first. */
function EndPassForm({ pass, onClose }: { pass?: Pass; onClose: () => void }) {
  const t = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm<EndValues>();
  const end = useSubmit(cancelPass, form);
  const first = pass && pass.from > thisMonth() ? pass.from : thisMonth();
  const onFinish = async (v: EndValues) => {
    if (!pass) return false;
    const confirmed = await modal.confirm({
      title: `${t.endPass} · ${pass.plate}`, content: t.fmt(t.endPassConfirm, v.from.trim()),
      okText: t.confirmRecord, cancelText: t.cancel,
    });
    if (!confirmed) return false;
    return Boolean(await end.submit({ id: pass.id, from: v.from.trim(), method: v.method, reason: v.reason.trim() }));
  };
  return (
    <FormDrawer title={`${t.endPass} · ${pass?.plate ?? ''}`} open={Boolean(pass)} onClose={onClose} form={form}
      onFinish={onFinish} busy={end.fetching} error={end.error} initialValues={{ from: first, method: 'CASH' }}>
      <Typography.Paragraph type="secondary">{t.endPassHint}</Typography.Paragraph>
      <Form.Item name="from" label={t.fields.fromPeriod} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
        <Input placeholder={first} />
      </Form.Item>
      <Form.Item name="method" label={t.method} rules={[{ required: true, message: t.required }]}>
        <Select options={METHODS.map((m) => ({ value: m, label: t.methods[m] }))} />
      </Form.Item>
      <Form.Item name="reason" label={t.fields.reason} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </FormDrawer>
  );
}
