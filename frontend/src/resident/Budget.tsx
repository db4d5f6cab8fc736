// The compound's budget on an owner's phone: where it stands in the seven steps, its lines
// (income and expense), the lines against the books once it is implemented, and questions to
// the committee, whose answers everyone can read. Large type, one column.
import { Button, TextArea } from 'antd-mobile';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { graphql } from '../gql';
import type { MyBudgetsQuery } from '../gql/graphql';
import { useT } from '../i18n';
import { yuan } from '../money';

const myBudgetsDocument = graphql(`
  query MyBudgets {
    myBudgets {
      budget { id year title step stepNumber }
      versions { number income { fen } expense { fen } lines { category income amount { fen } } }
      actuals { category budgeted { fen } actual { fen } }
      questions { id question askedAt answer answeredAt }
    }
  }
`);
const askDocument = graphql(`
  mutation AskBudgetQuestion($budgetId: ID!, $question: String!) { askBudgetQuestion(budgetId: $budgetId, question: $question) { id } }
`);

type Detail = MyBudgetsQuery['myBudgets'][number];

export default function BudgetPage() {
  const t = useT();
  const [{ data, error }, refetch] = useQuery({ query: myBudgetsDocument });
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  return (
    <>
      <h1>{t.bd.myBudgets}</h1>
      {data.myBudgets.length === 0 && <p className="muted">{t.bd.noBudgets}</p>}
      {data.myBudgets.map((d) => (
        <BudgetCard key={d.budget.id} d={d} onAsked={() => refetch({ requestPolicy: 'network-only' })} />
      ))}
    </>
  );
}

function BudgetCard({ d, onAsked }: { d: Detail; onAsked: () => void }) {
  const t = useT();
  const b = d.budget;
  const latest = d.versions.at(-1);
  return (
    <section className="card vote" aria-labelledby={`budget-${b.id}`}>
      <h2 id={`budget-${b.id}`} className="big">{b.title}</h2>
      <p className="big">{t.fmt(t.bd.stepOf, b.stepNumber)}{t.colon}{t.bd.steps[b.step]}</p>
      {d.actuals ? (
        <>
          <h3>{b.step === 'FINAL_ACCOUNTS' ? t.bd.finalAccounts : t.bd.actuals}</h3>
          <dl className="rows">
            {d.actuals.map((a) => (
              <div key={a.category}>
                <dt>{t.bd.categories[a.category]}</dt>
                <dd>{t.bd.budgeted} {yuan(a.budgeted.fen)}<br />{t.bd.actual} {a.actual ? yuan(a.actual.fen) : t.bd.notInLedger}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : latest ? (
        <>
          <p className="muted">{t.fmt(t.bd.version, latest.number)} · {t.bd.income} {yuan(latest.income.fen)} · {t.bd.expense} {yuan(latest.expense.fen)}</p>
          <dl className="rows">
            {latest.lines.map((l) => (
              <div key={l.category}><dt>{t.bd.categories[l.category]}</dt><dd>{yuan(l.amount.fen)}</dd></div>
            ))}
          </dl>
        </>
      ) : <p className="muted">{t.bd.noLines}</p>}
      <h3>{t.bd.questions}</h3>
      {d.questions.length === 0 && <p className="muted">{t.bd.noQuestions}</p>}
      {d.questions.map((q) => (
        <div key={q.id} className="question">
          <p><strong>{q.question}</strong> <span className="muted">{dayjs(q.askedAt).format('YYYY-MM-DD')}</span></p>
          <p>{q.answer ? `${t.bd.answer}${t.colon}${q.answer}` : <span className="muted">{t.bd.unanswered}</span>}</p>
        </div>
      ))}
      <Ask budgetId={b.id} onAsked={onAsked} />
    </section>
  );
}

function Ask({ budgetId, onAsked }: { budgetId: string; onAsked: () => void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [asked, execute] = useMutation(askDocument);
  const send = async () => {
    const res = await execute({ budgetId, question: text.trim() });
    if (!res.error) {
      setText('');
      onAsked();
    }
  };
  return (
    <div className="ask">
      <label htmlFor={`ask-${budgetId}`} className="muted">{t.bd.askHint}</label>
      <TextArea id={`ask-${budgetId}`} value={text} onChange={setText} maxLength={500} rows={3} />
      {asked.error && <p role="alert" className="error">{describe(fromCombined(asked.error), t)}</p>}
      <Button block size="large" color="primary" loading={asked.fetching} disabled={!text.trim()} onClick={() => void send()}>{t.bd.ask}</Button>
    </div>
  );
}
