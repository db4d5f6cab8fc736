// A household's invite code as a printable card: its QR code opens the sign-up page with the
// firm and the code filled in. The code is shown once; issuing again replaces it.
import { Button, Modal, QRCode, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../../app/me';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n';
import { FormError } from '../../ui';
import { useSubmit } from '../../useSubmit';
import type { HouseholdData } from '../Household';

const issueInvite = graphql(`
  mutation IssueInviteCode($id: ID!) { issueInviteCode(householdId: $id) { code expiresAt } }
`);

export function joinUrl(firm: string, code: string): string {
  return `${location.origin}/join/?firm=${encodeURIComponent(firm)}&code=${encodeURIComponent(code)}`;
}

export function InviteCard({ household: h }: { household: HouseholdData }) {
  const t = useT();
  const me = useMe();
  const issue = useSubmit(issueInvite);
  const [invite, setInvite] = useState<{ code: string; expiresAt: string }>();
  const open = async () => {
    const res = await issue.submit({ id: h.id });
    if (res) setInvite(res.issueInviteCode);
  };
  const url = invite ? joinUrl(me.tenant.slug, invite.code) : '';
  return (
    <>
      <Button onClick={open} loading={issue.fetching}>{t.inviteCard}</Button>
      <FormError message={issue.error} />
      <Modal open={Boolean(invite)} onCancel={() => setInvite(undefined)} title={t.inviteCard}
        footer={[<Button key="print" type="primary" onClick={() => window.print()}>{t.print}</Button>]}>
        {invite && (
          <div className="invite-card print-area">
            <Typography.Title level={4}>{me.tenant.name}</Typography.Title>
            <p className="big">{h.compound?.name} {h.building?.label} {h.unit}{h.room}</p>
            <QRCode value={url} size={200} />
            <p>{t.inviteScan}</p>
            <p>{t.fields.tenant}{t.colon}<strong className="mono">{me.tenant.slug}</strong></p>
            <p>{t.fields.code}{t.colon}<strong className="mono code" data-testid="invite-code">{invite.code}</strong></p>
            <p className="muted">{t.fmt(t.validUntil, invite.expiresAt.slice(0, 10))}</p>
          </div>
        )}
      </Modal>
    </>
  );
}
