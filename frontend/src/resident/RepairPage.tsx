// One repair the resident reported (or that is for their home): its progress, and what they
// may do — agree to pay the estimate, cancel before dispatch, verify or send back the work,
// rate it, reopen it within a week.
import { Button, Rate, TextArea } from 'antd-mobile';
import { useState } from 'react';
import * as moves from '../app/workOrders';
import { useT } from '../i18n';
import { ConfirmAction } from './ConfirmAction';
import { NoteAction } from './NoteAction';
import { OrderPage, type Order } from './orderParts';
import { useMove } from './useMove';

export default function RepairPage() {
  const t = useT();
  return <OrderPage title={t.wo.myRepairs} part="REPORTER" moves={(o) => <ReporterMoves order={o} />} />;
}

function ReporterMoves({ order: o }: { order: Order }) {
  const t = useT();
  const confirm = useMove(moves.confirmChargeDocument);
  const cancel = useMove(moves.cancelDocument);
  const verify = useMove(moves.verifyDocument);
  const sendBack = useMove(moves.sendBackDocument);
  const reopen = useMove(moves.reopenDocument);
  const rate = useMove(moves.rateDocument);
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState('');
  const s = o.state;
  const error = [confirm, cancel, verify, sendBack, reopen, rate].map((m) => m.error).find(Boolean);
  return (
    <div className="moves">
      {o.awaitsConfirmation && (
        <>
          <p className="owing">{t.wo.awaitsConfirmation}</p>
          <ConfirmAction label={t.wo.confirmCharge} question={t.fmt(t.wo.confirmChargeText, o.estimate?.yuan ?? '')}
            busy={confirm.fetching} onConfirm={() => confirm.run({ id: o.id })} />
        </>
      )}
      {s === 'COMPLETED' && (
        <>
          <ConfirmAction label={t.wo.verify} question={t.wo.verifyConfirm} busy={verify.fetching}
            onConfirm={() => verify.run({ id: o.id, note: null })} />
          <NoteAction label={t.wo.sendBack} prompt={t.wo.sendBackReason} busy={sendBack.fetching} onSend={(note) => sendBack.run({ id: o.id, note })} />
        </>
      )}
      {(s === 'VERIFIED' || s === 'CLOSED') && o.rating == null && (
        <div className="card">
          <p>{t.wo.rate}</p>
          <Rate value={stars} onChange={setStars} aria-label={t.wo.stars} />
          <TextArea value={comment} onChange={setComment} rows={2} maxLength={500} placeholder={t.wo.comment} aria-label={t.wo.comment} />
          <Button block color="primary" size="large" loading={rate.fetching}
            onClick={() => void rate.run({ id: o.id, stars, comment: comment.trim() || null })}>{t.wo.rate}</Button>
        </div>
      )}
      {o.rating != null && <p className="muted">{t.wo.rated} {'★'.repeat(o.rating)}</p>}
      {(s === 'VERIFIED' || s === 'CLOSED') && (
        <NoteAction label={t.wo.reopen} prompt={`${t.wo.reopenReason}（${t.wo.reopenWindow}）`} busy={reopen.fetching} onSend={(note) => reopen.run({ id: o.id, note })} />
      )}
      {(s === 'REPORTED' || s === 'FILED') && (
        <NoteAction danger label={t.wo.cancel} prompt={t.wo.cancelReason} busy={cancel.fetching} onSend={(note) => cancel.run({ id: o.id, note })} />
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
