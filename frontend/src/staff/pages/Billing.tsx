// The accountant's month: bill it (with the run's progress shown live), claim the subsidies
// for waivers, and follow online payments and their refunds.
import { Alert, Button, Card, Form, Input, Progress, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { RunBillingMutation } from '../../gql/graphql';
import { useT } from '../../i18n';
import { thisMonth } from '../../money';
import { PERIOD } from '../forms/FeeScheduleForm';
import { DataTable, FormError, PageTitle, Yuan } from '../ui';
import { useSubmit } from '../useSubmit';
import { OnlinePayments } from './billing/OnlinePayments';
import { SubsidyClaim } from './billing/SubsidyClaim';

const runBilling = graphql(`
  mutation RunBilling($input: RunBillingInput!) {
    runBilling(input: $input) { runId households invoiced skippedAlreadyInvoiced skippedNoSchedule totalDue { fen } }
  }
`);

const runsDocument = graphql(`
  query BillingRuns {
    billingRuns { id period status total processed invoiced { fen } startedAt }
  }
`);

const runChangedDocument = graphql(`
  subscription BillingRunChanged {
    billingRunChanged { id period status total processed invoiced { fen } startedAt }
  }
`);

export default function BillingPage() {
  const t = useT();
  const [form] = Form.useForm<{ period: string }>();
  const run = useSubmit(runBilling, form);
  const [result, setResult] = useState<RunBillingMutation['runBilling']>();
  const [period, setPeriod] = useState(thisMonth());
  const start = async ({ period: p }: { period: string }) => {
    setResult(undefined);
    setPeriod(p);
    const res = await run.submit({ input: { period: p } });
    if (res) setResult(res.runBilling);
  };
  return (
    <>
      <PageTitle title={t.billing} />
      <Card className="section">
        <FormError message={run.error} />
        <Form form={form} layout="inline" onFinish={start} initialValues={{ period }}>
          <Form.Item name="period" label={t.period} rules={[{ required: true, pattern: PERIOD, message: t.fieldHints.period }]}>
            <Input name="period" style={{ width: 120 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={run.fetching}>{run.fetching ? t.running : t.runBilling}</Button>
        </Form>
        {result && (
          <Alert type="success" showIcon role="status" style={{ marginTop: 16 }}
            title={<>
              {t.fmt(t.runResult, result.invoiced)} <Yuan fen={result.totalDue.fen} />
              {result.skippedAlreadyInvoiced > 0 && ` · ${t.fmt(t.alreadyBilled, result.skippedAlreadyInvoiced)}`}
              {result.skippedNoSchedule > 0 && ` · ${t.fmt(t.noSchedule, result.skippedNoSchedule)}`}
            </>} />
        )}
      </Card>
      <Runs />
      <SubsidyClaim period={period} />
      <OnlinePayments />
      <Card className="section"><Link to="/compounds">{t.compounds} →</Link></Card>
    </>
  );
}

/** The latest runs, live: a run started here or anywhere else shows its progress batch by batch. */
function Runs() {
  const t = useT();
  const [{ data }] = useQuery({ query: runsDocument, requestPolicy: 'network-only' });
  useSubscription({ query: runChangedDocument });
  const runs = data?.billingRuns ?? [];
  if (runs.length === 0) return null;
  return (
    <Card title={t.billingRuns} className="section">
      <DataTable rowKey="id" size="small" className="runs" pagination={false} dataSource={runs}
        columns={[
          { title: t.month, render: (_, r) => <Space>{r.period}<span className="muted">{r.startedAt.slice(0, 16).replace('T', ' ')}</span></Space> },
          { title: t.runStatus, render: (_, r) => <span className={r.status === 'INTERRUPTED' ? 'owing' : undefined}>{t.runStatuses[r.status]}</span> },
          { title: t.progress, render: (_, r) => <Progress percent={r.total ? Math.floor((r.processed * 100) / r.total) : 100} size="small" status="normal" aria-label={t.progress} format={() => `${r.processed}/${r.total}`} /> },
          { title: t.billed, align: 'right', render: (_, r) => <Yuan fen={r.invoiced.fen} /> },
        ]} />
    </Card>
  );
}
