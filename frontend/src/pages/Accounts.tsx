import { request } from '../api';
import { ErrorNote } from '../components';
import { graphql } from '../gql';
import { useLoad } from '../hooks';
import { useT } from '../i18n';

const AccountsQuery = graphql(`
  query CompoundAccounts($id: ID!) {
    ledgerAccounts(compoundId: $id, first: 100) {
      edges { node { id kind householdId naturalBalance { display } } }
    }
  }
`);

/** A compound's accounts (all for book-keepers, the committee fund for its committee). */
export function CompoundAccounts({ compoundId }: { compoundId: string }) {
  const t = useT();
  const res = useLoad(() => request(AccountsQuery, { id: compoundId }), [compoundId]);
  // Staff without book-keeping rights and residents simply do not see this section.
  if (res.error?.code === 'FORBIDDEN' || res.error?.code === 'NOT_FOUND') return null;
  if (!res.data) return res.error ? <ErrorNote error={res.error} /> : null;
  const accounts = res.data.ledgerAccounts.edges.map((e) => e.node).filter((a) => !a.householdId);
  return (
    <section className="card">
      <h2>{t.accounts}</h2>
      <ul className="list">
        {accounts.map((a) => (
          <li key={a.id}>
            <a href={`#/accounts/${a.id}`} className="row">
              <span className="name">{t.accountKinds[a.kind]}</span>
              <span className="count">{a.naturalBalance.display}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
