// Temporary parking takings from the parking system's export (CSV or Excel): the columns are
// chosen once per compound (guessed from the headings the first time), every row is checked
// and each day compared with what is recorded, and only a clean file is imported. The same
// rows imported again change nothing.
import { Alert, App, Button, Form, Modal, Select, Space, Tag, Upload } from 'antd';
import { useState } from 'react';
import { fieldLabel } from '../../../app/errors';
import type { PaymentMethod } from '../../../gql/graphql';
import { useT, type Words } from '../../../i18n';
import { METHODS } from '../../forms/CommonIncomeForm';
import { DataTable, Yuan } from '../../ui';
import { usePostFile } from '../../useSubmit';

type Mapping = { dateColumn: string; amountColumn: string; referenceColumn: string | null };
type Day = { date: string; fen: number; rows: number; status: 'NEW' | 'IMPORTED' | 'DIFFERS' };
type Problem = { row: number; field: string; code: string; message: string };
type Report = { columns: string[]; mapping: Mapping | null; rows: number; written: boolean; days: Day[]; problems: Problem[] };

function problemText(p: Problem, t: Words): string {
  return t.takingsProblems[p.code as keyof Words['takingsProblems']] ?? p.message;
}

export function TakingsImport({ compoundId, onImported }: { compoundId: string; onImported: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t.importTakings}</Button>
      {open && <TakingsDialog compoundId={compoundId} onClose={() => setOpen(false)} onImported={onImported} />}
    </>
  );
}

function TakingsDialog({ compoundId, onClose, onImported }: { compoundId: string; onClose: () => void; onImported: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<Report>();
  const [mapping, setMapping] = useState<Mapping>();
  const [method, setMethod] = useState<PaymentMethod>('QR_TRANSFER');
  const upload = usePostFile<Report>();
  const run = async (commit: boolean) => {
    if (!file) return;
    const q = new URLSearchParams({ compoundId, commit: String(commit), method });
    if (mapping) {
      q.set('dateColumn', mapping.dateColumn);
      q.set('amountColumn', mapping.amountColumn);
      if (mapping.referenceColumn) q.set('referenceColumn', mapping.referenceColumn);
    }
    const r = await upload.post(`/income/takings/import?${q}`, file);
    if (!r) return;
    setReport(r);
    if (r.mapping) setMapping(r.mapping);
    if (r.written) {
      void message.success(t.fmt(t.takingsImported, r.days.filter((d) => d.status === 'NEW').length));
      onImported();
      onClose();
    }
  };
  const fresh = report?.days.filter((d) => d.status === 'NEW').length ?? 0;
  const clean = report && report.problems.length === 0;
  const columns = (report?.columns ?? []).map((c) => ({ value: c, label: c }));
  const choose = (k: keyof Mapping) => (v: string | undefined) => {
    setMapping((m) => ({ dateColumn: '', amountColumn: '', referenceColumn: null, ...m, [k]: v ?? null }));
    setReport((r) => r && { ...r, problems: [{ row: 1, field: k, code: 'RECHECK', message: '' }] });
  };
  const statusTag = { NEW: 'blue', IMPORTED: 'default', DIFFERS: 'red' } as const;
  return (
    <Modal open title={t.importTakings} onCancel={onClose} width={760}
      footer={
        <Space>
          <Button onClick={onClose}>{t.cancel}</Button>
          {clean && fresh > 0
            ? <Button type="primary" loading={upload.busy} onClick={() => void run(true)}>{t.fmt(t.takingsConfirm, fresh)}</Button>
            : <Button type="primary" loading={upload.busy} disabled={!file} onClick={() => void run(false)}>{t.checkFile}</Button>}
        </Space>
      }>
      <p>{t.takingsHint}</p>
      <Upload.Dragger accept=".csv,.xlsx" maxCount={1} beforeUpload={(f) => { setFile(f); setReport(undefined); return false; }}
        onRemove={() => { setFile(undefined); setReport(undefined); }}>
        <p>{t.chooseFile}</p>
      </Upload.Dragger>
      <Form layout="inline" style={{ marginTop: 16, rowGap: 8 }}>
        <Form.Item label={t.method}>
          <Select value={method} onChange={setMethod} style={{ width: 130 }} options={METHODS.map((m) => ({ value: m, label: t.methods[m] }))} />
        </Form.Item>
        {report && report.columns.length > 0 && (
          <>
            <Form.Item label={t.fields.dateColumn}>
              <Select value={mapping?.dateColumn || undefined} onChange={choose('dateColumn')} options={columns} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item label={t.fields.amountColumn}>
              <Select value={mapping?.amountColumn || undefined} onChange={choose('amountColumn')} options={columns} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item label={t.fields.referenceColumn}>
              <Select allowClear value={mapping?.referenceColumn ?? undefined} onChange={choose('referenceColumn')} options={columns} style={{ width: 140 }} />
            </Form.Item>
          </>
        )}
      </Form>
      {upload.error && <Alert type="error" showIcon title={upload.error} role="alert" style={{ marginTop: 16 }} />}
      {report && clean && (
        <Alert type="success" showIcon role="status" style={{ marginTop: 16 }}
          title={fresh > 0 ? t.fmt(t.takingsReady, fresh) : t.takingsNothingNew} />
      )}
      {report && !clean && report.problems.some((p) => p.code !== 'RECHECK') && (
        <>
          <Alert type="error" showIcon role="alert" style={{ marginTop: 16 }} title={t.fmt(t.registerProblemsFound, report.problems.length)} />
          <DataTable rowKey={(p) => `${p.row}:${p.field}:${p.code}`} size="small" pagination={{ pageSize: 10 }} dataSource={report.problems}
            columns={[
              { title: t.row, dataIndex: 'row' },
              { title: t.column, render: (_, p) => fieldLabel(p.field, t) },
              { title: t.problem, render: (_, p) => problemText(p, t) },
            ]} />
        </>
      )}
      {report && report.days.length > 0 && (
        <DataTable rowKey="date" size="small" pagination={{ pageSize: 10, hideOnSinglePage: true }} dataSource={report.days} style={{ marginTop: 16 }}
          columns={[
            { title: t.fields.receivedOn, dataIndex: 'date', className: 'nowrap' },
            { title: t.amount, align: 'right', render: (_, d) => <Yuan fen={d.fen} /> },
            { title: t.takingsRows, dataIndex: 'rows', align: 'right' },
            { title: t.status, render: (_, d) => <Tag color={statusTag[d.status]}>{t.takingsStatuses[d.status]}</Tag> },
          ]} />
      )}
    </Modal>
  );
}
