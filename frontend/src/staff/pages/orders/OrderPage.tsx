// One work order for the console: what, where, who, by when, its timeline, and the moves the
// reader's part allows — filing, rejecting, dispatching (with the ranking and why), verifying,
// sending back, closing, reopening, cancelling.
import { App, Button, Card, Descriptions, Form, Input, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { OrderPhotos } from '../../../app/OrderPhotos';
import type { WorkOrderBearer, WorkOrderDetailQuery, WorkOrderRejection } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { FormDrawer } from '../../FormDrawer';
import { YUAN } from '../../forms/FeeScheduleForm';
import { TradeAndPriority } from '../../forms/ReportForm';
import { PageTitle, QueryError, Yuan } from '../../ui';
import { useAction, useSubmit } from '../../useSubmit';
import { Candidates } from './Candidates';
import * as moves from '../../../app/workOrders';
import { PRIORITY_COLOUR } from './orderFields';

type Detail = WorkOrderDetailQuery['workOrder'];
type Order = Detail['order'];
type NoteMove = 'cancel' | 'sendBack' | 'reopen';

export default function OrderPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [{ data, error }] = useQuery({ query: moves.detailDocument, variables: { id } });
  const [open, setOpen] = useState<'file' | 'reject' | NoteMove>();
  const { modal } = App.useApp();
  const verify = useAction(moves.verifyDocument);
  const close = useAction(moves.closeDocument);
  const d = data?.workOrder;
  const o = d?.order;
  const noteMove = open === 'cancel' || open === 'sendBack' || open === 'reopen' ? open : undefined;
  const dispatcher = d?.myParts.includes('DISPATCHER') ?? false;
  const reporter = d?.myParts.includes('REPORTER') ?? false;
  const s = o?.state;
  const can = {
    file: dispatcher && s === 'REPORTED',
    dispatch: dispatcher && (s === 'FILED' || s === 'DISPATCHED' || s === 'ACCEPTED'),
    verify: (dispatcher || reporter) && s === 'COMPLETED',
    close: dispatcher && s === 'VERIFIED',
    reopen: (dispatcher || reporter) && (s === 'VERIFIED' || s === 'CLOSED'),
    cancel: (dispatcher && ['REPORTED', 'FILED', 'DISPATCHED', 'ACCEPTED', 'IN_PROGRESS'].includes(s ?? ''))
      || (reporter && (s === 'REPORTED' || s === 'FILED')),
  };
  const confirmVerify = async () => {
    if (o && await modal.confirm({ title: t.wo.verify, content: t.wo.verifyConfirm, okText: t.wo.verify, cancelText: t.cancel })) {
      await verify.run({ id: o.id });
    }
  };
  return (
    <>
      <PageTitle title={o ? `${t.wo.number} ${o.number}` : t.wo.menu} back={{ to: '/orders', label: t.wo.board }}
        extra={o && <Tag color={o.state === 'CANCELLED' || o.state === 'REJECTED' ? 'default' : 'blue'}>{t.wo.states[o.state]}</Tag>} />
      <QueryError error={error} />
      {o && d && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <OrderFacts order={o} />
          <OrderPhotos orderId={o.id} photos={d.photos}
            canAdd={d.myParts.length > 0 && !['REJECTED', 'CLOSED', 'CANCELLED'].includes(o.state)} />
          <Space wrap>
            {can.file && <Button type="primary" onClick={() => setOpen('file')}>{t.wo.file}</Button>}
            {can.file && <Button onClick={() => setOpen('reject')}>{t.wo.reject}</Button>}
            {can.verify && <Button type="primary" loading={verify.fetching} onClick={() => void confirmVerify()}>{t.wo.verify}</Button>}
            {can.verify && <Button onClick={() => setOpen('sendBack')}>{t.wo.sendBack}</Button>}
            {can.close && <Button type="primary" loading={close.fetching} onClick={() => void close.run({ id: o.id })}>{t.wo.close}</Button>}
            {can.reopen && <Button onClick={() => setOpen('reopen')}>{t.wo.reopen}</Button>}
            {can.cancel && <Button danger onClick={() => setOpen('cancel')}>{t.wo.cancel}</Button>}
          </Space>
          {can.dispatch && <Candidates order={o} />}
          <Card title={t.wo.timeline}><OrderTimeline timeline={d.timeline} /></Card>
        </Space>
      )}
      <FileForm order={open === 'file' ? o : undefined} onClose={() => setOpen(undefined)} />
      <RejectForm order={open === 'reject' ? o : undefined} onClose={() => setOpen(undefined)} />
      <NoteForm order={noteMove ? o : undefined} move={noteMove} onClose={() => setOpen(undefined)} />
    </>
  );
}

function OrderFacts({ order: o }: { order: Order }) {
  const t = useT();
  return (
    <Card>
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t.wo.location}>{o.compoundName} · {t.wo.locations[o.locationKind]} · {o.location}</Descriptions.Item>
        <Descriptions.Item label={t.wo.trade}>{t.wo.trades[o.trade]} <Tag color={PRIORITY_COLOUR[o.priority]}>{t.wo.priorities[o.priority]}</Tag></Descriptions.Item>
        <Descriptions.Item label={t.wo.description} span={2}><span className="timeline-note">{o.description}</span></Descriptions.Item>
        <Descriptions.Item label={t.wo.reportedAt}>{moves.when(o.reportedAt)}</Descriptions.Item>
        <Descriptions.Item label={t.wo.resolveBy}>
          {moves.when(o.resolveBy)} {o.overdue && <Tag color="red">{t.wo.overdue}</Tag>}
        </Descriptions.Item>
        {o.rejectedAs && <Descriptions.Item label={t.wo.reason}>{t.wo.rejections[o.rejectedAs]}</Descriptions.Item>}
        {o.bearer && <Descriptions.Item label={t.wo.bearer}>
          {t.wo.bearers[o.bearer]}{o.estimate && <> · {t.fields.estimate} <Yuan fen={o.estimate.fen} /></>}
          {o.awaitsConfirmation && <Typography.Text className="warn"> · {t.wo.awaitsConfirmation}</Typography.Text>}
          {o.chargeConfirmedAt && <Typography.Text type="secondary"> · {t.wo.chargeConfirmed}</Typography.Text>}
        </Descriptions.Item>}
        {o.contractor && <Descriptions.Item label={t.wo.contractor}>{o.contractor.name}{o.contractor.phone ? ` · ${o.contractor.phone}` : ''}</Descriptions.Item>}
        {o.respondBy && o.state === 'DISPATCHED' && <Descriptions.Item label={t.wo.respondBy}>{moves.when(o.respondBy)}</Descriptions.Item>}
        {o.cost && <Descriptions.Item label={t.wo.cost}><Yuan fen={o.cost.fen} /></Descriptions.Item>}
        {o.rating != null && <Descriptions.Item label={t.wo.rating}>{'★'.repeat(o.rating)}{o.ratingComment ? ` ${o.ratingComment}` : ''}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

export function OrderTimeline({ timeline }: { timeline: Detail['timeline'] }) {
  const t = useT();
  return (
    <Timeline items={timeline.map((step) => ({
      key: step.seq,
      color: ['ESCALATE', 'OVERDUE', 'SEND_BACK', 'DECLINE'].includes(step.action) ? 'red' : 'blue',
      children: (
        <>
          <Typography.Text strong>{t.wo.actions[step.action]}</Typography.Text>
          <Typography.Text type="secondary"> · {moves.when(step.at)} · {t.wo.actors[step.actor]}{step.contractor ? ` · ${step.contractor.name}` : ''}</Typography.Text>
          {step.note && <div className="timeline-note">{step.note}</div>}
        </>
      ),
    }))} />
  );
}

type FileValues = { trade: Order['trade']; priority: Order['priority']; bearer: WorkOrderBearer; estimate?: string; note?: string };

function FileForm({ order, onClose }: { order?: Order; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<FileValues>();
  const file = useSubmit(moves.fileDocument, form);
  const bearer = Form.useWatch('bearer', form);
  const onFinish = async (v: FileValues) => Boolean(order && await file.submit({ id: order.id, input: {
    trade: v.trade, priority: v.priority, bearer: v.bearer, estimate: v.bearer === 'HOUSEHOLD' ? v.estimate?.trim() : null, note: v.note?.trim() || null,
  } }));
  const bearers: WorkOrderBearer[] = order?.locationKind === 'HOUSEHOLD' ? ['COMPOUND_BUDGET', 'MAINTENANCE_FUND', 'HOUSEHOLD'] : ['COMPOUND_BUDGET', 'MAINTENANCE_FUND'];
  return (
    <FormDrawer title={`${t.wo.file} · No.${order?.number ?? ''}`} open={Boolean(order)} onClose={onClose} form={form} onFinish={onFinish}
      busy={file.fetching} error={file.error} initialValues={order ? { trade: order.trade, priority: order.priority, bearer: 'COMPOUND_BUDGET' } : undefined}>
      <TradeAndPriority />
      <Form.Item name="bearer" label={t.wo.bearer} rules={[{ required: true, message: t.required }]}>
        <Select options={bearers.map((b) => ({ value: b, label: t.wo.bearers[b] }))} />
      </Form.Item>
      {bearer === 'HOUSEHOLD' && (
        <Form.Item name="estimate" label={t.wo.estimate} extra={t.fieldHints.estimate} rules={[{ required: true, pattern: YUAN, message: t.fieldHints.estimate }]}>
          <Input inputMode="decimal" />
        </Form.Item>
      )}
      <Form.Item name="note" label={t.fields.note}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
    </FormDrawer>
  );
}

function RejectForm({ order, onClose }: { order?: Order; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: WorkOrderRejection; note?: string }>();
  const reject = useSubmit(moves.rejectDocument, form);
  const onFinish = async (v: { reason: WorkOrderRejection; note?: string }) =>
    Boolean(order && await reject.submit({ id: order.id, reason: v.reason, note: v.note?.trim() || null }));
  return (
    <FormDrawer title={`${t.wo.reject} · No.${order?.number ?? ''}`} open={Boolean(order)} onClose={onClose} form={form} onFinish={onFinish}
      busy={reject.fetching} error={reject.error} initialValues={{ reason: 'DUPLICATE' }}>
      <Form.Item name="reason" label={t.wo.reason} rules={[{ required: true, message: t.required }]}>
        <Select options={(['DUPLICATE', 'OUT_OF_SCOPE'] as const).map((r) => ({ value: r, label: t.wo.rejections[r] }))} />
      </Form.Item>
      <Form.Item name="note" label={t.fields.note}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
    </FormDrawer>
  );
}

function NoteForm({ order, move, onClose }: { order?: Order; move?: NoteMove; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string }>();
  const cancel = useSubmit(moves.cancelDocument, form);
  const sendBack = useSubmit(moves.sendBackDocument, form);
  const reopen = useSubmit(moves.reopenDocument, form);
  const run = { cancel, sendBack, reopen }[move ?? 'cancel'];
  const labels = { cancel: [t.wo.cancel, t.wo.cancelReason], sendBack: [t.wo.sendBack, t.wo.sendBackReason], reopen: [t.wo.reopen, t.wo.reopenReason] };
  const [title, label] = labels[move ?? 'cancel'];
  const onFinish = async (v: { note: string }) => Boolean(order && await run.submit({ id: order.id, note: v.note.trim() }));
  return (
    <FormDrawer title={`${title} · No.${order?.number ?? ''}`} open={Boolean(order)} onClose={onClose} form={form} onFinish={onFinish}
      busy={run.fetching} error={run.error}>
      {move === 'reopen' && <Typography.Paragraph type="secondary">{t.wo.reopenWindow}</Typography.Paragraph>}
      <Form.Item name="note" label={label} rules={[{ required: true, whitespace: true, message: t.required }]}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
    </FormDrawer>
  );
}
