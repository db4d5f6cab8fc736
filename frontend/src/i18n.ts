// Chinese first, English on request; the choice is remembered on this device.
import { useSyncExternalStore } from 'react';

export type Lang = 'zh' | 'en';

const zh = {
  appName: '物业管理',
  signIn: '登录',
  signOut: '退出',
  identifier: '邮箱或手机号',
  password: '密码',
  firm: '物业公司代码（可不填）',
  signingIn: '正在登录…',
  bundles: '打包项目',
  compounds: '小区',
  households: '住户',
  myHome: '我的房屋',
  streetOffice: '街道办',
  district: '所在区',
  householdCount: '户数',
  address: '地址',
  managementMode: '管理模式',
  chargingMode: '收费方式',
  onboarding: '接管进度',
  security: '五有',
  building: '楼栋',
  unit: '单元',
  room: '房号',
  area: '专有面积（㎡）',
  areaSource: '面积来源',
  activeFrom: '入住日期',
  members: '家庭成员',
  searchRoom: '按房号搜索',
  search: '搜索',
  more: '加载更多',
  back: '返回',
  loading: '加载中…',
  empty: '暂无数据',
  noWork: '目前没有派给您的工单。',
  language: 'English',
  accounts: '账目',
  balance: '余额',
  opening: '期初余额',
  date: '日期',
  memo: '摘要',
  amount: '金额',
  accountKinds: {
    HOUSEHOLD_RECEIVABLE: '住户应收', FEE_INCOME: '物业费收入', OWNERS_FEE_FUND: '业主物业费资金', WAIVER_EXPENSE: '减免支出',
    SUBSIDY_RECEIVABLE: '应收政府补贴', CASH_ON_HAND: '库存现金', BANK: '银行存款', PROCESSOR_CLEARING: '在线支付待结算',
    COMMITTEE_FUND: '业委会公共收益（业主70%）', FIRM_COMMON_INCOME: '物业公司公共收益（30%）', CONTRACTOR_PAYABLE: '应付承包商',
    REPAIR_EXPENSE: '维修支出', MAINTENANCE_FUND: '专项维修资金',
  },
  step: '第 {n} 步 / 共 7 步',
  of5: '{n} / 5 项',
  errors: {
    UNAUTHENTICATED: '账号或密码不对，请再试一次。',
    FORBIDDEN: '您没有权限进行此操作。',
    NOT_FOUND: '没有找到。',
    BAD_USER_INPUT: '输入有误：',
    CONFLICT: '与已有记录冲突：',
    INTERNAL: '系统出错，请稍后再试。',
    NETWORK: '网络不通，请检查网络后再试。',
  },
  roles: {
    firm_admin: '管理员', accountant: '会计', dispatcher: '调度', grid_worker: '网格员',
    committee_member: '业委会委员', resident: '住户', contractor: '承包商',
  },
  modes: { PROFESSIONAL: '专业型', SELF_GOVERNED: '自治型', WORK_UNIT: '单位型', COMMUNITY: '社区型' },
  charging: { LUMP_SUM: '包干制', COMMISSION: '酬金制' },
  memberRoles: { OWNER: '业主', CO_OWNER: '共有人', TENANT: '租户', FAMILY_MEMBER: '家庭成员' },
  areaSources: { PROPERTY_REGISTER: '不动产登记', SURVEY: '测绘', SALE_CONTRACT: '购房合同' },
};

type Dict = typeof zh;

const en: Dict = {
  appName: 'Courtyard',
  signIn: 'Sign in',
  signOut: 'Sign out',
  identifier: 'E-mail or phone',
  password: 'Password',
  firm: 'Firm code (optional)',
  signingIn: 'Signing in…',
  bundles: 'Bundles',
  compounds: 'Compounds',
  households: 'Households',
  myHome: 'My home',
  streetOffice: 'Street office',
  district: 'District',
  householdCount: 'Households',
  address: 'Address',
  managementMode: 'Management',
  chargingMode: 'Charging',
  onboarding: 'Onboarding',
  security: 'Security basics',
  building: 'Building',
  unit: 'Unit',
  room: 'Room',
  area: 'Area (m²)',
  areaSource: 'Area source',
  activeFrom: 'Since',
  members: 'Members',
  searchRoom: 'Search by room',
  search: 'Search',
  more: 'Load more',
  back: 'Back',
  loading: 'Loading…',
  empty: 'Nothing here yet',
  noWork: 'No work orders are assigned to you.',
  language: '中文',
  accounts: 'Accounts',
  balance: 'Balance',
  opening: 'Opening balance',
  date: 'Date',
  memo: 'Description',
  amount: 'Amount',
  accountKinds: {
    HOUSEHOLD_RECEIVABLE: 'Household receivable', FEE_INCOME: 'Fee income', OWNERS_FEE_FUND: "Owners' fee fund", WAIVER_EXPENSE: 'Waivers',
    SUBSIDY_RECEIVABLE: 'Subsidy receivable', CASH_ON_HAND: 'Cash on hand', BANK: 'Bank', PROCESSOR_CLEARING: 'Online payments clearing',
    COMMITTEE_FUND: "Committee fund (owners' 70%)", FIRM_COMMON_INCOME: "Firm's common income (30%)", CONTRACTOR_PAYABLE: 'Owed to contractors',
    REPAIR_EXPENSE: 'Repairs', MAINTENANCE_FUND: 'Maintenance fund',
  },
  step: 'step {n} of 7',
  of5: '{n} of 5',
  errors: {
    UNAUTHENTICATED: 'Wrong account or password. Please try again.',
    FORBIDDEN: 'You are not allowed to do this.',
    NOT_FOUND: 'Not found.',
    BAD_USER_INPUT: 'Please check: ',
    CONFLICT: 'Conflicts with an existing record: ',
    INTERNAL: 'Something went wrong. Please try again later.',
    NETWORK: 'No connection. Please check your network.',
  },
  roles: {
    firm_admin: 'Administrator', accountant: 'Accountant', dispatcher: 'Dispatcher', grid_worker: 'Grid worker',
    committee_member: 'Committee member', resident: 'Resident', contractor: 'Contractor',
  },
  modes: { PROFESSIONAL: 'Professional', SELF_GOVERNED: 'Self-governed', WORK_UNIT: 'Work unit', COMMUNITY: 'Community' },
  charging: { LUMP_SUM: 'Lump sum', COMMISSION: 'Commission' },
  memberRoles: { OWNER: 'Owner', CO_OWNER: 'Co-owner', TENANT: 'Tenant', FAMILY_MEMBER: 'Family' },
  areaSources: { PROPERTY_REGISTER: 'Property register', SURVEY: 'Survey', SALE_CONTRACT: 'Sale contract' },
};

const dicts: Record<Lang, Dict> = { zh, en };
const listeners = new Set<() => void>();
let current: Lang = localStorage.getItem('courtyard.lang') === 'en' ? 'en' : 'zh';

export function setLang(lang: Lang) {
  current = lang;
  localStorage.setItem('courtyard.lang', lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((l) => l());
}

export function useT(): Dict & { lang: Lang; fmt: (s: string, n: number) => string } {
  const lang = useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => current,
  );
  return { ...dicts[lang], lang, fmt: (s, n) => s.replace('{n}', String(n)) };
}
