// One matter opened in place: its text, its certificate once counted (printable), who has
// voted, the roll with paper-ballot entry while it takes ballots, and the published receipts.
import { App, Button, Descriptions, Select, Space, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { BallotChoice, MatterDetailQuery, MatterState, VoteOutcome } from '../../../gql/graphql';
import { describe, type ApiError } from '../../../app/errors';
import { download } from '../../../app/files';
import { useT } from '../../../i18n';
import { DataTable, QueryError } from '../../ui';
import { usePostFile } from '../../useSubmit';

const matterDocument = graphql(`
  query MatterDetail($id: ID!, $roll: Boolean!, $counted: Boolean!) {
    matter(id: $id) {
      id title body kind rule state secret closesAt closedAt publicityUntil outcome
      roll { owners area } participation { owners area }
      yes { owners area } no { owners area } abstain { owners area }
      voters @include(if: $roll) { voterNo name developer units area { area } ballot { choice channel castAt enteredBy scanPath } }
      receipts @include(if: $counted) { receipt choice areaCenti }
    }
  }
`);

type Matter = MatterDetailQuery['matter'];
type Voter = NonNullable<Matter['voters']>[number];
export const OUTCOME_COLOUR: Record<VoteOutcome, string> = { PASSED: 'green', REJECTED: 'red', NO_QUORUM: 'orange' };
const CHOICES: BallotChoice[] = ['YES', 'NO', 'ABSTAIN'];

type Props = { id: string; state: MatterState; enters: boolean };

/** `state` as the list read it; `enters`: the reader runs the vote or enters its ballots. */
export function MatterDetail({ id, state, enters }: Props) {
  const t = useT();
  const [{ data, error }, refetch] = useQuery({
    query: matterDocument,
    variables: { id, roll: enters && state !== 'DRAFT', counted: state === 'CLOSED' },
  });
  const certificate = useRef<HTMLDivElement>(null);
  const m = data?.matter;
  if (!m) return <QueryError error={error} />;
  const count = (c?: { owners: number; area: string } | null) =>
    c ? `${t.fmt(t.gv.owners, c.owners)} · ${t.fmt(t.gv.area, c.area)}` : '—';
  return (
    <div className="matter-detail">
      <QueryError error={error} />
      <Typography.Paragraph className="timeline-note">{m.body}</Typography.Paragraph>
      <div ref={certificate}>
      <Descriptions size="small" column={1} bordered title={m.state === 'CLOSED' ? t.gv.certificate : undefined}
        extra={m.state === 'CLOSED' && <Button className="no-print" onClick={() => printOnly(certificate.current)}>{t.gv.print}</Button>}>
        <Descriptions.Item label={t.fields.title}>{m.title}</Descriptions.Item>
        <Descriptions.Item label={t.gv.kind}>{t.gv.kinds[m.kind]}</Descriptions.Item>
        <Descriptions.Item label={t.gv.rule}>{t.gv.rules[m.rule]}</Descriptions.Item>
        <Descriptions.Item label={t.gv.rollTotal}>{count(m.roll)}</Descriptions.Item>
        <Descriptions.Item label={t.gv.participation}>{m.state === 'DRAFT' ? '—' : count(m.participation)}</Descriptions.Item>
        {m.state === 'CLOSED' && CHOICES.map((c) => (
          <Descriptions.Item key={c} label={t.gv.choices[c]}>{count(m[c === 'YES' ? 'yes' : c === 'NO' ? 'no' : 'abstain'])}</Descriptions.Item>
        ))}
        {m.outcome && (
          <Descriptions.Item label={t.gv.result}><Tag color={OUTCOME_COLOUR[m.outcome]}>{t.gv.outcomes[m.outcome]}</Tag></Descriptions.Item>
        )}
        {m.publicityUntil && <Descriptions.Item label={t.gv.publicityUntil}>{m.publicityUntil}</Descriptions.Item>}
      </Descriptions>
      </div>
      {m.voters && (
        <DataTable<Voter>
          rowKey="voterNo" size="small" pagination={{ pageSize: 50, hideOnSinglePage: true }} dataSource={m.voters}
          title={() => t.gv.roll}
          columns={[
            { title: t.gv.voterNo, dataIndex: 'voterNo', width: 70 },
            { title: t.fields.name, render: (_, v) => (v.developer ? t.gv.developer : v.name) },
            { title: t.gv.units, dataIndex: 'units', width: 70 },
            { title: t.fields.area, render: (_, v) => v.area.area },
            {
              title: t.gv.participation,
              render: (_, v) => v.ballot ? <Cast voter={v} /> : <span className="muted">{t.gv.notVoted}</span>,
            },
            {
              title: '',
              render: (_, v) => m.state === 'OPEN' && dayjs().isBefore(m.closesAt) && (
                <PaperBallot matterId={m.id} voter={v} onEntered={() => refetch({ requestPolicy: 'network-only' })} />
              ),
            },
          ]}
        />
      )}
      {m.receipts && (
        <>
          <Typography.Title level={5}>{t.gv.receipts}</Typography.Title>
          <Typography.Paragraph type="secondary">{t.gv.receiptsHint}</Typography.Paragraph>
          <DataTable rowKey="receipt" size="small" pagination={{ pageSize: 50, hideOnSinglePage: true }} dataSource={m.receipts}
            columns={[
              { title: t.gv.receipt, dataIndex: 'receipt', className: 'mono' },
              { title: t.fields.choice, render: (_, r) => t.gv.choices[r.choice] },
              { title: t.fields.area, render: (_, r) => (r.areaCenti / 100).toFixed(2) },
            ]} />
        </>
      )}
    </div>
  );
}

/** Prints `el` alone (the certificate), not the console around it. */
function printOnly(el: HTMLElement | null) {
  if (!el) return;
  el.classList.add('print-this');
  document.body.classList.add('print-one');
  window.print();
  document.body.classList.remove('print-one');
  el.classList.remove('print-this');
}

/** How a voter voted (on a secret vote only that they did), who entered a paper ballot, and
 * its scan to open. */
function Cast({ voter }: { voter: Voter }) {
  const t = useT();
  const { message } = App.useApp();
  const b = voter.ballot;
  if (!b) return null;
  const open = (path: string) => download(path, `ballot-${voter.voterNo}`)
    .catch((e: ApiError) => message.error(describe(e, t)));
  return (
    <Space size={4} wrap>
      <span>{b.choice ? t.gv.choices[b.choice] : '✓'} · {t.gv.channels[b.channel]}</span>
      {b.enteredBy && <span className="muted">{t.fmt(t.gv.enteredBy, b.enteredBy)}</span>}
      {b.scanPath && <Button type="link" size="small" onClick={() => void open(b.scanPath ?? '')}>{t.viewScan}</Button>}
    </Space>
  );
}

/** A paper ballot for one voter: the choice marked on it, then its scan. */
function PaperBallot({ matterId, voter, onEntered }: { matterId: string; voter: Voter; onEntered: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [choice, setChoice] = useState<BallotChoice>();
  const upload = usePostFile<{ receipt: string }>();
  const send = async (file: File) => {
    if (!choice) return;
    const url = `/matters/${matterId}/paper-ballots?voterNo=${voter.voterNo}&choice=${choice.toLowerCase()}`;
    if (await upload.post(url, file)) {
      void message.success(t.gv.entered);
      setChoice(undefined);
      onEntered();
    }
  };
  return (
    <Space wrap>
      <Select<BallotChoice> size="small" placeholder={t.gv.enterPaper} value={choice} onChange={setChoice} style={{ width: 150 }}
        aria-label={`${t.gv.enterPaper} ${voter.voterNo}`}
        options={CHOICES.map((c) => ({ value: c, label: t.gv.choices[c] }))} />
      <Upload accept=".pdf,.jpg,.jpeg,.png" showUploadList={false} disabled={!choice}
        beforeUpload={(f) => { void send(f); return false; }}>
        <Button size="small" disabled={!choice} loading={upload.busy} title={t.gv.scanHint}>{t.attachScan}</Button>
      </Upload>
      {upload.error && <Typography.Text type="danger" role="alert">{upload.error}</Typography.Text>}
    </Space>
  );
}
