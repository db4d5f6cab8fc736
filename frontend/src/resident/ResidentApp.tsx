// The phone app: phone-first on Ant Design Mobile, large type on request, and only what a
// person needs — a resident their bills, paying, receipts, repairs and owners' votes; a contractor their jobs.
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { isContractor, isResident, useMe } from '../app/me';
import { useT } from '../i18n';
import { Frame } from './Frame';
import { HomePage } from './HomePage';
import { PayPage } from './PayPage';
import { ReceiptPage } from './ReceiptPage';
import './resident.css';

// Repairs and jobs load when opened: the bills page stays light on a slow connection.
const RepairsPage = lazy(() => import('./Repairs'));
const RepairPage = lazy(() => import('./RepairPage'));
const JobsPage = lazy(() => import('./Jobs'));
const VotesPage = lazy(() => import('./Votes'));
const BudgetPage = lazy(() => import('./Budget'));
const JobPage = lazy(() => import('./Jobs').then((m) => ({ default: m.JobPage })));

export default function ResidentApp() {
  const t = useT();
  const me = useMe();
  return (
    <ConfigProvider locale={t.lang === 'zh' ? zhCN : enUS}>
      <Frame>
        <Suspense fallback={<p>{t.loading}</p>}>
        {isResident(me) ? (
          <Routes>
            <Route path="/pay/:id" element={<PayPage />} />
            <Route path="/receipts/:id" element={<ReceiptPage />} />
            <Route path="/repairs" element={<RepairsPage />} />
            <Route path="/repairs/:id" element={<RepairPage />} />
            <Route path="/votes" element={<VotesPage />} />
            <Route path="/budget" element={<BudgetPage />} />
            <Route path="*" element={<HomePage />} />
          </Routes>
        ) : isContractor(me) ? (
          <Routes>
            <Route path="/jobs/:id" element={<JobPage />} />
            <Route path="*" element={<JobsPage />} />
          </Routes>
        ) : (
          <p className="card">{t.noWork}</p>
        )}
        </Suspense>
      </Frame>
    </ConfigProvider>
  );
}
