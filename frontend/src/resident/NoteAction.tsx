// A move that needs a few words (why it is declined, what is still wrong): a button that
// opens a text box and sends it.
import { Button, TextArea } from 'antd-mobile';
import { useState } from 'react';
import { useT } from '../i18n';

export function NoteAction({ label, prompt, busy, onSend, danger }: {
  label: string; prompt: string; busy: boolean; onSend: (note: string) => Promise<boolean>; danger?: boolean;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  if (!open) return <Button block size="large" color={danger ? 'danger' : 'default'} onClick={() => setOpen(true)}>{label}</Button>;
  return (
    <div className="card note-action">
      <label>{prompt}<TextArea value={note} onChange={setNote} rows={3} maxLength={500} /></label>
      <Button block size="large" color={danger ? 'danger' : 'primary'} loading={busy} disabled={!note.trim()}
        onClick={async () => { if (await onSend(note.trim())) setOpen(false); }}>{label}</Button>
      <Button block fill="none" onClick={() => setOpen(false)}>{t.cancel}</Button>
    </div>
  );
}
