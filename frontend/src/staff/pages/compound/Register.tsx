// A compound's household register as a spreadsheet (the columns firms keep in Excel: building,
// unit, room, area, owner, phone): export it, or import one — checked row by row first, and
// written only when no row has a problem.
import { Alert, App, Button, Modal, Space, Upload } from 'antd';
import { useState } from 'react';
import { describe, fieldLabel, type ApiError } from '../../../app/errors';
import { download } from '../../../app/files';
import { useT, type Words } from '../../../i18n';
import { DataTable } from '../../ui';
import { usePostFile } from '../../useSubmit';

type Problem = { row: number; field: string | null; code: string; message: string };
type Report = { rows: number; households: number; buildings: number; written: boolean; problems: Problem[] };

function problemText(p: Problem, t: Words): string {
  const known = t.registerProblems[p.code as keyof Words['registerProblems']];
  if (p.code === 'INVALID' && p.field) return t.fieldHints[p.field as keyof Words['fieldHints']] ?? t.errors.checkField;
  return known ?? p.message;
}

export function RegisterButtons({ compoundId, onImported }: { compoundId: string; onImported: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const exportAs = (format: 'xlsx' | 'csv') =>
    download(`/households/export?compoundId=${compoundId}&format=${format}`, `households.${format}`).catch((e: ApiError) =>
      message.error(describe(e, t)),
    );
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t.importRegister}</Button>
      <Button onClick={() => void exportAs('xlsx')}>{t.exportAs} XLSX</Button>
      <Button onClick={() => void exportAs('csv')}>{t.exportAs} CSV</Button>
      {open && <ImportDialog compoundId={compoundId} onClose={() => setOpen(false)} onImported={onImported} />}
    </>
  );
}

function ImportDialog({ compoundId, onClose, onImported }: { compoundId: string; onClose: () => void; onImported: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<Report>();
  const upload = usePostFile<Report>();
  const run = async (commit: boolean) => {
    if (!file) return;
    const r = await upload.post(`/households/import?compoundId=${compoundId}&commit=${commit}`, file);
    if (!r) return;
    setReport(r);
    if (r.written) {
      void message.success(t.fmt(t.imported, r.households));
      onImported();
      onClose();
    }
  };
  const clean = report && report.problems.length === 0;
  return (
    <Modal open title={t.importRegister} onCancel={onClose} width={720}
      footer={
        <Space>
          <Button onClick={onClose}>{t.cancel}</Button>
          {clean
            ? <Button type="primary" loading={upload.busy} onClick={() => void run(true)}>{t.fmt(t.importConfirm, report.households)}</Button>
            : <Button type="primary" loading={upload.busy} disabled={!file} onClick={() => void run(false)}>{t.checkFile}</Button>}
        </Space>
      }>
      <p>{t.registerHint}</p>
      <Upload.Dragger accept=".xlsx,.csv" maxCount={1} beforeUpload={(f) => { setFile(f); setReport(undefined); return false; }}
        onRemove={() => { setFile(undefined); setReport(undefined); }}>
        <p>{t.chooseFile}</p>
      </Upload.Dragger>
      {upload.error && <Alert type="error" showIcon title={upload.error} role="alert" style={{ marginTop: 16 }} />}
      {report && clean && (
        <Alert type="success" showIcon role="status" style={{ marginTop: 16 }}
          title={t.registerReady.replace('{households}', String(report.households)).replace('{buildings}', String(report.buildings))} />
      )}
      {report && !clean && (
        <>
          <Alert type="error" showIcon role="alert" style={{ marginTop: 16 }} title={t.fmt(t.registerProblemsFound, report.problems.length)} />
          <DataTable rowKey={(p) => `${p.row}:${p.field}:${p.code}`} size="small" pagination={{ pageSize: 20 }} dataSource={report.problems}
            className="register-problems"
            columns={[
              { title: t.row, dataIndex: 'row' },
              { title: t.column, render: (_, p) => (p.field ? fieldLabel(p.field, t) : '—') },
              { title: t.problem, render: (_, p) => problemText(p, t) },
            ]} />
        </>
      )}
    </Modal>
  );
}
