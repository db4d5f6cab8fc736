// The staff console (and the owners' committee's view): Ant Design in the person's language,
// a menu of what their role may do, and guarded routes with deep links.
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Result, Space, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { isCommittee, isStaff, roles, useMe } from '../app/me';
import { setLang, useT } from '../i18n';
import { signOut } from '../app/signOut';
import { useWorkOrderChanges, type WorkOrderChange } from '../app/workOrders';
import './staff.css';

/** The brand colour, and link and secondary text dark enough for WCAG AA on white. */
const THEME = {
  token: { colorPrimary: '#1d4e89', colorLink: '#1d4e89', colorTextSecondary: '#595959', colorTextDescription: '#595959', colorTextTertiary: '#595959', colorTextQuaternary: '#595959', colorError: '#b00020', fontSize: 15 },
};

const BundlesPage = lazy(() => import('./pages/Bundles'));
const CompoundsPage = lazy(() => import('./pages/Compounds'));
const CompoundPage = lazy(() => import('./pages/Compound'));
const HouseholdPage = lazy(() => import('./pages/Household'));
const StatementPage = lazy(() => import('./pages/Statement'));
const ReceiptPage = lazy(() => import('./pages/Receipt'));
const BillingPage = lazy(() => import('./pages/Billing'));
const ArrearsPage = lazy(() => import('./pages/Arrears'));
const StaffPage = lazy(() => import('./pages/Staff'));
const SettingsPage = lazy(() => import('./pages/Settings'));
const OrdersBoard = lazy(() => import('./pages/orders/Board'));
const OrderPage = lazy(() => import('./pages/orders/OrderPage'));
const ContractorsPage = lazy(() => import('./pages/Contractors'));
const ContractorAccountPage = lazy(() => import('./pages/ContractorAccount'));

export default function StaffApp() {
  const t = useT();
  dayjs.locale(t.lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={t.lang === 'zh' ? zhCN : enUS} theme={THEME}>
      <AntApp>
        <Frame />
      </AntApp>
    </ConfigProvider>
  );
}

/** The moves a dispatcher is alerted to wherever they are in the console. */
const ALERTS = new Set(['DECLINE', 'ESCALATE', 'OVERDUE']);

/** Tells a dispatcher, on any page, of an order declined, unanswered or overdue. */
function useDispatchAlerts(): ((change: WorkOrderChange) => void) | undefined {
  const t = useT();
  const me = useMe();
  const { notification } = AntApp.useApp();
  const navigate = useNavigate();
  if (!me.can.dispatch) return undefined;
  return (c) => {
    if (!c.action || !ALERTS.has(c.action) || !c.orderId) return;
    const hint = c.action === 'OVERDUE' ? undefined : c.state === 'FILED' ? t.wo.alertFiled : t.wo.alertPassed;
    notification.warning({
      key: c.id,
      message: `${t.wo.number} ${c.number}${t.colon}${t.wo.actions[c.action]}`,
      description: hint,
      duration: 0,
      actions: <Button size="small" onClick={() => navigate(`/orders/${c.orderId}`)}>{t.wo.alertOpen}</Button>,
    });
  };
}

function Frame() {
  const t = useT();
  const me = useMe();
  useWorkOrderChanges(useDispatchAlerts());
  const staff = isStaff(me);
  const home = staff ? '/bundles' : '/compounds';
  return (
    <Layout className="staff">
      <Layout.Header className="staff-header">
        <div className="who">
          <Typography.Text strong className="firm">{me.tenant.name}</Typography.Text>
          <Typography.Text className="person">
            {me.displayName} · {roles(me).map((r) => t.roles[r as keyof typeof t.roles] ?? r).join(t.listSep)}
          </Typography.Text>
        </div>
        <Space>
          <Button type="link" className="on-dark" onClick={() => setLang(t.lang === 'zh' ? 'en' : 'zh')}>{t.language}</Button>
          <Button type="link" className="on-dark" onClick={() => void signOut()}>{t.signOut}</Button>
        </Space>
      </Layout.Header>
      <NavMenu staff={staff} />
      <Layout.Content className="staff-content">
        <Suspense fallback={<p>{t.loading}</p>}>
          <Routes>
            <Route path="/" element={<Navigate to={home} replace />} />
            <Route path="/bundles" element={<Only when={staff}><BundlesPage /></Only>} />
            <Route path="/compounds" element={<CompoundsPage />} />
            <Route path="/compounds/:id/:tab?" element={<CompoundPage />} />
            <Route path="/households/:id/:tab?" element={<Only when={staff}><HouseholdPage /></Only>} />
            <Route path="/accounts/:id" element={<StatementPage />} />
            <Route path="/receipts/:id" element={<ReceiptPage />} />
            <Route path="/billing" element={<Only when={me.can.keepBooks}><BillingPage /></Only>} />
            <Route path="/arrears" element={<Only when={me.can.keepBooks}><ArrearsPage /></Only>} />
            <Route path="/orders" element={<Only when={staff || isCommittee(me)}><OrdersBoard /></Only>} />
            <Route path="/orders/:id" element={<OrderPage />} />
            <Route path="/contractors" element={<Only when={staff}><ContractorsPage /></Only>} />
            <Route path="/contractors/:id/account" element={<Only when={me.can.keepBooks}><ContractorAccountPage /></Only>} />
            <Route path="/staff" element={<Only when={me.can.administer}><StaffPage /></Only>} />
            <Route path="/settings" element={<Only when={me.can.administer}><SettingsPage /></Only>} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}

/** The menu of the person's work; the page they are on is marked. */
function NavMenu({ staff }: { staff: boolean }) {
  const t = useT();
  const me = useMe();
  const { pathname } = useLocation();
  const section = pathname.startsWith('/households') ? '/compounds' : `/${pathname.split('/')[1]}`;
  const items = [
    staff && { key: '/bundles', label: <Link to="/bundles">{t.bundles}</Link> },
    (staff || isCommittee(me)) && { key: '/compounds', label: <Link to="/compounds">{t.compounds}</Link> },
    me.can.keepBooks && { key: '/billing', label: <Link to="/billing">{t.billing}</Link> },
    me.can.keepBooks && { key: '/arrears', label: <Link to="/arrears">{t.arrears.title}</Link> },
    (staff || isCommittee(me)) && { key: '/orders', label: <Link to="/orders">{t.wo.menu}</Link> },
    staff && { key: '/contractors', label: <Link to="/contractors">{t.wo.contractorsMenu}</Link> },
    me.can.administer && { key: '/staff', label: <Link to="/staff">{t.staffMembers}</Link> },
    me.can.administer && { key: '/settings', label: <Link to="/settings">{t.settings}</Link> },
  ].filter((i) => i !== false);
  return <Menu mode="horizontal" selectedKeys={[section]} items={items} className="staff-menu" disabledOverflow />;
}

/** A route the person's role may not open says so, rather than failing on every query. */
function Only({ when, children }: { when: boolean; children: ReactNode }) {
  return when ? children : <NoAccess />;
}

function NoAccess() {
  const t = useT();
  return <Result status="403" title={t.noAccess} extra={<Link to="/">{t.home}</Link>} />;
}

function NotFound() {
  const t = useT();
  return <Result status="404" title={t.errors.NOT_FOUND} extra={<Link to="/">{t.home}</Link>} />;
}
