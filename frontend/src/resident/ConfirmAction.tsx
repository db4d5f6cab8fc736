// A move to think twice about (agreeing to pay, accepting the work): the button opens the
// question in plain words on the page, with the answer next to it — no pop-up to miss.
import { Button } from 'antd-mobile';
import { useState } from 'react';
import { useT } from '../i18n';

export function ConfirmAction({ label, question, busy, onConfirm }: {
  label: string; question: string; busy: boolean; onConfirm: () => Promise<boolean>;
}) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  if (!asking) return <Button block color="primary" size="large" onClick={() => setAsking(true)}>{label}</Button>;
  return (
    <div className="card confirm-action" role="group" aria-label={label}>
      <p>{question}</p>
      <Button block color="primary" size="large" loading={busy}
        onClick={async () => { if (await onConfirm()) setAsking(false); }}>{t.wo.yesLabel.replace('{n}', label)}</Button>
      <Button block fill="none" onClick={() => setAsking(false)}>{t.cancel}</Button>
    </div>
  );
}
