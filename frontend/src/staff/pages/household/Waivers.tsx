// A household's hardship records (低保, 特困, …) and fee waivers: a handler records the
// evidence and proposes a waiver; another person approves or rejects it.
import { Button, Card, DatePicker, Form, Input, InputNumber, Popconfirm, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import type { HardshipCategory, WaiverFunding, WaiverKind } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { PERIOD, YUAN } from '../../forms/FeeScheduleForm';
import { FormDrawer } from '../../FormDrawer';
import { DataTable, QueryError } from '../../ui';
import { useAction, useSubmit } from '../../useSubmit';

const waiversDocument = graphql(`
  query HouseholdWaivers($id: ID!) {
    hardshipRecords(householdId: $id) { id category certificateNo evidence validFrom validTo }
    waiverGrants(householdId: $id) { id hardshipId kind percentBp fixedPerMonth { display } fromPeriod toPeriod funding status }
  }
`);
const recordHardship = graphql(`
  mutation RecordHardship($input: HardshipInput!) { recordHardship(input: $input) { id } }
`);
const proposeWaiver = graphql(`
  mutation ProposeWaiver($input: WaiverInput!) { proposeWaiver(input: $input) { id status } }
`);
const decideWaiver = graphql(`
  mutation DecideWaiver($id: ID!, $approve: Boolean!) { decideWaiver(id: $id, approve: $approve) { id status } }
`);

export function Waivers({ householdId }: { householdId: string }) {
  const t = useT();
  const me = useMe();
  const [{ data, error }] = useQuery({ query: waiversDocument, variables: { id: householdId } });
  const [open, setOpen] = useState<'hardship' | 'waiver'>();
  const decide = useAction(decideWaiver);
  const hardships = data?.hardshipRecords ?? [];
  const amount = (w: NonNullable<typeof data>['waiverGrants'][number]) =>
    w.kind === 'FULL' ? t.waiverKinds.FULL : w.kind === 'PERCENT' ? `${(w.percentBp ?? 0) / 100}%` : `${w.fixedPerMonth?.display ?? ''}/${t.perMonth}`;
  return (
    <>
      <QueryError error={error} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Button onClick={() => setOpen('hardship')}>{t.recordHardship}</Button>
        <Button type="primary" onClick={() => setOpen('waiver')}>{t.proposeWaiver}</Button>
      </Space>
      <Card title={t.hardshipRecords} size="small" className="section">
        <DataTable rowKey="id" size="small" pagination={false} dataSource={hardships} locale={{ emptyText: t.empty }}
          columns={[
            { title: t.hardshipCategory, render: (_, h) => t.hardshipCategories[h.category] },
            { title: t.certificateNo, dataIndex: 'certificateNo' },
            { title: t.validity, render: (_, h) => `${h.validFrom} – ${h.validTo}`, className: 'nowrap' },
          ]} />
      </Card>
      <Card title={t.waivers} size="small" className="section">
        <DataTable rowKey="id" size="small" pagination={false} dataSource={data?.waiverGrants ?? []} className="waivers"
          locale={{ emptyText: t.empty }}
          columns={[
            { title: t.waiverKind, render: (_, w) => amount(w) },
            { title: t.months, render: (_, w) => `${w.fromPeriod} – ${w.toPeriod}`, className: 'nowrap' },
            { title: t.funding, render: (_, w) => t.fundings[w.funding] },
            { title: t.runStatus, render: (_, w) => <Tag>{t.waiverStatuses[w.status]}</Tag> },
            { title: '', render: (_, w) => w.status === 'PROPOSED' && me.can.keepBooks && (
              <Space>
                <Popconfirm title={t.approveConfirm} onConfirm={() => decide.run({ id: w.id, approve: true })}><Button type="link">{t.approve}</Button></Popconfirm>
                <Popconfirm title={t.rejectConfirm} onConfirm={() => decide.run({ id: w.id, approve: false })}><Button type="link" danger>{t.reject}</Button></Popconfirm>
              </Space>
            ) },
          ]} />
      </Card>
      <HardshipForm open={open === 'hardship'} onClose={() => setOpen(undefined)} householdId={householdId} />
      <WaiverForm open={open === 'waiver'} onClose={() => setOpen(undefined)} householdId={householdId}
        hardships={hardships.map((h) => ({ value: h.id, label: `${t.hardshipCategories[h.category]} ${h.certificateNo}` }))} />
    </>
  );
}

type HardshipValues = { category: HardshipCategory; certificateNo: string; evidence: string; validity: [Dayjs, Dayjs] };

function HardshipForm({ open, onClose, householdId }: { open: boolean; onClose: () => void; householdId: string }) {
  const t = useT();
  const [form] = Form.useForm<HardshipValues>();
  const record = useSubmit(recordHardship, form);
  const onFinish = async (v: HardshipValues) =>
    Boolean(await record.submit({
      input: { householdId, category: v.category, certificateNo: v.certificateNo.trim(), evidence: v.evidence.trim(),
        validFrom: v.validity[0].format('YYYY-MM-DD'), validTo: v.validity[1].format('YYYY-MM-DD') },
    }));
  return (
    <FormDrawer title={t.recordHardship} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={record.fetching} error={record.error}>
      <Form.Item name="category" label={t.hardshipCategory} rules={[{ required: true, message: t.required }]}>
        <Select options={Object.entries(t.hardshipCategories).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="certificateNo" label={t.certificateNo} rules={[{ required: true, whitespace: true, message: t.required }]}><Input maxLength={50} /></Form.Item>
      <Form.Item name="evidence" label={t.fields.evidence} rules={[{ required: true, whitespace: true, message: t.required }]}><Input.TextArea maxLength={500} autoSize /></Form.Item>
      <Form.Item name="validity" label={t.validity} rules={[{ required: true, message: t.required }]}><DatePicker.RangePicker style={{ width: '100%' }} /></Form.Item>
    </FormDrawer>
  );
}

type WaiverValues = { hardshipId?: string; kind: WaiverKind; percent?: number; fixedPerMonth?: string; fromPeriod: string; toPeriod: string; funding: WaiverFunding };

function WaiverForm({ open, onClose, householdId, hardships }: { open: boolean; onClose: () => void; householdId: string; hardships: { value: string; label: string }[] }) {
  const t = useT();
  const [form] = Form.useForm<WaiverValues>();
  const propose = useSubmit(proposeWaiver, form);
  const kind = Form.useWatch('kind', form);
  const onFinish = async (v: WaiverValues) =>
    Boolean(await propose.submit({
      input: { householdId, hardshipId: v.hardshipId ?? null, kind: v.kind, fromPeriod: v.fromPeriod, toPeriod: v.toPeriod, funding: v.funding,
        percentBp: v.kind === 'PERCENT' && v.percent ? Math.round(v.percent * 100) : null,
        fixedPerMonth: v.kind === 'FIXED_PER_MONTH' ? v.fixedPerMonth?.trim() ?? null : null },
    }));
  return (
    <FormDrawer title={t.proposeWaiver} open={open} onClose={onClose} form={form} onFinish={onFinish} busy={propose.fetching} error={propose.error}
      initialValues={{ kind: 'FULL', funding: 'GOVERNMENT_SUBSIDY', hardshipId: hardships[0]?.value }} submitLabel={t.propose}>
      <Form.Item name="hardshipId" label={t.hardshipRecords}><Select allowClear options={hardships} /></Form.Item>
      <Form.Item name="kind" label={t.waiverKind} rules={[{ required: true, message: t.required }]}>
        <Select options={Object.entries(t.waiverKinds).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      {kind === 'PERCENT' && (
        <Form.Item name="percent" label={t.fields.percentBp} rules={[{ required: true, type: 'number', min: 0.01, max: 100, message: t.percentRule }]}>
          <InputNumber min={0.01} max={100} precision={2} addonAfter="%" style={{ width: '100%' }} />
        </Form.Item>
      )}
      {kind === 'FIXED_PER_MONTH' && (
        <Form.Item name="fixedPerMonth" label={t.fields.fixedPerMonth} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.amount }]}>
          <Input inputMode="decimal" />
        </Form.Item>
      )}
      <Form.Item name="fromPeriod" label={t.fields.from} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}><Input placeholder="2026-12" /></Form.Item>
      <Form.Item name="toPeriod" label={t.fields.to} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}><Input placeholder="2027-11" /></Form.Item>
      <Form.Item name="funding" label={t.funding} rules={[{ required: true, message: t.required }]}>
        <Select options={Object.entries(t.fundings).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
    </FormDrawer>
  );
}
