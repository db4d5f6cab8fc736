// Browser tests: the real server (SQLite, demo data) driven through headless Chromium.
// Needs COURTYARD_BIN (the built `courtyard` binary) and the built front end in dist/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
    ...process.env, DATABASE_URL: `sqlite://${join(dir, 'courtyard.db')}`, RUST_LOG: 'warn',
    STRIPE_SECRET_KEY: STRIPE_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripeBase,
  };
  execFileSync(bin, ['demo'], { env, stdio: 'inherit' });
  server = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--static-dir', resolve('dist')], { env });
  base = await new Promise((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${seen}`)), 30_000);
    server.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/running at (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); ok(m[1].replace(/\/$/, '')); }
    });
    server.on('exit', (code) => fail(new Error(`server exited ${code}: ${seen}`)));
  });
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

async function signIn(identifier) {
  // A small phone screen, as many residents have.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.fill('input[name=identifier]', identifier);
  await page.fill('input[name=password]', 'courtyard-demo');
  await page.click('button[type=submit]');
  return { context, page };
}

test('the firm admin opens a compound and sees its households', async () => {
  const { context, page } = await signIn('admin@demo.test');
  await page.getByRole('heading', { name: '打包项目', exact: true }).waitFor();
  await page.getByText('齐齐哈尔城南老旧小区打包项目').waitFor();
  // Each bundle charts its compounds' collection rates (ECharts on a canvas).
  await page.getByTestId('bundle-chart').first().locator('canvas').waitFor();
  await page.getByRole('link', { name: /国泰花园/ }).click();
  await page.getByRole('heading', { name: '国泰花园', exact: true }).waitFor();
  // The contract's late fee: none until set; set from the compound page.
  await page.getByText('滞纳金条款（合同约定才设置）').click();
  await page.fill('input[name=late-rate]', '5');
  await page.fill('input[name=late-grace]', '30');
  await page.fill('input[name=late-cap]', '10');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('每日万分之5，月末后宽限 30 天，累计不超过本金的 10%').waitFor();
  const rows = page.locator('table.households tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 50, 'first page of households');
  await page.getByRole('button', { name: '加载更多' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.households tbody tr').length === 100);
  // Search by room.
  await page.fill('input[placeholder=按房号搜索]', '101');
  await page.getByRole('button', { name: '搜索' }).click();
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('table.households tbody tr td:nth-child(3)')];
    return cells.length > 0 && cells.length < 50 && cells.every((c) => c.textContent.includes('101'));
  });
  // The English toggle.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByText('Households', { exact: true }).first().waitFor();
  await page.screenshot({ path: join(dir, 'admin.png') });
  await context.close();
});

test('the resident sees their own household and nothing else', async () => {
  const { context, page } = await signIn('resident@demo.test');
  await page.getByRole('heading', { name: '我的房屋', exact: true }).waitFor();
  const homes = page.locator('a.card.home');
  await homes.first().waitFor();
  assert.equal(await homes.count(), 1);
  assert.match(await homes.first().innerText(), /国泰花园/);
  const body = await page.locator('body').innerText();
  assert.ok(!body.includes('燎原新村'), 'another compound is visible to the resident');
  assert.ok(!body.includes('打包项目'), 'the firm console is visible to the resident');
  await homes.first().click();
  await page.getByText('家庭成员').waitFor();
  await context.close();
});

test('a wrong password shows a plain message and stays on the sign-in page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.fill('input[name=identifier]', 'admin@demo.test');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /账号或密码不对/);
  await context.close();
});

test('the committee member sees the owners\' 70% fund and its statement', async () => {
  const { context, page } = await signIn('committee@demo.test');
  await page.getByRole('link', { name: /国泰花园/ }).click();
  const fund = page.getByRole('link', { name: /业委会公共收益/ });
  await fund.waitFor();
  assert.match(await fund.innerText(), /¥13,706\.10/);
  // Only the committee fund: no bank or firm accounts.
  assert.equal(await page.getByText('银行存款').count(), 0);
  await fund.click();
  await page.getByText('余额：¥13,706.10').waitFor();
  const rows = page.locator('table.report tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 13);
  assert.match(await rows.last().innerText(), /补充专项维修资金/);
  await context.close();
});

test('the accountant bills the month and the resident sees the new bill', async () => {
  const { context, page } = await signIn('accountant@demo.test');
  await page.getByRole('link', { name: '收费' }).click();
  await page.getByRole('button', { name: '生成本期账单' }).click();
  const status = page.getByRole('status');
  await status.waitFor();
  assert.match(await status.innerText(), /已生成 836 张账单/);
  // Billing again issues nothing new.
  await page.getByRole('button', { name: '生成本期账单' }).click();
  await page.getByText('836 户本期已出账').waitFor();
  // Both runs are listed as finished, the first with what it billed.
  const runs = page.locator('table.runs tbody tr');
  await runs.nth(1).waitFor();
  const listed = await runs.allInnerTexts();
  assert.equal(listed.length, 2, listed.join('\n'));
  for (const r of listed) assert.match(r, /已完成/);
  await page.getByRole('link', { name: /国泰花园/ }).click();
  await page.getByRole('heading', { name: '收缴情况' }).waitFor();
  // The ECharts chart draws on a canvas of real size.
  const canvas = page.getByTestId('collection-chart').locator('canvas').first();
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `chart canvas ${JSON.stringify(box)}`);
  const month = new Date().toISOString().slice(0, 7);
  const row = page.locator('table.report tr', { hasText: month }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /¥11,648\.00/, 'due for 国泰花园: 418 × ¥28 less ¥56 waived');
  // Record ¥28 cash from an ordinary household, then print its receipt.
  await page.locator('table.households tbody tr').nth(3).click();
  await page.getByText('登记现金收款').waitFor();
  assert.match(await page.locator('.owing').first().innerText(), /尚欠：¥28\.00/);
  await page.fill('input[name=amount]', '28');
  await page.fill('input[name=receipt]', 'R-0001');
  await page.getByRole('button', { name: '登记' }).click();
  await page.getByText('已全部缴清').waitFor();
  await page.getByRole('link', { name: '¥28.00' }).click();
  await page.getByText('人民币（大写）：贰拾捌元整').waitFor();
  await context.close();

  const resident = await signIn('resident@demo.test');
  await resident.page.getByText('我的账单').first().waitFor();
  const bill = resident.page.locator('.bill').first();
  await bill.waitFor();
  const text = await bill.innerText();
  assert.match(text, new RegExp(month));
  assert.match(text, /减免/);
  assert.match(text, /¥14\.00/);
  assert.match(await resident.page.locator('.owing').first().innerText(), /尚欠：¥14\.00/);
  await resident.context.close();
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
  await page.getByText('人民币（大写）：壹拾肆元整').waitFor();
  await page.goto(base + '/');
  await page.getByText('已全部缴清').first().waitFor();
  await context.close();

  // The accountant finds it by Stripe's id and refunds ¥4.00 of it.
  const acct = await signIn('accountant@demo.test');
  await acct.page.getByRole('link', { name: '收费' }).click();
  const row = acct.page.locator('table.online tr', { hasText: intent.id });
  await row.waitFor();
  await row.getByRole('button', { name: '退款' }).click();
  await row.locator('input[name=refund-amount]').fill('4.00');
  await row.locator('input[name=refund-reason]').fill('多收了');
  await row.getByRole('button', { name: '退款' }).click();
  await acct.page.locator('table.online tr', { hasText: 'SUCCEEDED re_' }).waitFor();
  await acct.context.close();
});
