// A resolution's scan (the signed paper, as a PDF or a photograph): opened by whoever reads
// the compound's books; attached once by a book-keeper (the server tells the file by its
// content and never replaces it).
import { App, Button, Typography, Upload } from 'antd';
import { describe, type ApiError } from '../../../app/errors';
import { download } from '../../../app/files';
import { useT } from '../../../i18n';
import { usePostFile } from '../../useSubmit';

type Props = { resolution: { id: string; documentNo: string; scanType?: string | null }; canAttach: boolean; onAttached: () => void };

export function ResolutionScan({ resolution: r, canAttach, onAttached }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const upload = usePostFile<{ id: string; scanType: string }>();
  const url = `/income/resolutions/${r.id}/scan`;
  if (r.scanType) {
    const open = () => download(url, r.documentNo)
      .catch((e: ApiError) => message.error(describe(e, t)));
    return <Button type="link" onClick={() => void open()}>{t.viewScan}</Button>;
  }
  if (!canAttach) return <span className="muted">—</span>;
  const attach = async (file: File) => {
    const done = await upload.post(url, file);
    if (done) {
      void message.success(t.scanAttached);
      onAttached();
    }
  };
  return (
    <>
      <Upload accept=".pdf,.jpg,.jpeg,.png" showUploadList={false} beforeUpload={(f) => { void attach(f); return false; }}>
        <Button type="link" loading={upload.busy}>{t.attachScan}</Button>
      </Upload>
      {upload.error && <Typography.Text type="danger" role="alert">{upload.error}</Typography.Text>}
    </>
  );
}
