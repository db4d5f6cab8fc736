// A resident's home: their households (usually one), each with its people and bills.
import { Card } from 'antd-mobile';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { describe, fromCombined } from '../app/errors';
import { graphql } from '../gql';
import { useT } from '../i18n';
import { Bills } from './Bills';

const myHouseholdsDocument = graphql(`
  query MyHouseholds {
    households(first: 20) {
      edges { node { id unit room area compound { name } building { label } members { id role person { name } } } }
    }
  }
`);

export function HomePage() {
  const t = useT();
  const [{ data, error }] = useQuery({ query: myHouseholdsDocument });
  if (!data) return error ? <p role="alert" className="error">{describe(fromCombined(error), t)}</p> : <p>{t.loading}</p>;
  const homes = data.households.edges.map((e) => e.node);
  return (
    <>
      <h1>{t.myHome}</h1>
      <Link to="/repairs" className="card order-link repairs-link"><span className="big">{t.wo.myRepairs}</span><span className="muted">{t.wo.reportTitle}</span></Link>
      <Link to="/votes" className="card order-link repairs-link"><span className="big">{t.gv.myVotes}</span></Link>
      <Link to="/budget" className="card order-link repairs-link"><span className="big">{t.bd.myBudgets}</span></Link>
      {homes.length === 0 && <p className="muted">{t.empty}</p>}
      {homes.map((h) => (
        <div key={h.id} className="home-block">
          <Card className="home">
            <p className="big">{h.compound?.name}</p>
            <p className="big">{h.building?.label} {h.unit} {h.room}</p>
            <p className="muted">{t.area}{t.colon}{h.area}</p>
            <p className="muted">{t.members}{t.colon}{h.members.map((m) => t.withNote(m.person.name, t.memberRoles[m.role])).join(t.listSep) || t.none}</p>
          </Card>
          <Bills householdId={h.id} />
        </div>
      ))}
    </>
  );
}
