// One budget opened in place: where it stands in the seven steps and what may be done next,
// its latest version with each earlier one's changes, the dated record of its steps, the
// supervision group, the lines against the books once implemented, and residents' questions
// with the committee's public answers.
import { Button, Collapse, Descriptions, Form, Input, Space, Steps, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { BudgetDetailQuery, BudgetStep } from '../../../gql/graphql';
import { useT } from '../../../i18n';
import { yuan } from '../../../money';
import { BudgetLinesForm } from '../../forms/BudgetLinesForm';
import { BudgetStepForm, STEPS } from '../../forms/BudgetStepForm';
import { DataTable, FormError, QueryError, Yuan } from '../../ui';
import { useSubmit } from '../../useSubmit';

const budgetDocument = graphql(`
  query BudgetDetail($id: ID!) {
    budget(id: $id) {
      budget { id year step stepNumber }
      versions {
        number note createdAt income { fen } expense { fen } balance { fen }
        lines { category income amount { fen yuan } }
        changes { category before { fen } after { fen } }
      }
      steps { from to back note reviewer at }
      supervisors
      questions { id question askedAt answer answeredAt }
      actuals { category income budgeted { fen } actual { fen } }
    }
  }
`);
const answerDocument = graphql(`
  mutation AnswerBudgetQuestion($id: ID!, $answer: String!) { answerBudgetQuestion(id: $id, answer: $answer) { id answer answeredAt } }
`);

type Detail = BudgetDetailQuery['budget'];
type Version = Detail['versions'][number];
type Question = Detail['questions'][number];
type Actual = NonNullable<Detail['actuals']>[number];
const BACK_FROM: BudgetStep[] = ['DISCUSSION', 'REVIEW', 'VOTE'];

type Props = { id: string; compoundId: string; runs: boolean; onMoved: () => void };

export function BudgetDetail({ id, compoundId, runs, onMoved }: Props) {
  const t = useT();
  const [{ data, error }, refetch] = useQuery({ query: budgetDocument, variables: { id } });
  const [form, setForm] = useState<'revise' | 'advance' | 'back'>();
  const d = data?.budget;
  if (!d) return <QueryError error={error} />;
  const b = d.budget;
  const latest = d.versions.at(-1);
  const next = STEPS[b.stepNumber];
  const closeForm = () => { setForm(undefined); refetch({ requestPolicy: 'network-only' }); onMoved(); };
  return (
    <div className="budget-detail">
      <Steps size="small" current={b.stepNumber - 1} items={STEPS.map((s) => ({ title: t.bd.steps[s] }))} />
      {runs && (
        <Space wrap className="section">
          {(b.step === 'DRAFTING' || b.step === 'DISCUSSION') && <Button onClick={() => setForm('revise')}>{t.bd.revise}</Button>}
          {next && <Button type="primary" onClick={() => setForm('advance')}>{t.fmt(t.bd.advance, t.bd.steps[next])}</Button>}
          {BACK_FROM.includes(b.step) && <Button danger onClick={() => setForm('back')}>{t.bd.back}</Button>}
        </Space>
      )}
      {latest ? <VersionCard v={latest} /> : <p className="muted">{t.bd.noLines}</p>}
      {d.versions.length > 1 && (
        <Collapse size="small" items={d.versions.slice(0, -1).reverse().map((v) => ({
          key: v.number, label: t.fmt(t.bd.version, v.number), children: <VersionCard v={v} />,
        }))} />
      )}
      {d.actuals && <Actuals rows={d.actuals} final={b.step === 'FINAL_ACCOUNTS'} />}
      {d.supervisors.length > 0 && (
        <Descriptions size="small" column={1} className="section">
          <Descriptions.Item label={t.bd.supervisors}>{d.supervisors.join('、')}</Descriptions.Item>
        </Descriptions>
      )}
      <Typography.Title level={5}>{t.bd.record}</Typography.Title>
      <Timeline items={d.steps.map((s) => ({
        color: s.back ? 'red' : 'green',
        children: (
          <>
            <strong>{t.bd.steps[s.from]} → {t.bd.steps[s.to]}</strong> {s.back && <Tag color="red">{t.bd.backTag}</Tag>}
            <span className="muted"> {dayjs(s.at).format('YYYY-MM-DD HH:mm')}</span>
            {s.reviewer && <div>{t.bd.reviewer}{t.colon}{s.reviewer}</div>}
            {s.note && <div className="timeline-note">{s.note}</div>}
          </>
        ),
      }))} />
      <Questions list={d.questions} runs={runs} onAnswered={() => refetch({ requestPolicy: 'network-only' })} />
      <BudgetLinesForm open={form === 'revise'} onClose={closeForm} budgetId={id} latest={latest} />
      <BudgetStepForm open={form === 'advance' || form === 'back'} back={form === 'back'} onClose={closeForm}
        budget={b} compoundId={compoundId} />
    </div>
  );
}

function VersionCard({ v }: { v: Version }) {
  const t = useT();
  return (
    <div className="section">
      <Typography.Text strong>{t.fmt(t.bd.version, v.number)}</Typography.Text>
      <span className="muted"> {dayjs(v.createdAt).format('YYYY-MM-DD')} {v.note}</span>
      <DataTable<Version['lines'][number]>
        rowKey="category" size="small" pagination={false} dataSource={v.lines}
        columns={[
          { title: t.bd.category, render: (_, l) => <>{t.bd.categories[l.category]} <Tag>{l.income ? t.bd.income : t.bd.expense}</Tag></> },
          { title: t.bd.amount, align: 'right', render: (_, l) => <Yuan fen={l.amount.fen} /> },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{t.bd.income} <Yuan fen={v.income.fen} /> · {t.bd.expense} <Yuan fen={v.expense.fen} /></Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">{t.bd.balance} <Yuan fen={v.balance.fen} /></Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      {v.changes.length > 0 && (
        <p className="muted">{t.bd.changes}{t.colon}{v.changes.map((c) => `${t.bd.categories[c.category]} ${
          !c.before ? `${t.bd.added} ${yuan(c.after?.fen ?? 0)}` : !c.after ? t.bd.removed : `${yuan(c.before.fen)} → ${yuan(c.after.fen)}`}`).join(t.listSep)}</p>
      )}
    </div>
  );
}

function Actuals({ rows, final }: { rows: Actual[]; final: boolean }) {
  const t = useT();
  return (
    <DataTable<Actual>
      className="section" rowKey="category" size="small" pagination={false} dataSource={rows}
      title={() => (final ? t.bd.finalAccounts : t.bd.actuals)}
      columns={[
        { title: t.bd.category, render: (_, a) => t.bd.categories[a.category] },
        { title: t.bd.budgeted, align: 'right', render: (_, a) => <Yuan fen={a.budgeted.fen} /> },
        { title: t.bd.actual, align: 'right', render: (_, a) => (a.actual ? <Yuan fen={a.actual.fen} /> : <span className="muted">{t.bd.notInLedger}</span>) },
        { title: t.bd.difference, align: 'right', render: (_, a) => (a.actual ? <Yuan fen={a.actual.fen - a.budgeted.fen} /> : '—') },
      ]}
    />
  );
}

function Questions({ list, runs, onAnswered }: { list: Question[]; runs: boolean; onAnswered: () => void }) {
  const t = useT();
  return (
    <div className="section">
      <Typography.Title level={5}>{t.bd.questions}</Typography.Title>
      {list.length === 0 && <p className="muted">{t.bd.noQuestions}</p>}
      {list.map((q) => (
        <div key={q.id} className="card">
          <p><strong>{q.question}</strong> <span className="muted">{dayjs(q.askedAt).format('YYYY-MM-DD')}</span></p>
          {q.answer
            ? <p>{t.bd.answer}{t.colon}{q.answer} <span className="muted">{dayjs(q.answeredAt).format('YYYY-MM-DD')}</span></p>
            : runs ? <AnswerForm id={q.id} onAnswered={onAnswered} /> : <Tag>{t.bd.unanswered}</Tag>}
        </div>
      ))}
    </div>
  );
}

function AnswerForm({ id, onAnswered }: { id: string; onAnswered: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ answer: string }>();
  const answer = useSubmit(answerDocument, form);
  const onFinish = async (v: { answer: string }) => {
    if (await answer.submit({ id, answer: v.answer.trim() })) onAnswered();
  };
  return (
    <Form form={form} layout="inline" onFinish={onFinish} name={`answer-${id}`}>
      <Form.Item name="answer" rules={[{ required: true, whitespace: true, message: t.required }]} style={{ flex: 1 }}>
        <Input.TextArea maxLength={500} autoSize aria-label={t.bd.answer} />
      </Form.Item>
      <Button htmlType="submit" loading={answer.fetching}>{t.bd.answerSend}</Button>
      <FormError message={answer.error} />
    </Form>
  );
}
