// The resident app: phone-first on Ant Design Mobile, large type on request, and only what a
// resident needs — their bills, paying, receipts.
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { Route, Routes } from 'react-router';
import { isResident, useMe } from '../app/me';
import { useT } from '../i18n';
import { Frame } from './Frame';
import { HomePage } from './HomePage';
import { PayPage } from './PayPage';
import { ReceiptPage } from './ReceiptPage';
import './resident.css';

export default function ResidentApp() {
  const t = useT();
  const me = useMe();
  return (
    <ConfigProvider locale={t.lang === 'zh' ? zhCN : enUS}>
      <Frame>
        {isResident(me) ? (
          <Routes>
            <Route path="/pay/:id" element={<PayPage />} />
            <Route path="/receipts/:id" element={<ReceiptPage />} />
            <Route path="*" element={<HomePage />} />
          </Routes>
        ) : (
          <p className="card">{t.noWork}</p>
        )}
      </Frame>
    </ConfigProvider>
  );
}
