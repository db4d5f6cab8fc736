import { useState } from 'react';
import { request, session } from './api';
import { graphql } from './gql';
import { useLoad } from './hooks';
import { setLang, useT } from './i18n';
import { go, useRoute } from './router';
import { ErrorNote, Loading } from './components';
import { LoginPage } from './pages/Login';
import { BundlesPage } from './pages/Bundles';
import { CompoundPage } from './pages/Compound';
import { HouseholdPage } from './pages/Household';
import { HouseholdsPage } from './pages/Households';
import { CompoundsPage } from './pages/Compounds';
import { StatementPage } from './pages/Statement';
import { BillingPage } from './pages/Billing';
import { ReceiptPage } from './pages/Receipt';
import { PayPage } from './pages/Pay';

const MeQuery = graphql(`
  query Me {
    me { displayName tenant { name slug } memberships { role scopeKind scopeId } }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout { logout }
`);

const STAFF = ['firm_admin', 'accountant', 'dispatcher', 'grid_worker'];

export function App() {
  const [token, setToken] = useState(session.get());
  if (!token) return <LoginPage onSignedIn={(t) => { session.set(t); setToken(t); go('/'); }} />;
  return <SignedIn onSignedOut={() => { session.clear(); setToken(null); }} />;
}

function SignedIn({ onSignedOut }: { onSignedOut: () => void }) {
  const t = useT();
  const route = useRoute();
  const me = useLoad(() => request(MeQuery), []);
  if (me.error?.code === 'UNAUTHENTICATED') {
    onSignedOut();
    return null;
  }
  if (!me.data) return <main className="page">{me.error ? <ErrorNote error={me.error} /> : <Loading />}</main>;
  const roles = me.data.me.memberships.map((m) => m.role);
  const isStaff = roles.some((r) => STAFF.includes(r));
  const isCommittee = roles.includes('committee_member');
  const isResident = roles.includes('resident');
  const keepsBooks = me.data.me.memberships.some((m) => ['firm_admin', 'accountant'].includes(m.role) && m.scopeKind === 'tenant');

  const signOut = async () => {
    await request(LogoutMutation).catch(() => undefined);
    onSignedOut();
  };

  const [section, id] = route;
  let page;
  if (section === 'compounds' && id) page = <CompoundPage id={id} canKeepBooks={keepsBooks} />;
  else if (section === 'households' && id) page = <HouseholdPage id={id} canRecord={keepsBooks} />;
  else if (section === 'accounts' && id) page = <StatementPage id={id} />;
  else if (section === 'receipts' && id) page = <ReceiptPage id={id} />;
  else if (section === 'pay' && id) page = <PayPage id={id} />;
  else if (section === 'compounds') page = <CompoundsPage />;
  else if (section === 'billing' && keepsBooks) page = <BillingPage />;
  else if (section === 'home') page = <HouseholdsPage />;
  else if (isStaff) page = <BundlesPage />;
  else if (isCommittee) page = <CompoundsPage />;
  else if (isResident) page = <HouseholdsPage />;
  else page = <p className="card">{t.noWork}</p>;

  return (
    <>
      <header className="top">
        <div>
          <strong>{me.data.me.tenant.name}</strong>
          <span className="muted who">
            {me.data.me.displayName} · {[...new Set(roles)].map((r) => t.roles[r as keyof typeof t.roles] ?? r).join('、')}
          </span>
        </div>
        <div className="actions">
          <button className="link" onClick={() => setLang(t.lang === 'zh' ? 'en' : 'zh')}>{t.language}</button>
          <button className="link" onClick={signOut}>{t.signOut}</button>
        </div>
      </header>
      <nav className="tabs">
        {isStaff && <a href="#/">{t.bundles}</a>}
        {(isStaff || isCommittee) && <a href="#/compounds">{t.compounds}</a>}
        {keepsBooks && <a href="#/billing">{t.billing}</a>}
        {isResident && <a href="#/home">{t.myHome}</a>}
      </nav>
      <main className="page">{page}</main>
    </>
  );
}
