// A compound's public accounts board (/board/<address>): fees, common-part income and its
// split, the committee fund, the owners' votes and their committee, and whom to call, for anyone with the address — on a cheap
// phone, or printed as an A4 poster with its QR code (?poster).
import { setLang, words, type Words } from '../i18n/lang';
import { yuan } from '../money';
import './public.css';
import './board.css';

type Fees = { billedFen: number; waivedFen: number; creditedFen: number; collectedFen: number; collectionRateBp: number | null };
type Category = { category: string; grossFen: number; costsFen: number; ownersFen: number; firmFen: number; ownersBp: number; firmBp: number };
type Board = {
  compound: string; firm: string; month: string; year: number; generatedAt: string;
  office: { address: string | null; hours: string | null; phone: string | null };
  fees: { month: Fees; year: Fees };
  income: { lastClosed: string | null; lastMonth: Category[]; year: Category[] };
  fund: { openingFen: number; sharesFen: number; payoutsFen: number; waiversFen: number; otherFen: number; balanceFen: number;
    payouts: { date: string; amountFen: number; memo: string }[] };
  contractorSpendingFen: number;
  committee: { name: string; post: string; body: string; phone: string | null; termTo: string }[];
  votes: Vote[];
  budgets: Budget[];
};
type Budget = { year: number; title: string; step: string; stepNumber: number; supervisors: string[];
  lines: { category: string; income: boolean; budgetedFen: number; actualFen: number | null }[];
  questions: { question: string; askedOn: string; answer: string | null; answeredOn: string | null }[] };
type Count = { owners: number; areaCenti: number };
type Vote = { title: string; kind: string; rule: string; closedOn: string; publicityUntil: string | null;
  roll: Count; yes: Count; no: Count; abstain: Count; outcome: string };

const base = location.pathname.replace(/\/+$/, '');
const poster = new URLSearchParams(location.search).has('poster');
const root = document.getElementById('public') as HTMLElement;

/** An element with text, or with children. */
function el(tag: string, content?: string | Node[], className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (typeof content === 'string') e.textContent = content;
  else if (content) e.append(...content);
  return e;
}

function rows(pairs: [string, string][]): HTMLElement {
  return el('dl', pairs.flatMap(([k, v]) => [el('dt', k), el('dd', v, 'num')]));
}

const rate = (bp: number | null) => (bp === null ? '—' : `${(bp / 100).toFixed(1)}%`);
const share = (bp: number) => `${bp / 100}%`;

function fees(t: Words, title: string, f: Fees): HTMLElement {
  const b = t.board;
  return el('section', [
    el('h3', title),
    rows([[b.billed, yuan(f.billedFen)], [b.waived, yuan(f.waivedFen)], [b.collected, yuan(f.collectedFen)], [b.rate, rate(f.collectionRateBp)]]),
  ]);
}

/** Each category as a short list of its own: readable on a narrow phone without scrolling. */
function income(t: Words, title: string, cats: Category[]): HTMLElement {
  const b = t.board;
  if (!cats.length) return el('section', [el('h3', title), el('p', b.noIncome, 'muted')]);
  const name = (code: string) => t.incomeCategories[code.toUpperCase() as keyof Words['incomeCategories']] ?? code;
  return el('section', [
    el('h3', title),
    ...cats.flatMap((c) => [
      el('h4', name(c.category)),
      rows([
        [b.gross, yuan(c.grossFen)], [b.costs, yuan(c.costsFen)],
        [`${b.owners} ${share(c.ownersBp)}`, yuan(c.ownersFen)], [`${b.firmShare} ${share(c.firmBp)}`, yuan(c.firmFen)],
      ]),
    ]),
  ]);
}

function fund(t: Words, d: Board): HTMLElement {
  const b = t.board;
  const f = d.fund;
  const list = f.payouts.length
    ? el('ul', f.payouts.map((p) => el('li', `${p.date} ${yuan(p.amountFen)} ${p.memo}`)), 'payouts')
    : el('p', b.noPayouts, 'muted');
  return el('section', [
    el('h2', b.fund),
    rows([
      [t.fmt(b.openingOf, d.year), yuan(f.openingFen)], [b.sharesReceived, yuan(f.sharesFen)],
      [b.payouts, yuan(f.payoutsFen)], [b.waiversFunded, yuan(f.waiversFen)], [b.otherMoves, yuan(f.otherFen)],
      [b.balance, yuan(f.balanceFen)],
    ]),
    el('h3', b.payoutList), list,
  ]);
}

const upper = <T extends string>(code: string) => code.toUpperCase() as T;

/** The committee as it sits, with numbers to call. */
function committee(t: Words, d: Board): HTMLElement {
  const g = t.gv;
  if (!d.committee.length) return el('section', [el('h2', t.board.committee), el('p', g.noSeats, 'muted')]);
  return el('section', [
    el('h2', `${t.board.committee}（${g.bodies[upper<keyof Words['gv']['bodies']>(d.committee[0].body)]}）`),
    el('ul', d.committee.map((m) => el('li', `${g.posts[upper<keyof Words['gv']['posts']>(m.post)]} ${m.name}${m.phone ? ` ${m.phone}` : ''} · ${g.term} ${m.termTo}`)), 'members'),
  ]);
}

/** Each counted vote as its certificate: the rule, who took part, each choice, the outcome. */
function votes(t: Words, d: Board): HTMLElement {
  const g = t.gv;
  const b = t.board;
  const count = (c: Count) => `${t.fmt(g.owners, c.owners)} · ${t.fmt(g.area, (c.areaCenti / 100).toFixed(2))}`;
  if (!d.votes.length) return el('section', [el('h2', b.votes), el('p', b.noVotes, 'muted')]);
  return el('section', [
    el('h2', b.votes),
    ...d.votes.flatMap((v) => [
      el('h3', v.title),
      el('p', `${g.kinds[upper<keyof Words['gv']['kinds']>(v.kind)]} · ${g.rules[upper<keyof Words['gv']['rules']>(v.rule)]}`, 'muted'),
      rows([
        [g.rollTotal, count(v.roll)],
        [g.choices.YES, count(v.yes)], [g.choices.NO, count(v.no)], [g.choices.ABSTAIN, count(v.abstain)],
        [g.result, `${g.outcomes[upper<keyof Words['gv']['outcomes']>(v.outcome)]}（${v.closedOn}）`],
        ...(v.publicityUntil ? [[g.publicityUntil, v.publicityUntil] as [string, string]] : []),
      ]),
    ]),
  ]);
}

/** Each budget: its step; its lines once put to the vote, against the books once implemented;
 * who supervises it; residents' questions and the committee's answers. */
function budgets(t: Words, d: Board): HTMLElement[] {
  const g = t.bd;
  return d.budgets.map((x) => {
    const withActuals = x.lines.some((l) => l.actualFen !== null);
    // Budgeted and actual on two lines: the figures stay whole on a narrow phone.
    const figures = (l: Budget['lines'][number]): Node[] => withActuals
      ? [document.createTextNode(`${g.budgeted} ${yuan(l.budgetedFen)}`), el('br'),
          document.createTextNode(`${g.actual} ${l.actualFen === null ? g.notInLedger : yuan(l.actualFen)}`)]
      : [document.createTextNode(yuan(l.budgetedFen))];
    const lines = el('dl', x.lines.flatMap((l) => [
      el('dt', g.categories[upper<keyof Words['bd']['categories']>(l.category)]), el('dd', figures(l), 'num'),
    ]));
    return el('section', [
      el('h2', x.title),
      el('p', `${t.fmt(g.stepOf, x.stepNumber)}${t.colon}${g.steps[upper<keyof Words['bd']['steps']>(x.step)]}`),
      ...(x.lines.length ? [el('h3', x.stepNumber === 7 ? g.finalAccounts : withActuals ? g.actuals : g.tab), lines] : []),
      ...(x.supervisors.length ? [el('p', `${g.supervisors}${t.colon}${x.supervisors.join('、')}`)] : []),
      el('h3', g.questions),
      ...(x.questions.length
        ? x.questions.map((q) => el('p', `${q.askedOn} ${q.question} — ${q.answer ? `${g.answer}${t.colon}${q.answer}` : g.unanswered}`))
        : [el('p', g.noQuestions, 'muted')]),
    ]);
  });
}

function contacts(t: Words, d: Board): HTMLElement {
  const o = d.office;
  const phone = o.phone ? el('a', o.phone) : null;
  if (phone) (phone as HTMLAnchorElement).href = `tel:${o.phone?.replace(/[^\d+]/g, '')}`;
  return el('section', [
    el('h2', t.board.contact),
    el('p', d.firm),
    ...(o.address ? [el('p', o.address)] : []),
    ...(o.hours ? [el('p', o.hours)] : []),
    ...(phone ? [el('p', [phone], 'phone')] : []),
  ]);
}

function draw(d: Board | null, error?: string) {
  const t = words();
  const b = t.board;
  document.title = d ? `${d.compound} · ${b.title}` : b.title;
  const lang = el('button', t.language, 'link lang');
  lang.addEventListener('click', () => {
    setLang(t.lang === 'zh' ? 'en' : 'zh');
    draw(d, error);
  });
  if (!d) {
    root.replaceChildren(lang, el('h1', b.title), el('p', error ?? b.loading, error ? 'error' : 'muted'));
    return;
  }
  const header = [
    el('h1', `${d.compound} ${b.title}`),
    el('p', `${t.fmt(b.updated, d.generatedAt.slice(0, 10))} · ${b.noPersonalData}`, 'muted'),
  ];
  const main = [
    el('h2', b.fees),
    fees(t, t.fmt(b.thisMonth, d.month), d.fees.month),
    fees(t, t.fmt(b.thisYear, d.year), d.fees.year),
    el('h2', b.commonIncome),
    income(t, d.income.lastClosed ? t.fmt(b.lastClosed, d.income.lastClosed) : b.noneClosed, d.income.lastMonth),
    income(t, t.fmt(b.yearToDate, d.year), d.income.year),
    fund(t, d),
    el('section', [el('h2', b.repairs), rows([[t.fmt(b.thisYear, d.year), yuan(d.contractorSpendingFen)]])]),
    votes(t, d),
    ...budgets(t, d),
    committee(t, d),
    contacts(t, d),
  ];
  if (poster) {
    const qr = el('img') as HTMLImageElement;
    qr.src = `${base}/qr.svg`;
    qr.alt = b.qrAlt;
    root.replaceChildren(...header, el('div', [qr, el('p', b.scan)], 'qr'), ...main);
    return;
  }
  const print = el('a', b.poster) as HTMLAnchorElement;
  print.href = `${base}?poster`;
  root.replaceChildren(lang, ...header, ...main, el('p', [print], 'muted'));
}

draw(null);
fetch(`${base}/data`)
  .then(async (res) => {
    if (!res.ok) throw new Error(words().board.missing);
    draw((await res.json()) as Board);
    if (poster) window.print();
  })
  .catch((e: Error) => draw(null, e.message || words().errors.NETWORK));
