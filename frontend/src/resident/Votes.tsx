// An owner's votes on their phone: each matter put to the owners of their compound, its full
// text, and three large buttons. The ballot can be changed until the vote closes; its receipt
// code lets the owner find their ballot in the published count. After the close, the result.
import { Button } from 'antd-mobile';
import dayjs from 'dayjs';
import { useMutation, useQuery } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { graphql } from '../gql';
import type { BallotChoice, MyMattersQuery } from '../gql/graphql';
import { useT } from '../i18n';

const myMattersDocument = graphql(`
  query MyMatters {
    myMatters {
      matter { id title body kind state secret closesAt outcome yes { owners area } no { owners area } abstain { owners area } }
      me { voterNo ballot { choice receipt castAt } }
    }
  }
`);
const castBallotDocument = graphql(`
  mutation CastBallot($matterId: ID!, $choice: BallotChoice!) {
    castBallot(matterId: $matterId, choice: $choice) { voterNo ballot { choice receipt castAt } }
  }
`);

type Mine = MyMattersQuery['myMatters'][number];
const CHOICES: BallotChoice[] = ['YES', 'NO', 'ABSTAIN'];

export default function VotesPage() {
  const t = useT();
  const [{ data, error }] = useQuery({ query: myMattersDocument });
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  return (
    <>
      <h1>{t.gv.myVotes}</h1>
      {data.myMatters.length === 0 && <p className="muted">{t.gv.noMatters}</p>}
      {data.myMatters.map((m) => <MatterCard key={m.matter.id} mine={m} />)}
    </>
  );
}

function MatterCard({ mine }: { mine: Mine }) {
  const t = useT();
  const [cast, execute] = useMutation(castBallotDocument);
  const m = mine.matter;
  const ballot = mine.me?.ballot;
  const taking = m.state === 'OPEN' && dayjs().isBefore(m.closesAt);
  return (
    <section className="card vote" aria-labelledby={`matter-${m.id}`}>
      <h2 id={`matter-${m.id}`} className="big">{m.title}</h2>
      <p className="muted">{t.gv.kinds[m.kind]}{m.secret ? ` · ${t.gv.secret}` : ''}</p>
      <p className="timeline-note">{m.body}</p>
      <p className="muted">{t.gv.closesAt}{t.colon}{dayjs(m.closesAt).format('YYYY-MM-DD HH:mm')}</p>
      {ballot?.choice && <p className="big">{t.fmt(t.gv.yourChoice, t.gv.choices[ballot.choice])}</p>}
      {ballot?.receipt && <p>{t.gv.receipt}{t.colon}<span className="mono">{ballot.receipt}</span><br /><span className="muted">{t.gv.keepReceipt}</span></p>}
      {!mine.me && <p className="muted">{t.gv.notOnRoll}</p>}
      {mine.me && taking && (
        <>
          {ballot && <p className="muted">{t.gv.change}</p>}
          <div className="vote-buttons">
            {CHOICES.map((c) => (
              <Button key={c} block size="large" color={c === 'YES' ? 'primary' : 'default'} loading={cast.fetching}
                disabled={ballot?.choice === c}
                onClick={() => void execute({ matterId: m.id, choice: c })}>
                {t.gv.choices[c]}
              </Button>
            ))}
          </div>
        </>
      )}
      {cast.error && <p role="alert" className="error">{describe(fromCombined(cast.error), t)}</p>}
      {m.state === 'OPEN' && !taking && <p className="muted">{t.gv.ended}</p>}
      {m.outcome && (
        <p className="big">{t.gv.result}{t.colon}{t.gv.outcomes[m.outcome]}
          <br /><span className="muted">{CHOICES.map((c) => {
            const n = m[c === 'YES' ? 'yes' : c === 'NO' ? 'no' : 'abstain'];
            return `${t.gv.choices[c]} ${n ? t.fmt(t.gv.owners, n.owners) : ''}`;
          }).join(t.listSep)}</span>
        </p>
      )}
    </section>
  );
}
