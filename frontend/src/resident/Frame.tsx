// The resident app's frame: the firm's name, a way home, the large-type and language
// switches, and signing out — all reachable with one thumb.
import { Switch } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useMe } from '../app/me';
import { signOut } from '../app/signOut';
import { useWorkOrderChanges } from '../app/workOrders';
import { setLang, useT } from '../i18n';
import { setLargeType, useLargeType } from './largeType';

export function Frame({ children }: { children: ReactNode }) {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const large = useLargeType();
  useWorkOrderChanges();
  return (
    <div className="resident">
      {/* A plain header: antd-mobile's NavBar gives its back area a button role with no name. */}
      <header className="bar">
        {pathname !== '/' && <button type="button" className="back" onClick={() => navigate(-1)}>‹ {t.back}</button>}
        <span className="firm">{me.tenant.name}</span>
      </header>
      <main className="resident-page">{children}</main>
      <footer className="resident-footer">
        <label className="toggle">
          <Switch checked={large} onChange={setLargeType} aria-label={t.largeType} /> {t.largeType}
        </label>
        <button type="button" className="link" onClick={() => setLang(t.lang === 'zh' ? 'en' : 'zh')}>{t.language}</button>
        <button type="button" className="link" onClick={() => void signOut()}>{t.signOut}</button>
      </footer>
    </div>
  );
}
