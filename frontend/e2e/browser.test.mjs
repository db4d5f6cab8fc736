// Browser tests: the real server (SQLite, demo data) driven through headless Chromium.
// Needs COURTYARD_BIN (the built `courtyard` binary) and the built front end in dist/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const bin = process.env.COURTYARD_BIN;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let dir, server, browser, base, stripe, stripeBase;
const STRIPE_KEY = 'sk_test_courtyard';
const WEBHOOK_SECRET = 'whsec_courtyard_browser';

/** Calls the Stripe emulator as Stripe's own client (or Stripe.js on a phone) would. */
async function stripeCall(path, form) {
  const res = await fetch(stripeBase + path, {
    method: form ? 'POST' : 'GET',
    headers: { Authorization: 'Basic ' + Buffer.from(STRIPE_KEY + ':').toString('base64'), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return res.json().catch(() => null);
}

async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
}

/** Starts `courtyard serve` on a free port with `env`; the process and its address. */
async function startServer(env) {
  const proc = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--static-dir', resolve('dist')], { env });
  const address = await new Promise((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${seen}`)), 30_000);
    proc.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/running at (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); ok(m[1].replace(/\/$/, '')); }
    });
    proc.on('exit', (code) => fail(new Error(`server exited ${code}: ${seen}`)));
  });
  return { server: proc, base: address };
}

before(async () => {
  assert.ok(bin, 'set COURTYARD_BIN to the courtyard binary');
  dir = mkdtempSync(join(tmpdir(), 'courtyard-browser-'));
  // Online payment against localstripe (see tests/stripe/localstripe_compat.py).
  const stripePort = await freePort();
  stripeBase = `http://127.0.0.1:${stripePort}`;
  stripe = spawn('python3', [resolve('../tests/stripe/localstripe_compat.py'), String(stripePort)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(stripeBase + '/v1/payment_intents').then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const env = {
    ...process.env, DATABASE_URL: `sqlite://${join(dir, 'courtyard.db')}`, COURTYARD_FILES_DIR: join(dir, 'files'), RUST_LOG: 'warn',
    STRIPE_SECRET_KEY: STRIPE_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripeBase,
  };
  execFileSync(bin, ['demo'], { env, stdio: 'inherit' });
  ({ server, base } = await startServer(env));
  await stripeCall('/_config/webhooks/courtyard', { url: `${base}/webhooks/stripe`, secret: WEBHOOK_SECRET });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  stripe?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Calls the API as a client would, to check what the database holds after a form. */
async function api(token, query, variables = {}) {
  const res = await fetch(base + '/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

async function token(identifier) {
  const body = await api(null, 'mutation($i: LoginInput!) { login(input: $i) { token } }', { i: { identifier, password: 'courtyard-demo' } });
  return body.data.login.token;
}

/** Signs in through the sign-in page, on a small phone screen as many residents have. */
async function signIn(identifier, { width = 360, path = '/' } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 740 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base + path);
  await page.waitForURL(/\/login\//);
  await page.fill('input[name=identifier]', identifier);
  await page.fill('input[name=password]', 'courtyard-demo');
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { context, page };
}

/** No serious or critical accessibility violations (axe-core) on the page as it stands. */
async function assertAccessible(page, what) {
  await page.addScriptTag({ path: resolve('node_modules/axe-core/axe.min.js') });
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
  assert.deepEqual(found, [], `${what}: ${found.join('\n')}`);
}

test('the firm admin opens a compound, sets its late fee and pages through its households', async () => {
  const { context, page } = await signIn('admin@demo.test', { width: 1280 });
  await page.getByRole('heading', { name: '打包项目', exact: true }).waitFor();
  await page.getByText('齐齐哈尔城南老旧小区打包项目').waitFor();
  // Each bundle charts its compounds' collection rates (ECharts on a canvas).
  await page.getByTestId('bundle-chart').first().locator('canvas').waitFor();
  await assertAccessible(page, 'bundles');
  await page.getByRole('link', { name: '国泰花园' }).click();
  await page.getByRole('heading', { name: '国泰花园', exact: true }).waitFor();
  // The menu marks where the person is.
  assert.match(await page.locator('.ant-menu-item-selected').innerText(), /小区/);
  // The contract's late fee: none until set; set from the compound page.
  await page.getByRole('button', { name: '滞纳金条款（合同约定才设置）' }).click();
  await page.getByLabel('每日费率（万分之几，1–10）').fill('5');
  await page.getByLabel('月末后宽限天数').fill('30');
  await page.getByLabel('累计上限（本金的百分之几）').fill('10');
  await page.getByRole('button', { name: '保 存' }).click();
  await page.getByText('每日万分之5，月末后宽限 30 天，累计不超过本金的 10%').waitFor();
  await assertAccessible(page, 'compound');
  // Households, a page at a time, in building, unit and room order.
  await page.getByRole('tab', { name: '住户' }).click();
  await page.waitForURL(/\/households$/);
  const rows = page.locator('.households tbody tr.ant-table-row');
  await rows.nth(49).waitFor();
  assert.equal(await rows.count(), 50, 'first page of households');
  const firstPage = await rows.allInnerTexts();
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByText('第 2 页').waitFor();
  await page.waitForFunction((first) => document.querySelector('.households tbody tr.ant-table-row')?.innerText !== first, firstPage[0]);
  await page.getByRole('button', { name: '上一页' }).click();
  await page.getByText('第 1 页').waitFor();
  // Sorted by area on the server, largest first: the whole compound, not the page shown —
  // the first row is the compound's largest home, and page two goes on from the first.
  const admin = await token('admin@demo.test');
  const guotai = (await api(admin, '{ compounds(search: "国泰花园") { edges { node { id } } } }')).data.compounds.edges[0].node.id;
  const largest = await api(admin, 'query($c: ID!) { households(compoundId: $c, orderBy: AREA_DESCENDING, first: 100) { edges { node { room area } } } }', { c: guotai });
  const byArea = largest.data.households.edges.map((e) => e.node);
  const shows = (areas) => page.waitForFunction((want) => {
    const cells = [...document.querySelectorAll('.households tbody tr.ant-table-row td:nth-child(4)')];
    return cells.map((c) => c.textContent).join() === want.join();
  }, areas);
  await page.getByRole('columnheader', { name: /面积/ }).click();
  await shows(byArea.slice(0, 50).map((h) => h.area));
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByText('第 2 页').waitFor();
  await shows(byArea.slice(50, 100).map((h) => h.area));
  // Back to building, unit and room order.
  await page.getByRole('columnheader', { name: /面积/ }).click();
  await page.getByRole('columnheader', { name: /面积/ }).click();
  await page.getByText('第 1 页').waitFor();
  await page.waitForFunction((first) => document.querySelector('.households tbody tr.ant-table-row')?.innerText === first, firstPage[0]);
  // Search by room.
  await page.getByPlaceholder('按房号搜索').fill('101');
  await page.getByRole('button', { name: /搜\s*索/ }).click();
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('.households tbody tr.ant-table-row td:nth-child(3)')];
    return cells.length > 0 && cells.length < 50 && cells.every((c) => c.textContent.includes('101'));
  });
  await page.goBack();
  await page.waitForURL(/\/compounds\/[^/]+$/);
  // The English toggle.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('tab', { name: 'Households' }).waitFor();
  await context.close();
});

test('a compound created from the form appears in the API; a bad area is refused at its field and writes nothing', async () => {
  const { context, page } = await signIn('admin@demo.test', { width: 1280 });
  await page.getByRole('heading', { name: '打包项目', exact: true }).waitFor();
  // A bundle of its own (with no fee schedule, so the month's billing below leaves it out).
  await page.getByRole('button', { name: '新建打包项目' }).click();
  // Each drawer by its title: one that is closing may still be on the page.
  const drawer = (title) => page.getByRole('dialog', { name: title });
  await drawer('新建打包项目').getByLabel('名称').fill('表单新建打包项目');
  await drawer('新建打包项目').getByLabel('街道办').fill('表单街道办');
  await drawer('新建打包项目').getByLabel('所在区').fill('柳州市表单区');
  await drawer('新建打包项目').getByRole('button', { name: '保 存' }).click();
  const card = page.locator('.bundle', { hasText: '表单新建打包项目' });
  await card.waitFor();
  await card.getByRole('button', { name: '新增小区' }).click();
  await drawer('新增小区').getByLabel('名称').fill('表单新建小区');
  await drawer('新增小区').getByLabel('地址').fill('柳州市表单路 1 号');
  await drawer('新增小区').getByRole('button', { name: '保 存' }).click();
  await page.getByRole('link', { name: '表单新建小区' }).waitFor();
  const admin = await token('admin@demo.test');
  const found = await api(admin, '{ compounds(search: "表单新建小区") { edges { node { id name address managementMode } } } }');
  const created = found.data.compounds.edges.map((e) => e.node);
  assert.equal(created.length, 1, JSON.stringify(found));
  assert.equal(created[0].address, '柳州市表单路 1 号');
  // A building, then a household with a bad area: the field says why; nothing is written.
  await page.goto(`${base}/compounds/${created[0].id}/households`);
  await page.getByRole('button', { name: '新增楼栋' }).click();
  await drawer('新增楼栋').getByLabel('楼栋名称').fill('1栋');
  await drawer('新增楼栋').getByRole('button', { name: '保 存' }).click();
  await page.getByText('楼栋：1栋').waitFor();
  await page.getByRole('button', { name: '新增住户' }).click();
  await drawer('新增住户').getByRole('combobox', { name: '楼栋' }).click();
  await page.locator('.ant-select-item-option', { hasText: '1栋' }).click();
  await drawer('新增住户').getByLabel('房号').fill('101');
  await drawer('新增住户').getByLabel('专有面积（㎡）').fill('-5');
  await drawer('新增住户').getByRole('button', { name: '保 存' }).click();
  await drawer('新增住户').getByText('请填写大于 0 的面积，例如 56.30').waitFor();
  const none = await api(admin, 'query($c: ID!) { households(compoundId: $c) { edges { node { id } } } }', { c: created[0].id });
  assert.equal(none.data.households.edges.length, 0);
  await drawer('新增住户').getByLabel('专有面积（㎡）').fill('56.30');
  await drawer('新增住户').getByRole('button', { name: '保 存' }).click();
  await page.locator('.households tbody tr.ant-table-row').first().waitFor();
  const one = await api(admin, 'query($c: ID!) { households(compoundId: $c) { edges { node { room area } } } }', { c: created[0].id });
  assert.deepEqual(one.data.households.edges.map((e) => e.node), [{ room: '101', area: '56.30' }]);

  // A register from Excel: checked row by row; a file with a problem writes nothing.
  const sheet = (rows) => ({ name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(['楼栋,单元,房号,面积,业主,电话', ...rows].join('\n')) });
  await page.getByRole('button', { name: '导入住户' }).click();
  const dialog = page.getByRole('dialog', { name: '导入住户' });
  await dialog.locator('input[type=file]').setInputFiles(sheet(['1栋,,101,50,,', '2栋,1单元,201,-3,,']));
  await dialog.getByRole('button', { name: '检查表格' }).click();
  await dialog.getByText('表格有 2 处问题，没有导入任何数据').waitFor();
  const problems = await dialog.locator('.register-problems tbody tr.ant-table-row').allInnerTexts();
  assert.match(problems[0], /2\s+房号\s+小区里已有这一房号/);
  assert.match(problems[1], /3\s+面积\s+请填写大于 0 的面积/);
  const still = await api(admin, 'query($c: ID!) { households(compoundId: $c) { edges { node { id } } } }', { c: created[0].id });
  assert.equal(still.data.households.edges.length, 1);
  await dialog.locator('input[type=file]').setInputFiles(sheet(['2栋,1单元,201,60.5,李桂兰,13900001234', '2栋,1单元,202,61,,']));
  await dialog.getByRole('button', { name: '检查表格' }).click();
  await dialog.getByText('可以导入：2 户，新增 1 栋楼。').waitFor();
  await dialog.getByRole('button', { name: '确认导入 2 户' }).click();
  await page.getByText('已导入 2 户').waitFor();
  await page.locator('.households tbody tr.ant-table-row').nth(2).waitFor();
  const three = await api(admin, 'query($c: ID!) { households(compoundId: $c) { edges { node { room members { person { name } } } } } }', { c: created[0].id });
  assert.deepEqual(three.data.households.edges.map((e) => e.node.room), ['101', '201', '202']);
  assert.equal(three.data.households.edges[1].node.members[0].person.name, '李桂兰');
  // And back out, as a workbook.
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 XLSX' }).click()]);
  assert.equal(file.suggestedFilename(), 'households.xlsx');
  const bytes = readFileSync(await file.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  await context.close();
});

test('the admin prints an invite card whose QR code opens sign-up with the code filled in', async () => {
  const { context, page } = await signIn('admin@demo.test', { width: 1280 });
  const admin = await token('admin@demo.test');
  const hh = await api(admin, '{ households(first: 1) { edges { node { id } } } }');
  await page.goto(`${base}/households/${hh.data.households.edges[0].node.id}`);
  await page.getByRole('button', { name: '打印邀请卡' }).click();
  const code = await page.getByTestId('invite-code').innerText();
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await page.locator('.invite-card canvas, .invite-card svg').first().waitFor();
  // The card's link (what the QR code encodes) opens sign-up with firm and code filled in.
  await page.goto(`${base}/join/?firm=demo&code=${encodeURIComponent(code)}`);
  assert.equal(await page.inputValue('input[name=code]'), code);
  assert.equal(await page.inputValue('input[name=tenant]'), 'demo');
  await page.fill('input[name=displayName]', '新住户');
  await page.fill('input[name=identifier]', '13900009999');
  await page.fill('input[name=password]', 'new-resident-pw');
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: '我的房屋' }).waitFor();
  await assertAccessible(page, 'resident home');
  await context.close();
});

test('the resident sees their own household and nothing else, in large type if they like', async () => {
  const { context, page } = await signIn('resident@demo.test');
  await page.getByRole('heading', { name: '我的房屋', exact: true }).waitFor();
  const homes = page.locator('.home');
  await homes.first().waitFor();
  assert.equal(await homes.count(), 1);
  assert.match(await homes.first().innerText(), /国泰花园/);
  assert.match(await homes.first().innerText(), /家庭成员/);
  const body = await page.locator('body').innerText();
  assert.ok(!body.includes('燎原新村'), 'another compound is visible to the resident');
  assert.ok(!body.includes('打包项目'), 'the firm console is visible to the resident');
  // Nothing wider than the phone.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'the page scrolls sideways');
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.home .big')).fontSize));
  await page.getByRole('switch', { name: '大字体' }).click();
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.home .big')).fontSize));
  assert.ok(after > before * 1.15, `large type: ${before}px → ${after}px`);
  // A staff page typed in by hand is not there for a resident.
  await page.goto(base + '/bundles');
  await page.getByRole('heading', { name: '我的房屋' }).waitFor();
  await context.close();
});

test('sign-in errors say what happened in the person\'s language', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/login/');
  await page.fill('input[name=identifier]', 'admin@demo.test');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /账号或密码不对/);
  // A firm the person has no role in is not "wrong password", nor "not allowed".
  await page.fill('input[name=password]', 'courtyard-demo');
  await page.fill('input[name=tenant]', 'rival');
  await page.click('button[type=submit]');
  await page.getByText('这个账号在该物业公司没有岗位').waitFor();
  // In English, all of it.
  await page.getByRole('button', { name: 'English' }).click();
  await page.click('button[type=submit]');
  await page.getByText('This account has no role in that firm').waitFor();
  // Everything but the switch back to Chinese (labelled in Chinese on purpose).
  const english = await page.locator('main > :not(.lang)').allInnerTexts();
  assert.doesNotMatch(english.join('\n'), /[\u4e00-\u9fff]/, 'Chinese left on the English page');
  await context.close();
});

test('a person who works for two firms chooses one at sign-in, in their language', async () => {
  const add = 'mutation($i: MemberInput!) { addMember(input: $i) { id } }';
  const member = (initialPassword) => ({ i: { identifier: 'two-firms@demo.test', displayName: '梁和', initialPassword, role: 'GRID_WORKER', scopeKind: 'TENANT' } });
  const demo = await api(await token('admin@demo.test'), add, member('courtyard-demo'));
  assert.ok(!demo.errors, JSON.stringify(demo.errors));
  const rival = await api(await token('admin@rival.test'), add, member(null));
  assert.ok(!rival.errors, JSON.stringify(rival.errors));
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base + '/login/');
  await page.fill('input[name=identifier]', 'two-firms@demo.test');
  await page.fill('input[name=password]', 'courtyard-demo');
  await page.click('button[type=submit]');
  await page.getByText('这个账号在多家物业公司任职').waitFor();
  const firms = await page.locator('select[name=tenant] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(firms, ['demo', 'rival']);
  await page.selectOption('select[name=tenant]', 'rival');
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  // The session the page keeps is the rival firm's.
  const kept = await page.evaluate(() => localStorage.getItem('courtyard.token'));
  const me = await api(kept, '{ me { tenant { slug } } }');
  assert.equal(me.data.me.tenant.slug, 'rival');
  await context.close();
});

test('a session ended elsewhere returns to sign-in, and then to the page the person was on', async () => {
  const { context, page } = await signIn('accountant@demo.test', { width: 1280 });
  await page.getByRole('link', { name: '收费' }).click();
  await page.waitForURL(/\/billing$/);
  // Signed out elsewhere: the server forgets the session this page holds.
  const held = await page.evaluate(() => localStorage.getItem('courtyard.token'));
  await api(held, 'mutation { logout }');
  await page.reload();
  await page.waitForURL(/\/login\/\?next=%2Fbilling/);
  await page.fill('input[name=identifier]', 'accountant@demo.test');
  await page.fill('input[name=password]', 'courtyard-demo');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/billing$/);
  await page.getByRole('heading', { name: '收费' }).waitFor();
  await context.close();
});

test('the console fits a phone: tables scroll in their own box, the page never sideways', async () => {
  const { context, page } = await signIn('admin@demo.test');
  for (const path of ['/staff', '/compounds']) {
    await page.goto(base + path);
    await page.locator('.ant-table-row').first().waitFor();
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(widths[0] <= widths[1], `${path}: the page is ${widths[0]} px wide on a ${widths[1]} px screen`);
    // Names stay on one line (a two-character name is not stacked into a column).
    const tall = await page.evaluate(() => Math.max(...[...document.querySelectorAll('.ant-table-row')].map((r) => r.getBoundingClientRect().height)));
    assert.ok(tall < 80, `${path}: a row ${tall} px tall`);
  }
  await context.close();
});

test('a grid worker records hardship and proposes a waiver; only another book-keeper approves it', async () => {
  const admin = await token('admin@demo.test');
  const compound = await api(admin, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const hh = await api(admin, 'query($c: ID!) { households(compoundId: $c, first: 41) { edges { node { id } } } }', { c: compound.data.compounds.edges[0].node.id });
  const household = hh.data.households.edges[40].node.id;
  const grid = await signIn('grid@demo.test', { width: 1280, path: `/households/${household}/waivers` });
  const page = grid.page;
  const drawer = (title) => page.getByRole('dialog', { name: title });
  await page.getByRole('button', { name: '登记困难认定' }).click();
  await drawer('登记困难认定').getByRole('combobox', { name: '困难类别' }).click();
  await page.locator('.ant-select-item-option', { hasText: '低保' }).click();
  await drawer('登记困难认定').getByLabel('证件号').fill('DB-2026-0042');
  await drawer('登记困难认定').getByLabel('证明材料').fill('民政局低保证复印件');
  await drawer('登记困难认定').getByPlaceholder('开始日期').fill('2026-12-01');
  await drawer('登记困难认定').getByPlaceholder('结束日期').fill('2027-11-30');
  // Enter in the last field submits the form, as in any form.
  await drawer('登记困难认定').getByPlaceholder('结束日期').press('Enter');
  await page.getByText('DB-2026-0042').waitFor();
  await page.getByRole('button', { name: '提议减免' }).click();
  await drawer('提议减免').getByLabel('起始').fill('2027-01');
  await drawer('提议减免').getByLabel('截止').fill('2027-06');
  await drawer('提议减免').getByRole('button', { name: '提 交' }).click();
  const row = page.locator('.waivers tbody tr.ant-table-row', { hasText: '2027-01' });
  await row.getByText('待批准').waitFor();
  // A grid worker proposes; deciding is for the book-keepers.
  assert.equal(await row.getByRole('button', { name: /批\s*准/ }).count(), 0);
  await grid.context.close();

  const acct = await signIn('accountant@demo.test', { width: 1280, path: `/households/${household}/waivers` });
  const proposed = acct.page.locator('.waivers tbody tr.ant-table-row', { hasText: '2027-01' });
  await proposed.getByRole('button', { name: /批\s*准/ }).click();
  await acct.page.getByRole('button', { name: /确\s*定|OK/ }).click();
  await proposed.getByText('已批准').waitFor();
  // The accountant's own proposal cannot be approved by the accountant, and says why.
  await acct.page.getByRole('button', { name: '提议减免' }).click();
  const form = acct.page.getByRole('dialog', { name: '提议减免' });
  await form.getByLabel('起始').fill('2027-07');
  await form.getByLabel('截止').fill('2027-10');
  await form.getByRole('button', { name: '提 交' }).click();
  const own = acct.page.locator('.waivers tbody tr.ant-table-row', { hasText: '2027-07' });
  await own.getByRole('button', { name: /批\s*准/ }).click();
  await acct.page.getByRole('button', { name: /确\s*定|OK/ }).click();
  await acct.page.getByText('提议的人不能自己批准').waitFor();
  const grants = await api(await token('accountant@demo.test'), 'query($h: ID!) { waiverGrants(householdId: $h) { fromPeriod status } }', { h: household });
  assert.deepEqual(grants.data.waiverGrants.filter((g) => g.fromPeriod.startsWith('2027')).map((g) => [g.fromPeriod, g.status]).sort(), [['2027-01', 'APPROVED'], ['2027-07', 'PROPOSED']]);
  await acct.context.close();
});

test('the committee member sees the owners\' 70% fund and its statement', async () => {
  const { context, page } = await signIn('committee@demo.test');
  await page.getByRole('link', { name: /国泰花园/ }).click();
  const fund = page.getByRole('link', { name: /业委会公共收益/ });
  await fund.waitFor();
  assert.match(await page.locator('.ant-list-item', { has: fund }).innerText(), /¥13,706\.10/);
  // Only the committee fund: no bank or firm accounts, no buttons that move money.
  assert.equal(await page.getByText('银行存款').count(), 0);
  assert.equal(await page.getByRole('button', { name: '手工调账' }).count(), 0);
  await fund.click();
  await page.getByText('余额：¥13,706.10').waitFor();
  const rows = page.locator('.statement tbody tr.ant-table-row');
  await rows.first().waitFor();
  // Six monthly closes of common income and one payout.
  assert.equal(await rows.count(), 7);
  assert.match(await rows.last().innerText(), /补充专项维修资金/);
  await assertAccessible(page, 'statement');
  await context.close();
});

test('the accountant records a month of common income and its cost, closes it, and the fund gets 70% to the fen', async () => {
  const acct = await token('accountant@demo.test');
  const found = await api(acct, '{ compounds(search: "燎原新村") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: `/compounds/${compoundId}/income?month=2026-11` });
  const drawer = (title) => page.getByRole('dialog', { name: title });
  await page.getByText('尚未登记业主大会同意利用共有部分经营的决议').waitFor();
  // Until the owners' resolution is on record, the month cannot be split.
  await page.getByRole('button', { name: '登记业主决议' }).click();
  // The resolution records the owners' passed vote on business use.
  await drawer('登记业主决议').getByLabel('表决事项').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/关于利用共有部分设置广告牌的决定/).click();
  await drawer('登记业主决议').getByLabel('决议文号').fill('业主大会决议〔2026〕3号');
  await drawer('登记业主决议').getByLabel('表决日期').fill('2026-10-20');
  // Enter in the date submits the form, as in the other forms.
  await drawer('登记业主决议').getByLabel('表决日期').press('Enter');
  await page.getByRole('cell', { name: '业主大会决议〔2026〕3号' }).waitFor();

  await page.getByRole('button', { name: '登记收入' }).click();
  const income = drawer('登记收入');
  await income.getByLabel('金额（元）').fill('1000.01');
  await income.getByLabel('付款方').fill('城市之光广告公司');
  await income.getByLabel('收款日期').fill('2026-11-05');
  await income.getByLabel('收款日期').press('Enter');
  await page.getByRole('cell', { name: '城市之光广告公司' }).waitFor();

  await page.getByRole('button', { name: '登记成本' }).click();
  const cost = drawer('登记成本');
  await cost.getByLabel('金额（元）').fill('-100');
  await cost.getByLabel('说明').fill('灯箱 11 月电费');
  await cost.getByLabel('证明材料').fill('电费发票 No.0012');
  await cost.getByRole('button', { name: '保 存' }).click();
  // A negative cost is refused at its field before anything is sent.
  await cost.getByText('请填写大于 0 的金额，最多两位小数').waitFor();
  await cost.getByLabel('金额（元）').fill('100');
  await cost.getByRole('button', { name: '保 存' }).click();
  await page.getByRole('cell', { name: '电费发票 No.0012' }).waitFor();

  // 1000.01 less 100.00 of cost: the firm gets 30% rounded down, the owners the rest.
  const ads = page.locator('.income-split tbody tr.ant-table-row', { hasText: '广告' });
  await ads.getByText('¥630.01').waitFor();
  assert.match(await ads.innerText(), /¥270\.00/);
  await page.getByRole('button', { name: '结账并分配' }).click();
  await page.getByText('¥630.01 计入业委会公共收益').waitFor();
  await page.getByRole('button', { name: /确\s*定|OK/ }).click();
  await page.getByText('本月已结账').waitFor();
  assert.equal(await page.getByRole('button', { name: '登记收入' }).count(), 0, 'a closed month takes no more income');
  // Checked once the "done" message has faded out: axe reads a fading message as low contrast.
  await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
  await assertAccessible(page, 'common income');
  await context.close();

  const month = await api(acct, 'query($c: ID!) { commonIncomeMonth(compoundId: $c, period: "2026-11") { locked total { owners { fen } firm { fen } } } ledgerAccounts(compoundId: $c) { edges { node { kind naturalBalance { fen } } } } }', { c: compoundId });
  const m = month.data.commonIncomeMonth;
  assert.deepEqual([m.locked, m.total.owners.fen, m.total.firm.fen], [true, 63001, 27000]);
  const fund = month.data.ledgerAccounts.edges.find((e) => e.node.kind === 'COMMITTEE_FUND').node;
  assert.equal(fund.naturalBalance.fen, 63001);
});

test('the accountant publishes the accounts board; anyone reads the ledger\'s figures on a phone; a rotated address is gone', async () => {
  const acct = await token('accountant@demo.test');
  const found = await api(acct, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: `/compounds/${compoundId}/income?month=2026-10` });
  await page.getByRole('button', { name: '发布公开栏' }).click();
  const link = page.getByRole('link', { name: /\/board\// });
  await link.waitFor();
  const url = await link.getAttribute('href');
  await context.close();

  // A resident without an account, on a small phone.
  const visitor = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  const board = await visitor.newPage();
  const opened = await board.goto(url);
  assert.equal(opened.status(), 200);
  await board.getByRole('heading', { name: '国泰花园 账目公开栏' }).waitFor();
  const ledger = await api(acct, 'query($c: ID!) { ledgerAccounts(compoundId: $c) { edges { node { kind naturalBalance { fen } } } } }', { c: compoundId });
  const fund = ledger.data.ledgerAccounts.edges.find((e) => e.node.kind === 'COMMITTEE_FUND').node.naturalBalance.fen;
  assert.equal(fund, 1370610);
  const balance = board.locator('dt', { hasText: '当前余额' }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await balance.innerText(), '¥13,706.10');
  assert.match(await board.locator('main').innerText(), /补充专项维修资金/);
  assert.match(await board.locator('main').innerText(), /最近结账月份（2026-10）/);
  const width = await board.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the board is ${width} px wide on a 360 px phone`);
  await assertAccessible(board, 'accounts board');

  // A new address: the old one answers 404 at once.
  await api(acct, 'mutation($c: ID!) { rotatePublicBoard(compoundId: $c) }', { c: compoundId });
  const gone = await board.goto(url);
  assert.equal(gone.status(), 404);
  await visitor.close();
});

test('the accountant bills the month, records a confirmed cash payment, and the resident sees the new bill', async () => {
  const { context, page } = await signIn('accountant@demo.test', { width: 1280 });
  // The page follows billing runs over the live connection once it has subscribed.
  const following = new Promise((resolve) => page.on('websocket', (ws) =>
    ws.on('framesent', (f) => { if (String(f.payload).includes('billingRunChanged')) resolve(); })));
  await page.getByRole('link', { name: '收费' }).click();
  await page.getByRole('button', { name: '生成本期账单' }).click();
  const status = page.getByRole('status');
  await status.waitFor();
  assert.match(await status.innerText(), /已生成 836 张账单/);
  // Billing again issues nothing new.
  await page.getByRole('button', { name: '生成本期账单' }).click();
  await page.getByText('836 户本期已出账').waitFor();
  // Both runs are listed as finished.
  const runs = page.locator('.runs tbody tr.ant-table-row');
  await runs.nth(1).waitFor();
  const listed = await runs.allInnerTexts();
  assert.equal(listed.length, 2, listed.join('\n'));
  for (const r of listed) assert.match(r, /已完成/);
  // A run started elsewhere (a colleague, the command line) appears here and finishes live,
  // without reloading: the page no longer polls.
  await following;
  const colleague = await token('accountant@demo.test');
  const elsewhere = await api(colleague, 'mutation($i: RunBillingInput!) { runBilling(input: $i) { households } }',
    { i: { period: new Date().toISOString().slice(0, 7) } });
  assert.ok(elsewhere.data?.runBilling, JSON.stringify(elsewhere));
  await page.locator('.runs tbody tr.ant-table-row', { hasText: '已完成' }).nth(2).waitFor();
  assert.equal(await runs.count(), 3);
  await assertAccessible(page, 'billing');
  await page.getByRole('link', { name: '小区 →' }).click();
  await page.getByRole('link', { name: '国泰花园' }).click();
  // The ECharts chart draws on a canvas of real size.
  const canvas = page.getByTestId('collection-chart').locator('canvas').first();
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `chart canvas ${JSON.stringify(box)}`);
  const month = new Date().toISOString().slice(0, 7);
  const row = page.locator('.collection tr', { hasText: month }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /¥11,648\.00/, 'due for 国泰花园: 418 × ¥28 less ¥56 waived');
  // An ordinary household: record ¥28 cash, confirmed before it is written.
  const acct = await token('accountant@demo.test');
  const compound = await api(acct, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const hh = await api(acct, 'query($c: ID!) { households(compoundId: $c, first: 4) { edges { node { id } } } }', { c: compound.data.compounds.edges[0].node.id });
  const householdId = hh.data.households.edges[3].node.id;
  await page.goto(`${base}/households/${householdId}/bills`);
  await page.getByText('尚欠：¥28.00').waitFor();
  // A negative amount is refused at its field, and nothing is written.
  await page.locator('input[name=amount]').fill('-28');
  await page.locator('input[name=receiptNo]').fill('R-0001');
  await page.getByRole('button', { name: '登 记' }).click();
  await page.getByText('请填写大于 0 的金额，最多两位小数').waitFor();
  const unpaid = await api(acct, 'query($h: ID!) { householdAccount(householdId: $h) { payments { id } } }', { h: householdId });
  assert.equal(unpaid.data.householdAccount.payments.length, 0);
  await page.locator('input[name=amount]').fill('28');
  await page.locator('input[name=payer]').fill('张大爷');
  await page.getByRole('button', { name: '登 记' }).click();
  await page.getByRole('dialog').getByText('请核对收款').waitFor();
  await page.getByRole('button', { name: '确认登记' }).click();
  await page.getByText('已全部缴清').waitFor();
  // The same receipt number again is refused, next to the field.
  await page.locator('input[name=amount]').fill('1');
  await page.locator('input[name=receiptNo]').fill('R-0001');
  await page.getByRole('button', { name: '登 记' }).click();
  await page.getByRole('button', { name: '确认登记' }).click();
  await page.getByText('这个收据号已用过或不对，请换一个').waitFor();
  await page.getByRole('link', { name: '¥28.00' }).click();
  const receipt = page.locator('.receipt');
  await receipt.getByText('贰拾捌元整').waitFor();
  const text = await receipt.innerText();
  assert.match(text, new RegExp(`${month} ¥28\\.00`), 'the months paid');
  assert.match(text, /张大爷/, 'the payer');
  assert.match(text, /李会计/, 'the collector');
  await context.close();

  const resident = await signIn('resident@demo.test');
  const bill = resident.page.locator('.bill').first();
  await bill.waitFor();
  const billText = await bill.innerText();
  assert.match(billText, new RegExp(month));
  assert.match(billText, /减免/);
  assert.match(billText, /¥14\.00/);
  assert.match(await resident.page.locator('.owing').first().innerText(), /尚欠：¥14\.00/);
  await resident.context.close();
});

test('with online payment off, a resident who owes is told how to pay at the office, as the admin set it', async () => {
  const { context, page } = await signIn('admin@demo.test', { width: 1280 });
  await page.getByRole('link', { name: '设置' }).click();
  await page.getByLabel('地址').fill('驾鹤路 1 号物业服务中心');
  await page.getByLabel('办公时间').fill('周一至周六 8:30–17:30');
  await page.getByLabel('电话').fill('0772-1234567');
  await page.getByRole('button', { name: '保 存' }).last().click();
  await page.getByText('已完成').waitFor();
  await context.close();
  // The same firm served without Stripe: online payment is off.
  const offline = { ...process.env, DATABASE_URL: `sqlite://${join(dir, 'courtyard.db')}`, RUST_LOG: 'warn' };
  const second = await startServer(offline);
  try {
    const resident = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    const p = await resident.newPage();
    await p.goto(second.base + '/login/');
    await p.fill('input[name=identifier]', 'resident@demo.test');
    await p.fill('input[name=password]', 'courtyard-demo');
    await p.click('button[type=submit]');
    await p.getByText('请到物业服务中心缴费').waitFor();
    const office = await p.locator('.office').innerText();
    assert.match(office, /驾鹤路 1 号物业服务中心/);
    assert.match(office, /周一至周六 8:30–17:30/);
    assert.equal(await p.getByRole('link', { name: '0772-1234567' }).getAttribute('href'), 'tel:0772-1234567');
    assert.equal(await p.getByRole('button', { name: /在线支付/ }).count(), 0);
    await resident.close();
  } finally {
    second.server.kill('SIGTERM');
  }
});

test('the resident pays online and the page says paid only once Stripe has confirmed it', async () => {
  const { page, context } = await signIn('resident@demo.test');
  await page.getByRole('button', { name: /在线支付 ¥14\.00/ }).click();
  const status = page.getByRole('status');
  await status.waitFor();
  assert.match(await status.innerText(), /等待支付结果/);
  assert.match(await page.locator('.amount').innerText(), /¥14\.00/);
  // The resident pays on Stripe's side (as Stripe.js would); Stripe's webhook tells the server.
  const intents = await stripeCall('/v1/payment_intents');
  const intent = intents.data.find((i) => i.amount === 1400 && i.status === 'requires_payment_method');
  assert.ok(intent, JSON.stringify(intents));
  const pm = await stripeCall('/v1/payment_methods', { type: 'card', 'card[number]': '4242424242424242', 'card[exp_month]': '12', 'card[exp_year]': '2030', 'card[cvc]': '123' });
  await stripeCall(`/v1/payment_intents/${intent.id}`, { payment_method: pm.id });
  await stripeCall(`/v1/payment_intents/${intent.id}/confirm`, {});
  await page.getByText('已支付，谢谢！').waitFor({ timeout: 15_000 });
  await page.getByRole('link', { name: '查看收据' }).click();
  await page.getByText('壹拾肆元整').waitFor();
  await page.goto(base + '/');
  await page.getByText('已全部缴清').first().waitFor();
  await context.close();

  // The accountant finds it by Stripe's id and refunds ¥4.00 of it.
  const acct = await signIn('accountant@demo.test', { width: 1280 });
  await acct.page.getByRole('link', { name: '收费' }).click();
  const row = acct.page.locator('.online tr', { hasText: intent.id });
  await row.waitFor();
  await row.getByRole('button', { name: '退款' }).click();
  const drawer = acct.page.getByRole('dialog', { name: '退款' });
  await drawer.locator('input[name=refund-amount]').fill('4.00');
  await drawer.locator('input[name=refund-reason]').fill('多收了');
  await drawer.getByRole('button', { name: '退 款' }).click();
  await acct.page.locator('.online tr', { hasText: 'SUCCEEDED re_' }).waitFor();
  await acct.context.close();
});

test('the accountant proposes a bank payout of the committee fund and the committee approves it', async () => {
  const acct = await token('accountant@demo.test');
  const found = await api(acct, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const fund = async () => (await api(acct, 'query($c: ID!) { ledgerAccounts(compoundId: $c) { edges { node { kind naturalBalance { fen } } } } }', { c: compoundId }))
    .data.ledgerAccounts.edges.find((e) => e.node.kind === 'COMMITTEE_FUND').node.naturalBalance.fen;
  const before = await fund();
  const accountant = await signIn('accountant@demo.test', { width: 1280, path: `/compounds/${compoundId}/payouts` });
  await accountant.page.getByRole('button', { name: '银行转账支出' }).click();
  const form = accountant.page.getByRole('dialog', { name: '银行转账支出' });
  // It spends the owners' money: it rests on their passed matter of spending.
  await form.getByLabel('表决事项').click();
  await accountant.page.locator('.ant-select-dropdown:visible').getByText(/关于使用公共收益更换单元门禁的决定/).click();
  await form.getByLabel('金额（元）').fill('1200.00');
  await form.getByLabel('收款方').fill('国泰花园专项维修资金账户 6222 0000 1234');
  await form.getByLabel('用途').fill('更换 3 栋单元门禁');
  await form.getByRole('button', { name: '提 交' }).click();
  await accountant.page.getByText('待业委会批准').waitFor();
  // The firm proposes; it cannot approve its own proposal.
  assert.equal(await accountant.page.getByRole('button', { name: /批\s*准/ }).count(), 0);
  await accountant.context.close();
  assert.equal(await fund(), before, 'nothing leaves the fund before the committee decides');

  const committee = await signIn('committee@demo.test', { width: 1280, path: `/compounds/${compoundId}/payouts` });
  const item = committee.page.locator('.payout', { hasText: '更换 3 栋单元门禁' });
  await item.getByRole('button', { name: /批\s*准/ }).click();
  await committee.page.getByRole('button', { name: /确\s*定|OK/ }).click();
  await item.getByText('已转出').waitFor();
  await committee.context.close();
  assert.equal(await fund(), before - 120000);
});

test('the accountant closes a month of common income for a whole bundle, and again closes nothing twice', async () => {
  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: '/bundles' });
  const card = page.locator('.bundle', { has: page.getByRole('link', { name: '国泰花园' }) });
  await card.getByRole('button', { name: '公共收益结账' }).click();
  const drawer = page.getByRole('dialog', { name: '公共收益结账' });
  await drawer.getByLabel('账期').fill('2026-11');
  await drawer.getByRole('button', { name: '结账并分配' }).click();
  const status = drawer.getByRole('status');
  await status.waitFor();
  assert.match(await status.innerText(), /未能结账 0 个/);
  await drawer.getByRole('button', { name: '结账并分配' }).click();
  await drawer.getByText(/本次结账 0 个小区/).waitFor();
  await context.close();
});

test('the committee reads its compound\'s income report and downloads it as an Excel workbook', async () => {
  const acct = await token('accountant@demo.test');
  const found = await api(acct, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const { context, page } = await signIn('committee@demo.test', { width: 1280, path: `/compounds/${compoundId}/income?month=2026-10` });
  const report = page.locator('.ant-card', { has: page.getByText('公共收益报表', { exact: true }) });
  await report.getByRole('cell', { name: '2026-10' }).first().waitFor();
  // The committee reads; it has no buttons that record or close.
  assert.equal(await page.getByRole('button', { name: '登记收入' }).count(), 0);
  const [file] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: /下载 XLSX/ }).click()]);
  assert.match(file.suggestedFilename(), /^common-income-2026-01-2026-\d\d\.xlsx$/);
  await assertAccessible(page, 'income report');
  await context.close();
});

test('the accountant issues a monthly parking pass; a bad plate is refused at its field', async () => {
  const acct = await token('accountant@demo.test');
  const found = await api(acct, '{ compounds(search: "燎原新村") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: `/compounds/${compoundId}/income` });
  await page.getByRole('button', { name: '办理月卡' }).click();
  const form = page.getByRole('dialog', { name: '办理月卡' });
  await form.getByLabel('车牌号').fill('12345');
  await form.getByLabel('车位或区域').fill('B-12');
  await form.getByLabel('每月价格（元）').fill('150');
  await form.getByRole('button', { name: '保 存' }).click();
  await form.getByText('必须是车牌号', { exact: false }).or(form.getByText(/桂B12345/)).first().waitFor();
  await form.getByLabel('车牌号').fill('桂B 88888');
  await form.getByRole('button', { name: '保 存' }).click();
  await page.getByRole('cell', { name: '桂B88888' }).waitFor();
  // The owner moves away: the pass is ended from this month, refunded after a confirmation.
  await page.getByRole('row').filter({ hasText: '桂B88888' }).getByRole('button', { name: '退卡' }).click();
  const end = page.getByRole('dialog', { name: /退卡/ });
  await end.getByLabel('原因').fill('车主搬离小区');
  await end.getByRole('button', { name: '保 存' }).click();
  await page.getByRole('button', { name: '确认登记' }).click();
  await page.getByRole('row').filter({ hasText: '桂B88888' }).getByText(/起已退/).waitFor();
  await context.close();
  const passes = await api(acct, 'query($c: ID!) { parkingPasses(compoundId: $c) { plate monthly { fen } cancelledFrom } }', { c: compoundId });
  const month = new Date().toISOString().slice(0, 7);
  assert.deepEqual(passes.data.parkingPasses.map((p) => [p.plate, p.monthly.fen, p.cancelledFrom]), [['桂B88888', 15000, month]]);
});

test('the accountant signs an advertising contract over two compounds and records a confirmed payment shared between them', async () => {
  const acct = await token('accountant@demo.test');
  const id = async (name) => (await api(acct, 'query($s: String) { compounds(search: $s) { edges { node { id } } } }', { s: name })).data.compounds.edges[0].node.id;
  const [liaoyuan, guotai] = [await id('燎原新村'), await id('国泰花园')];
  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: `/compounds/${liaoyuan}/income` });
  const card = page.locator('.ant-card').filter({ has: page.getByText('广告合同', { exact: true }) });
  await card.getByRole('button', { name: '签订广告合同' }).click();
  const form = page.getByRole('dialog', { name: '签订广告合同' });
  await form.getByLabel('合同编号').fill('GG-浏览器-1');
  await form.getByLabel('广告商').fill('桂林某传媒有限公司');
  await form.getByLabel('统一社会信用代码').fill('123');
  await form.getByLabel('截止').fill('2027-05');
  await form.getByLabel('价格（元）').fill('800');
  // A second placement, in 国泰花园: two compounds share each payment by placements.
  await form.getByRole('button', { name: '添加广告位' }).click();
  const second = form.locator('.placement-row').nth(1);
  await second.getByLabel('小区').click();
  await second.getByLabel('小区').fill('国泰');
  await page.locator('.ant-select-item-option').filter({ hasText: '国泰花园' }).click();
  await form.getByRole('button', { name: '保 存' }).click();
  await form.getByText('18 位统一社会信用代码', { exact: false }).waitFor();
  await form.getByLabel('统一社会信用代码').fill('91450300MA5K123456');
  await form.getByRole('button', { name: '保 存' }).click();
  await card.getByRole('cell', { name: 'GG-浏览器-1' }).waitFor();

  await card.getByRole('button', { name: '登记收款' }).click();
  const pay = page.getByRole('dialog', { name: /登记收款/ });
  await pay.getByLabel('金额（元）').fill('800.01');
  await pay.getByRole('button', { name: '保 存' }).click();
  await page.getByRole('button', { name: '确认登记' }).click();
  await pay.waitFor({ state: 'hidden' });
  await context.close();

  const contracts = await api(acct, 'query($c: ID!) { advertisingContracts(compoundId: $c) { number paid { fen } payments { shares { compoundId amount { fen } } } } }', { c: guotai });
  const c = contracts.data.advertisingContracts.find((x) => x.number === 'GG-浏览器-1');
  assert.equal(c.paid.fen, 80001);
  const shares = Object.fromEntries(c.payments[0].shares.map((s) => [s.compoundId, s.amount.fen]));
  // One placement each: 400.01 and 400.00, the odd fen to the earlier compound in order.
  assert.equal(shares[liaoyuan] + shares[guotai], 80001);
  assert.ok(Math.abs(shares[liaoyuan] - shares[guotai]) === 1);
});

test('the accountant imports parking takings from the parking system\'s CSV; a duplicate row is refused first', async () => {
  const acct = await token('accountant@demo.test');
  const found = await api(acct, '{ compounds(search: "燎原新村") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const today = new Date().toISOString().slice(0, 10);
  const month = today.slice(0, 7);
  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: `/compounds/${compoundId}/income?month=${month}` });
  const csv = (rows) => ({ name: 'exits.csv', mimeType: 'text/csv', buffer: Buffer.from(['订单号,车牌号,出场时间,实收金额', ...rows].join('\n')) });
  await page.getByRole('button', { name: '导入停车系统数据' }).click();
  const dialog = page.getByRole('dialog', { name: '导入停车系统数据' });
  await dialog.locator('input[type=file]').setInputFiles(csv([`A1,桂B1,${today} 08:00:00,5`, `A1,桂B1,${today} 08:00:00,5`]));
  await dialog.getByRole('button', { name: '检查表格' }).click();
  await dialog.getByText('与文件中前面的一行重复').waitFor();
  await dialog.locator('input[type=file]').setInputFiles(csv([`A1,桂B1,${today} 08:00:00,5`, `A2,桂B2,${today} 09:00:00,7.5`]));
  await dialog.getByRole('button', { name: '检查表格' }).click();
  await dialog.getByRole('button', { name: '确认导入 1 天的收入' }).click();
  await page.getByText('已导入 1 天的临时停车收入').waitFor();
  await context.close();
  const m = await api(acct, 'query($c: ID!, $p: String!) { commonIncomeMonth(compoundId: $c, period: $p) { records { category amount { fen } receivedOn } } }', { c: compoundId, p: month });
  const parking = m.data.commonIncomeMonth.records.filter((r) => r.category === 'PARKING_TEMPORARY' && r.receivedOn === today);
  assert.deepEqual(parking.map((r) => r.amount.fen), [1250]);
});

test('the accountant attaches the scan of the owners\' resolution, and the committee opens it', async () => {
  const acct = await token('accountant@demo.test');
  const found = await api(acct, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const matters = await api(acct, 'query($c: ID!) { matters(compoundId: $c) { id kind outcome } }', { c: compoundId });
  const passed = matters.data.matters.find((m) => m.kind === 'COMMON_PARTS_USE' && m.outcome === 'PASSED').id;
  const made = await api(acct, 'mutation($c: ID!, $m: ID!) { recordBusinessUseResolution(input: { compoundId: $c, matterId: $m, documentNo: "扫描件测试决议", decidedOn: "2026-10-15" }) { id } }', { c: compoundId, m: passed });
  const id = made.data.recordBusinessUseResolution.id;
  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: `/compounds/${compoundId}/income` });
  const row = page.locator('.ant-card').filter({ hasText: '业主决议与分成规则' }).getByRole('row').filter({ hasText: '扫描件测试决议' });
  await row.locator('input[type=file]').setInputFiles({ name: 'resolution.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 签字页\n%%EOF\n') });
  await row.getByRole('button', { name: '查看' }).waitFor();
  await context.close();

  const committee = await signIn('committee@demo.test', { width: 1280, path: `/compounds/${compoundId}/income` });
  const theirs = committee.page.locator('.ant-card').filter({ hasText: '业主决议与分成规则' }).getByRole('row').filter({ hasText: '扫描件测试决议' });
  const [file] = await Promise.all([committee.page.waitForEvent('download'), theirs.getByRole('button', { name: '查看' }).click()]);
  assert.equal(readFileSync(await file.path()).subarray(0, 5).toString(), '%PDF-');
  assert.match(file.suggestedFilename(), /\.pdf$/, 'named with the extension its content takes');
  await committee.context.close();
  const listed = await api(acct, 'query($c: ID!) { businessUseResolutions(compoundId: $c) { id scanType } }', { c: compoundId });
  assert.equal(listed.data.businessUseResolutions.find((r) => r.id === id).scanType, 'application/pdf');
});

test('the admin adds a new person to a household in one step; a bad ID number is refused at its field', async () => {
  const admin = await token('admin@demo.test');
  const found = await api(admin, '{ households(first: 1) { edges { node { id } } } }');
  const householdId = found.data.households.edges[0].node.id;
  const { context, page } = await signIn('admin@demo.test', { width: 1280, path: `/households/${householdId}/members` });
  await page.getByRole('button', { name: '添加家庭成员' }).click();
  const form = page.getByRole('dialog', { name: '添加家庭成员' });
  await form.getByLabel('姓名').fill('黄阿婆');
  await form.getByLabel('身份证号').fill('110105194912310021');
  await form.getByRole('button', { name: '保 存' }).click();
  await form.locator('.ant-form-item-has-error').filter({ hasText: '身份证号' }).waitFor();
  const persons = async () => (await api(admin, 'query($h: ID!) { household(id: $h) { members { person { name } } } }', { h: householdId }))
    .data.household.members.map((m) => m.person.name);
  assert.ok(!(await persons()).includes('黄阿婆'), 'nothing written after a refusal');
  await form.getByLabel('身份证号').fill('11010519491231002X');
  await form.getByRole('button', { name: '保 存' }).click();
  await page.getByText('黄阿婆').waitFor();
  await context.close();
  assert.ok((await persons()).includes('黄阿婆'));
});

test('a resident reports a leak on the phone, the dispatcher files and dispatches it, the contractor completes it and the resident verifies and rates it', async () => {
  const resident = await token('resident@demo.test');
  const accountant = await token('accountant@demo.test');
  const mine = async () => (await api(resident, '{ workOrders(first: 50) { edges { node { id number state cost { fen } rating } } } }')).data.workOrders.edges.map((e) => e.node);
  const known = new Set((await mine()).map((o) => o.id));

  // The dispatcher's board is open before the report arrives.
  const desk = await signIn('dispatcher@demo.test', { width: 1280, path: '/orders' });
  await desk.page.getByRole('heading', { name: '工单看板' }).waitFor();
  await assertAccessible(desk.page, 'work order board');

  const phone = await signIn('resident@demo.test', { path: '/repairs' });
  await phone.page.getByRole('heading', { name: '我的报修' }).waitFor();
  await phone.page.getByRole('button', { name: '报修 / 反映问题' }).click();
  await phone.page.locator('textarea').fill('阳台下水道堵了，水排不出去');
  await assertAccessible(phone.page, 'report form');
  await phone.page.getByRole('button', { name: '报修', exact: true }).click();
  await phone.page.getByRole('button', { name: '报修 / 反映问题' }).waitFor();
  const order = (await mine()).find((o) => !known.has(o.id));
  assert.ok(order, 'the report reached the API');
  await phone.page.getByText(`工单号 ${order.number} · 待立案`).click();
  // A photo of the problem, from the phone's camera or gallery.
  await phone.page.locator('input[type=file]').setInputFiles(resolve('e2e/leak.png'));
  await phone.page.getByRole('link', { name: '照片 · 待立案' }).waitFor();
  await phone.page.goto(base + '/repairs');

  // The board shows it without a reload: it follows changes live (a subscription).
  await desk.page.getByText(`No.${order.number}`).waitFor({ timeout: 10_000 });
  await desk.page.getByText(`No.${order.number}`).click();
  await desk.page.getByRole('heading', { name: `工单号 ${order.number}` }).waitFor();
  await desk.page.getByRole('img', { name: '照片 · 待立案' }).waitFor();
  await desk.page.getByRole('button', { name: '立 案' }).click();
  const filing = desk.page.getByRole('dialog', { name: `立案 · No.${order.number}` });
  await filing.getByRole('combobox', { name: '费用承担' }).click();
  await desk.page.locator('.ant-select-item-option', { hasText: '住户自付' }).click();
  await filing.getByLabel('预估费用（元）').fill('80');
  await filing.getByRole('button', { name: '保 存' }).click();
  await filing.waitFor({ state: 'hidden' });
  // Fresh, without the closed drawer's leftover select list.
  await desk.page.reload();
  await desk.page.getByText('承包商排名').waitFor();
  // The ranking loaded and the dispatch button's colour transition (0.2 s) over.
  await desk.page.getByRole('button', { name: '派单', exact: true }).waitFor();
  await desk.page.waitForTimeout(400);
  await assertAccessible(desk.page, 'work order with its ranking');
  await desk.page.getByRole('button', { name: '按排名自动派单' }).click();
  await desk.page.getByText('陈师傅水电维修').first().waitFor();
  await desk.page.locator('.ant-tag', { hasText: '已派单' }).waitFor();

  // The contractor, on their phone: accept, start, complete (not above the estimate).
  const job = await signIn('contractor@demo.test');
  await job.page.getByRole('heading', { name: '我的工单' }).waitFor();
  await job.page.getByText(`工单号 ${order.number}`).click();
  await job.page.getByRole('button', { name: '接单' }).click();
  await job.page.getByRole('button', { name: '开始施工' }).click();
  await job.page.getByLabel('费用（元）').fill('500');
  await job.page.getByLabel('完工说明').fill('疏通下水管');
  await job.page.getByRole('button', { name: '完工' }).click();
  await job.page.getByRole('alert').filter({ hasText: '费用' }).waitFor();
  assert.equal((await mine()).find((o) => o.id === order.id).state, 'IN_PROGRESS', 'nothing written after a refusal');
  await assertAccessible(job.page, 'contractor job');
  await job.page.getByLabel('费用（元）').fill('75');
  await job.page.getByRole('button', { name: '完工' }).click();
  await job.page.getByText(`工单号 ${order.number} · 待验收`).waitFor();
  // The dispatcher's open order page followed every move live.
  await desk.page.locator('.ant-tag', { hasText: '待验收' }).waitFor({ timeout: 10_000 });

  // The resident verifies (confirmed) and rates; the cost lands on their account.
  const owed = async () => {
    const h = (await api(resident, '{ households(first: 1) { edges { node { id } } } }')).data.households.edges[0].node.id;
    return (await api(accountant, 'query($h: ID!) { householdAccount(householdId: $h) { balance { fen } } }', { h })).data.householdAccount.balance.fen;
  };
  const before = await owed();
  await phone.page.goto(base + `/repairs/${order.id}`);
  await phone.page.getByRole('button', { name: '验收通过' }).click();
  await phone.page.getByRole('button', { name: '确认验收通过' }).click();
  await phone.page.getByRole('button', { name: '评价' }).click();
  await phone.page.getByText('已评价').waitFor();
  await assertAccessible(phone.page, 'resident repair');
  const done = (await mine()).find((o) => o.id === order.id);
  assert.deepEqual([done.state, done.cost.fen, done.rating], ['VERIFIED', 7500, 5]);
  assert.equal(await owed(), before + 7500);
  for (const c of [desk, phone, job]) await c.context.close();
});

test('a dispatcher is alerted on any page when a contractor declines an order, and opens it from the alert', async () => {
  const dispatcher = await token('dispatcher@demo.test');
  const contractor = await token('contractor@demo.test');
  const desk = await signIn('dispatcher@demo.test', { width: 1280, path: '/contractors' });
  await desk.page.getByRole('heading', { name: '承包商' }).waitFor();
  const compound = (await api(dispatcher, '{ compounds(search: "燎原新村") { edges { node { id } } } }')).data.compounds.edges[0].node.id;
  const reported = await api(dispatcher, 'mutation($i: ReportWorkOrderInput!) { reportWorkOrder(input: $i) { id number } }',
    { i: { compoundId: compound, locationKind: 'STAIRWELL', location: '3栋 二楼', trade: 'ELECTRICAL', priority: 'NORMAL', description: '楼道灯不亮' } });
  const { id, number } = reported.data.reportWorkOrder;
  await api(dispatcher, 'mutation($id: ID!) { fileWorkOrder(id: $id, input: { trade: ELECTRICAL, priority: NORMAL, bearer: COMPOUND_BUDGET }) { state } }', { id });
  const chen = (await api(dispatcher, '{ contractors { id name } }')).data.contractors.find((c) => c.name === '陈师傅水电维修').id;
  await api(dispatcher, 'mutation($id: ID!, $c: ID) { dispatchWorkOrder(id: $id, contractorId: $c) { state } }', { id, c: chen });
  const declined = await api(contractor, 'mutation($id: ID!) { declineWorkOrder(id: $id, note: "今天排满了") { state } }', { id });
  assert.equal(declined.errors, undefined, JSON.stringify(declined.errors));

  const alert = desk.page.locator('.ant-notification-notice', { hasText: `工单号 ${number}：拒单` });
  await alert.waitFor({ timeout: 10_000 });
  await alert.getByRole('button', { name: '查 看' }).click();
  await desk.page.getByRole('heading', { name: `工单号 ${number}` }).waitFor();
  await desk.context.close();
});

test('the accountant pays a contractor for verified work from the bank; a blank reference is refused at its field', async () => {
  const dispatcher = await token('dispatcher@demo.test');
  const contractor = await token('contractor@demo.test');
  const acct = await token('accountant@demo.test');
  const compound = (await api(dispatcher, '{ compounds(search: "燎原新村") { edges { node { id } } } }')).data.compounds.edges[0].node.id;
  const reported = await api(dispatcher, 'mutation($i: ReportWorkOrderInput!) { reportWorkOrder(input: $i) { id number } }',
    { i: { compoundId: compound, locationKind: 'STAIRWELL', location: '5栋 一楼', trade: 'ELECTRICAL', priority: 'NORMAL', description: '楼道开关坏了' } });
  const { id, number } = reported.data.reportWorkOrder;
  await api(dispatcher, 'mutation($id: ID!) { fileWorkOrder(id: $id, input: { trade: ELECTRICAL, priority: NORMAL, bearer: COMPOUND_BUDGET }) { state } }', { id });
  const chen = (await api(dispatcher, '{ contractors { id name } }')).data.contractors.find((c) => c.name === '陈师傅水电维修').id;
  await api(dispatcher, 'mutation($id: ID!, $c: ID) { dispatchWorkOrder(id: $id, contractorId: $c) { state } }', { id, c: chen });
  for (const op of ['acceptWorkOrder(id: $id)', 'startWorkOrder(id: $id)', 'completeWorkOrder(id: $id, cost: "150")']) {
    const moved = await api(contractor, `mutation($id: ID!) { ${op} { state } }`, { id });
    assert.equal(moved.errors, undefined, JSON.stringify(moved.errors));
  }
  const verified = await api(dispatcher, 'mutation($id: ID!) { verifyWorkOrder(id: $id) { state } }', { id });
  assert.equal(verified.errors, undefined, JSON.stringify(verified.errors));

  const { context, page } = await signIn('accountant@demo.test', { width: 1280, path: '/contractors' });
  await page.locator('tr', { hasText: '陈师傅水电维修' }).getByRole('link', { name: '结算' }).click();
  await page.getByRole('heading', { name: '陈师傅水电维修 · 结算' }).waitFor();
  const row = page.locator('.unpaid tr', { hasText: `No.${number}` });
  assert.match(await row.innerText(), /¥150\.00/);
  await assertAccessible(page, 'contractor account');
  await row.getByRole('checkbox').check();
  await page.getByRole('status').filter({ hasText: '已选 1 张' }).waitFor();
  await page.getByRole('button', { name: /^付\s?款$/ }).click();
  const form = page.getByRole('dialog', { name: '付款', exact: true });
  await form.getByLabel('合同或凭证号').fill('   ');
  await form.getByRole('button', { name: /^付\s?款$/ }).click();
  await form.locator('.ant-form-item-has-error').filter({ hasText: '合同或凭证号' }).waitFor();
  const paidFor = async () => (await api(acct, 'query($c: ID!) { contractorAccount(contractorId: $c) { payments { amount { fen } costs { orderNumber } } } }', { c: chen }))
    .data.contractorAccount.payments.filter((p) => p.costs.some((c) => c.orderNumber === number));
  assert.deepEqual(await paidFor(), [], 'nothing was written');
  await form.getByLabel('合同或凭证号').fill('网银 20261210-07');
  await form.getByRole('button', { name: /^付\s?款$/ }).click();
  // Shown back in full before it is written.
  const confirm = page.getByRole('dialog').filter({ hasText: '确认付款？付款后记入账目。' });
  assert.match(await confirm.innerText(), /陈师傅水电维修 · ¥150\.00 · 银行转账 · 网银 20261210-07/);
  await confirm.getByRole('button', { name: '确认付款' }).click();
  await form.waitFor({ state: 'hidden' });
  await row.waitFor({ state: 'detached' });
  await page.locator('.payments tr', { hasText: `No.${number}` }).filter({ hasText: '银行转账' }).waitFor();
  assert.deepEqual((await paidFor()).map((p) => p.amount.fen), [15000]);
  await context.close();

  // The contractor sees the payment on their phone, with the order it paid for.
  const phone = await signIn('contractor@demo.test');
  const earnings = phone.page.getByRole('region', { name: '我的结算' });
  await earnings.getByText(new RegExp(`银行转账 · ¥150\\.00 · .*${number}`)).waitFor();
  await assertAccessible(phone.page, 'contractor jobs');
  await phone.context.close();
});

test('the dispatcher registers a contractor; a capacity of 0 is refused at its field and writes nothing', async () => {
  const { context, page } = await signIn('dispatcher@demo.test', { width: 1280, path: '/contractors' });
  await page.getByRole('heading', { name: '承包商' }).waitFor();
  await page.getByText('陈师傅水电维修').waitFor();
  await assertAccessible(page, 'contractors');
  await page.getByRole('button', { name: '登记承包商' }).click();
  const form = page.getByRole('dialog', { name: '登记承包商' });
  await form.getByLabel('名称').fill('安心开锁');
  await form.getByLabel('开锁换锁').check();
  await form.getByLabel('同时在办上限').fill('0');
  await form.getByLabel('单价（元）').fill('60');
  await form.getByRole('button', { name: '保 存' }).click();
  await form.locator('.ant-form-item-has-error').filter({ hasText: '同时在办上限' }).waitFor();
  const dispatcher = await token('dispatcher@demo.test');
  const names = async () => (await api(dispatcher, '{ contractors { name } }')).data.contractors.map((c) => c.name);
  assert.ok(!(await names()).includes('安心开锁'));
  await form.getByLabel('同时在办上限').fill('2');
  await form.getByRole('combobox', { name: '小区', exact: true }).click();
  await page.locator('.ant-select-item-option', { hasText: '国泰花园' }).click();
  await form.getByRole('button', { name: '保 存' }).click();
  await page.getByRole('cell', { name: /安心开锁/ }).waitFor();
  assert.ok((await names()).includes('安心开锁'));
  await context.close();
});

test('the dispatcher sets a compound\'s time limits; an answer slower than the resolution is refused at its field', async () => {
  const dispatcher = await token('dispatcher@demo.test');
  const found = await api(dispatcher, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const { context, page } = await signIn('dispatcher@demo.test', { width: 1280, path: `/compounds/${compoundId}/repairs` });
  await page.getByText('报修时限').waitFor();
  await page.getByText('接单 1 天 · 完成 3 天').waitFor();
  await assertAccessible(page, 'compound repairs');
  await page.getByRole('button', { name: '修 改' }).click();
  const form = page.getByRole('dialog', { name: '报修时限' });
  await form.getByLabel('较急 · 接单（分钟）').fill('2000');
  await form.getByRole('button', { name: '保 存' }).click();
  await form.locator('.ant-form-item-has-error').filter({ hasText: '较急 · 接单' }).waitFor();
  const rules = async () => (await api(dispatcher, 'query($c: ID!) { dispatchRules(compoundId: $c) { urgentRespond } }', { c: compoundId })).data.dispatchRules.urgentRespond;
  assert.equal(await rules(), 120, 'nothing written after a refusal');
  await form.getByLabel('较急 · 接单（分钟）').fill('60');
  await form.getByRole('button', { name: '保 存' }).click();
  await page.getByText('接单 1 小时 · 完成 1 天').waitFor();
  assert.equal(await rules(), 60);
  await context.close();
});

test('the committee drafts and opens a vote, an owner votes on the phone, a paper ballot is entered, and the count gives its certificate', async () => {
  const committee = await token('committee@demo.test');
  const found = await api(committee, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const staff = await signIn('committee@demo.test', { width: 1280, path: `/compounds/${compoundId}/votes` });
  // A matter drafted in the form: the kind tells its rule.
  await staff.page.getByRole('button', { name: '起草表决事项' }).click();
  const form = staff.page.getByRole('dialog', { name: '起草表决事项' });
  await form.getByText('四分之三以上通过').waitFor();
  await form.getByLabel('标题').fill('增设电动车充电桩');
  await form.getByLabel('事项全文').fill('在3栋东侧空地增设电动车充电桩，收益按七三分配。');
  await form.getByRole('button', { name: '保 存' }).click();
  await staff.page.getByRole('row').filter({ hasText: '增设电动车充电桩' }).getByText('草稿').waitFor();
  // A second, closing in half a minute, opened here.
  const closesAt = new Date(Date.now() + 30_000).toISOString();
  const drafted = await api(committee, 'mutation($i: MatterInput!) { draftMatter(input: $i) { id } }', { i: { compoundId, kind: 'OTHER', title: '更换小区大门', body: '更换东门为电动门。', closesAt } });
  const matterId = drafted.data.draftMatter.id;
  await staff.page.reload();
  const row = staff.page.getByRole('row').filter({ hasText: '更换小区大门' });
  await row.getByRole('button', { name: '开始投票' }).click();
  await staff.page.locator('.ant-popconfirm').getByRole('button', { name: /确\s?定/ }).click();
  await row.getByText('投票中').waitFor();

  // The owner votes on the phone, then changes their mind; the page keeps the receipt.
  const owner = await signIn('resident@demo.test', { path: '/votes' });
  const card = owner.page.locator('section.vote').filter({ hasText: '更换小区大门' });
  await card.getByRole('button', { name: '反对' }).click();
  await card.getByText('您的选择：反对').waitFor();
  await card.getByRole('button', { name: '同意' }).click();
  await card.getByText('您的选择：同意').waitFor();
  const receipt = (await card.locator('.mono').textContent()).trim();
  await assertAccessible(owner.page, 'the ballot page');

  // The committee enters a paper ballot with its scan.
  await row.getByRole('button', { name: /展开/ }).click();
  const detail = staff.page.locator('.ant-table-expanded-row');
  await detail.getByRole('columnheader', { name: '已投票' }).waitFor();
  const voterRow = detail.getByRole('row').filter({ hasText: '未投票' }).first();
  await voterRow.getByRole('combobox').click();
  await staff.page.locator('.ant-select-dropdown:visible').getByText('弃权', { exact: true }).click();
  await voterRow.locator('input[type=file]').setInputFiles({ name: 'ballot.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 选票\n%%EOF\n') });
  await staff.page.getByText('已录入').waitFor();
  const voted = await api(committee, 'query($id: ID!) { matter(id: $id) { participation { owners } } }', { id: matterId });
  assert.equal(voted.data.matter.participation.owners, 2);

  // After its time the committee counts it: two of 418 owners is no quorum, and the receipts
  // hold the owner's.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(closesAt) - Date.now() + 500)));
  await staff.page.reload();
  await row.getByRole('button', { name: '结束投票并计票' }).click();
  await staff.page.locator('.ant-popconfirm').getByRole('button', { name: /确\s?定/ }).click();
  await row.getByText('参与不足三分之二，不成立').waitFor();
  await row.getByRole('button', { name: /展开/ }).click();
  await detail.getByText('表决结果证明').waitFor();
  await detail.getByText(receipt).waitFor();
  await detail.getByRole('button', { name: '打 印' }).waitFor();
  await owner.context.close();
  await staff.context.close();
});

test('the committee answers a resident\'s question on the budget, starts next year\'s and drafts its lines; the owner reads both on the phone', async () => {
  const committee = await token('committee@demo.test');
  const found = await api(committee, '{ compounds(search: "国泰花园") { edges { node { id } } } }');
  const compoundId = found.data.compounds.edges[0].node.id;
  const staff = await signIn('committee@demo.test', { width: 1280, path: `/compounds/${compoundId}/budgets` });
  // This year's budget is being implemented: its lines against the books, and a question
  // awaiting the committee's answer.
  const current = staff.page.getByRole('row').filter({ hasText: '2026年度物业服务收支预算' });
  await current.getByText('组织实施').waitFor();
  await current.getByRole('button', { name: /展开/ }).click();
  const detail = staff.page.locator('.ant-table-expanded-row');
  await detail.getByText('预算执行（截至今日）').waitFor();
  await detail.getByText('张建国、李秀英、王志强、赵桂兰、刘德明').waitFor();
  await detail.getByLabel('答复').fill('已列入明年维修计划，三月前完成。');
  await detail.getByRole('button', { name: '公开答复' }).click();
  await detail.getByText('答复：已列入明年维修计划，三月前完成。').waitFor();
  await assertAccessible(staff.page, 'the budget');

  // Next year's budget: started, its opinions summed up, and its first draft; a negative
  // amount is refused at its field.
  const nextYear = new Date().getFullYear() + 1;
  await current.getByRole('button', { name: /关闭行/ }).click();
  await staff.page.getByRole('button', { name: '编制年度预算' }).click();
  const start = staff.page.getByRole('dialog', { name: '编制年度预算' });
  await start.getByRole('button', { name: '保 存' }).click();
  const next = staff.page.getByRole('row').filter({ hasText: `${nextYear}年度物业服务收支预算` });
  await next.getByText('征集意见').waitFor();
  await next.getByRole('button', { name: /展开/ }).click();
  const nextDetail = staff.page.locator('.ant-table-expanded-row:visible');
  await nextDetail.getByText('还没有拟定预算项目').waitFor();
  await nextDetail.getByRole('button', { name: '进入：拟定草案' }).click();
  const step = staff.page.getByRole('dialog', { name: '进入：拟定草案' });
  await step.getByLabel('意见汇总（必填）').fill('收集意见 12 条，多数要求增加绿化养护。');
  await step.getByRole('button', { name: '保 存' }).click();
  await nextDetail.getByRole('button', { name: '修改预算（新一稿）' }).click();
  const lines = staff.page.getByRole('dialog', { name: '修改预算（新一稿）' });
  const amounts = lines.getByLabel('金额（元）');
  await amounts.nth(0).fill('104000');
  await amounts.nth(1).fill('-1');
  await amounts.nth(2).fill('36000');
  await lines.getByRole('button', { name: '保 存' }).click();
  await lines.getByText('0 或以上，最多两位小数').waitFor();
  await amounts.nth(1).fill('60000');
  await lines.getByRole('button', { name: '保 存' }).click();
  await nextDetail.getByText('第 1 稿').waitFor();
  const budgets = await api(committee, 'query($c: ID!) { budgets(compoundId: $c) { id year step } }', { c: compoundId });
  const made = budgets.data.budgets.find((b) => b.year === nextYear);
  assert.equal(made.step, 'DRAFTING');
  const read = await api(committee, 'query($id: ID!) { budget(id: $id) { versions { lines { category amount { fen } } } steps { to note } } }', { id: made.id });
  assert.deepEqual(read.data.budget.versions[0].lines.map((l) => [l.category, l.amount.fen]).sort(),
    [['CLEANING', 3600000], ['FEES', 10400000], ['GUARDS', 6000000]]);
  assert.equal(read.data.budget.steps[0].note, '收集意见 12 条，多数要求增加绿化养护。');

  // The owner reads both budgets on the phone, with the answer, and asks a question.
  const owner = await signIn('resident@demo.test', { path: '/budget' });
  const card = owner.page.locator('section.vote').filter({ hasText: '2026年度物业服务收支预算' });
  await card.getByText('答复：已列入明年维修计划，三月前完成。').waitFor();
  const draft = owner.page.locator('section.vote').filter({ hasText: `${nextYear}年度物业服务收支预算` });
  await draft.getByRole('textbox').fill('绿化养护费用是多少？');
  await draft.getByRole('button', { name: '提问' }).click();
  await draft.getByText('绿化养护费用是多少？').waitFor();
  await assertAccessible(owner.page, 'the budget on the phone');
  await owner.context.close();
  await staff.context.close();
});

test('the accountant reads the arrears list, most owed first, a bundle at a time, and opens a household from it', async () => {
  const acct = await token('accountant@demo.test');
  // A month billed (idempotent: the billing test may have billed it already).
  await api(acct, 'mutation($i: RunBillingInput!) { runBilling(input: $i) { invoiced } }', { i: { period: new Date().toISOString().slice(0, 7) } });
  const { context, page } = await signIn('accountant@demo.test', { width: 1280 });
  await page.getByRole('link', { name: '欠费' }).click();
  const rows = page.locator('.arrears tbody tr.ant-table-row');
  await rows.nth(49).waitFor();
  const firm = await api(acct, '{ arrearsList(first: 50) { edges { node { owed { fen } compoundName room } } pageInfo { hasNextPage } } }');
  const first = firm.data.arrearsList.edges[0].node;
  const shown = await rows.first().innerText();
  assert.match(shown, new RegExp(first.compoundName));
  assert.match(shown, new RegExp(`¥${(first.owed.fen / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`));
  assert.ok(firm.data.arrearsList.pageInfo.hasNextPage, 'more than a page owes');
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByText('第 2 页').waitFor();
  await assertAccessible(page, 'the arrears list');

  // One bundle: only its compounds are listed.
  await page.getByRole('combobox', { name: '打包项目' }).click();
  await page.getByTitle('齐齐哈尔城南老旧小区打包项目').click();
  await page.getByText('第 2 页').waitFor({ state: 'detached' });
  await rows.first().waitFor();
  const inBundle = await page.locator('.arrears tbody tr.ant-table-row td:first-child').allInnerTexts();
  const qiqihar = ['龙沙乡家属楼', '城南糖厂职工楼', '南苑电厂家属院', '铁锋路老干部楼', '城南供销社宿舍'];
  assert.ok(inBundle.length > 0 && inBundle.every((c) => qiqihar.includes(c)), inBundle.join(', '));

  // A row opens the household's bills, where what it owes is shown.
  await rows.first().locator('td').nth(1).getByRole('link').click();
  await page.waitForURL(/\/households\/[^/]+\/bills/);
  await page.getByText(/尚欠：¥/).first().waitFor();
  await context.close();
});
