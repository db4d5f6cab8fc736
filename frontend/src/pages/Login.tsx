import { useState, type FormEvent } from 'react';
import { ApiError, request } from '../api';
import { ErrorNote } from '../components';
import { graphql } from '../gql';
import { setLang, useT } from '../i18n';

const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) { token tenant { name } }
  }
`);

export function LoginPage({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const t = useT();
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [tenant, setTenant] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await request(LoginMutation, { input: { identifier, password, tenant: tenant.trim() || null } });
      onSignedIn(res.login.token);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page narrow">
      <div className="actions right">
        <button className="link" onClick={() => setLang(t.lang === 'zh' ? 'en' : 'zh')}>{t.language}</button>
      </div>
      <h1>{t.appName}</h1>
      <form onSubmit={submit} className="card form">
        <label>
          {t.identifier}
          <input name="identifier" autoComplete="username" value={identifier} onChange={(e) => setIdentifier(e.target.value)} required />
        </label>
        <label>
          {t.password}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <label>
          {t.firm}
          <input name="tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} />
        </label>
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>{busy ? t.signingIn : t.signIn}</button>
      </form>
    </main>
  );
}
