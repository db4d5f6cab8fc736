// The signed-in app's entry: one GraphQL client and router, then the staff console or the
// resident app (each its own download), chosen by the person's roles.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Provider, useQuery } from 'urql';
import { client } from './app/client';
import { describe, fromCombined } from './app/errors';
import { MeContext, meDocument, usesConsole } from './app/me';
import { session, signInUrl } from './app/session';
import { useT } from './i18n';

const StaffApp = lazy(() => import('./staff/StaffApp'));
const ResidentApp = lazy(() => import('./resident/ResidentApp'));

function Waiting({ text }: { text?: string }) {
  const t = useT();
  return <p role={text ? 'alert' : 'status'} style={{ padding: '1rem', fontSize: 18 }}>{text ?? t.loading}</p>;
}

function Root() {
  const t = useT();
  const [{ data, error }] = useQuery({ query: meDocument });
  if (error) return <Waiting text={describe(fromCombined(error), t)} />;
  if (!data) return <Waiting />;
  return (
    <MeContext.Provider value={data.me}>
      <Suspense fallback={<Waiting />}>{usesConsole(data.me) ? <StaffApp /> : <ResidentApp />}</Suspense>
    </MeContext.Provider>
  );
}

const root = document.getElementById('root');
if (!session.get()) location.replace(signInUrl());
else if (root) {
  createRoot(root).render(
    <StrictMode>
      <Provider value={client}>
        <BrowserRouter>
          <Root />
        </BrowserRouter>
      </Provider>
    </StrictMode>,
  );
}
