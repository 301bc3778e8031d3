// Browser tests of hamlet's phone UI. Run by browser_test.go, which starts
// hamletd, the simulator and Mosquitto and passes BASE_URL, SHOTS and
// PASSWORD. Lines starting "FAIL" fail the Go test; "CTRL stop|start" ask
// it to stop or start hamletd and wait for its "ok".
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const BASE = process.env.BASE_URL, SHOTS = process.env.SHOTS, PASSWORD = process.env.PASSWORD;
const PAGES = [['overview', '/'], ['lights', '/lights'], ['speakers', '/speakers'], ['cameras', '/cameras'],
  ['reports', '/reports'], ['audit', '/audit'], ['users', '/users']];
const BUDGET = 60 * 1024;
let failures = 0;
const fail = (msg) => { failures++; console.log('FAIL ' + msg); };
const check = (ok, msg) => { if (!ok) { fail(msg); } };

const lines = createInterface({ input: process.stdin });
const waiting = [];
lines.on('line', (l) => { const w = waiting.shift(); if (w) { w(l); } });
const ctrl = (what) => new Promise((resolve) => { waiting.push(resolve); console.log('CTRL ' + what); });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const phone = (extra) => browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  bypassCSP: true, ...extra });

async function login(page, user, { next } = {}) {
  await page.goto(BASE + (next ? '/?next=' + encodeURIComponent(next) : '/'));
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('nav.tabs', { timeout: 15000 }); // only signed-in pages have it
  if (next) { await page.waitForURL(BASE + next); }
}

async function step(name, fn) {
  const t0 = Date.now();
  try { await fn(); console.log(`ok   ${name} (${Date.now() - t0} ms)`); } catch (e) {
    fail(`${name}: ${e.message.split('\n').slice(0, 3).join(' ')}`);
    // What every open page showed when the step failed.
    let n = 0;
    for (const c of browser.contexts()) {
      for (const pg of c.pages()) { await pg.screenshot({ path: path.join(SHOTS, `failed-${++n}.png`), fullPage: true }).catch(() => {}); }
    }
  }
}

// weigh loads path in a fresh, cache-less page and returns the bytes
// transferred (compressed, headers included) until load, the event stream aside.
async function weigh(ctx, p) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = {}, bytes = {};
  cdp.on('Network.requestWillBeSent', (e) => { urls[e.requestId] = e.request.url; });
  cdp.on('Network.loadingFinished', (e) => { bytes[e.requestId] = e.encodedDataLength; });
  await page.goto(BASE + p, { waitUntil: 'load' });
  await page.waitForTimeout(700);
  let total = 0;
  for (const [id, n] of Object.entries(bytes)) { if (!String(urls[id]).includes('/api/v1/events')) { total += n; } }
  await page.close();
  return total;
}

async function axe(page, name) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) { fail(`axe ${name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`); }
  return res.violations.length;
}

// ---- sign-in errors ----
await step('login: wrong password is explained', async () => {
  const ctx = await phone(); const page = await ctx.newPage();
  await page.goto(BASE + '/');
  check(await page.getAttribute('html', 'lang') === 'vi', 'login page lang is not vi');
  await page.fill('#username', 'an'); await page.fill('#password', 'sai-mat-khau');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#err-form:not(:empty)');
  const msg = await page.textContent('#err-form');
  check(msg.includes('Sai tên đăng nhập'), 'wrong password message: ' + msg);
  await axe(page, 'login');
  await page.screenshot({ path: path.join(SHOTS, 'login.png'), fullPage: true });
  await ctx.close();
});

// ---- every page as admin: weight, accessibility, screenshot ----
const adminCtx = await phone();
const admin = await adminCtx.newPage();
await step('admin signs in', async () => { await login(admin, 'an'); });
const weights = {};
for (const [name, p] of PAGES) {
  await step(`page ${name}: weight, axe, screenshot`, async () => {
    weights[name] = await weigh(adminCtx, p);
    check(weights[name] <= BUDGET, `${name} first load ${weights[name]} B > ${BUDGET} B`);
    await admin.goto(BASE + p);
    check(await admin.getAttribute('html', 'lang') === 'vi', `${name}: lang is not vi`);
    const nav = await admin.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent));
    check(nav.join('|') === 'Tổng quan|Đèn|Loa|Camera|Báo cáo|Nhật ký|Người dùng', `${name}: nav is ${nav.join('|')}`);
    await admin.waitForTimeout(300);
    await axe(admin, name);
    await admin.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
  });
}
for (const [name, n] of Object.entries(weights)) { console.log(`WEIGHT ${name} ${n} B (${(n / 1024).toFixed(1)} KiB)`); }

// fits checks that page shows every tab inside the viewport as a target of
// at least 48×48 px, a one-row header, and nothing wider than the screen.
async function fits(page, label) {
  const r = await page.evaluate(() => {
    window.scrollTo(0, 0); // the tabs are at the top of the page
    const W = innerWidth, H = innerHeight, bad = [];
    const as = document.querySelectorAll('nav.tabs a');
    for (const a of as) {
      const b = a.getBoundingClientRect();
      if (b.left < 0 || b.right > W + 0.5 || b.top < 0 || b.bottom > H) { bad.push(`${a.textContent} outside the viewport (${Math.round(b.left)}–${Math.round(b.right)} of ${W})`); }
      if (b.width < 48 || b.height < 48) { bad.push(`${a.textContent} is ${Math.round(b.width)}×${Math.round(b.height)} px`); }
    }
    for (const t of document.querySelectorAll('header.top a, header.top button')) {
      const b = t.getBoundingClientRect();
      if (b.height < 48 || b.width < 48 || b.right > W + 0.5) { bad.push(`header ${t.textContent.trim()} is ${Math.round(b.width)}×${Math.round(b.height)} px at ${Math.round(b.left)}`); }
    }
    const hh = document.querySelector('header.top').getBoundingClientRect().height;
    if (hh > 60) { bad.push(`header wraps (${Math.round(hh)} px high)`); }
    const sw = document.scrollingElement.scrollWidth;
    if (sw > W) { bad.push(`page scrolls sideways: scrollWidth ${sw} > ${W}`); }
    return { bad, n: as.length };
  });
  check(r.n >= 6, `${label}: only ${r.n} nav links`);
  for (const b of r.bad) { fail(`${label}: ${b}`); }
}

// ---- narrow phones: every tab visible, nothing scrolls sideways ----
await step('narrow phones (360×740, 390×844): every tab in view, no sideways scroll, vi and en', async () => {
  const ctx = await phone({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await login(page, 'an');
  for (const lang of ['vi', 'en']) {
    for (const [name, p] of PAGES) {
      await page.goto(BASE + p);
      await page.waitForTimeout(200); // the script fills lists in
      await fits(page, `360 ${lang} ${name}`);
    }
    if (lang === 'vi') { await page.screenshot({ path: path.join(SHOTS, 'nav-360.png') }); }
    await page.click('header form button');
    await page.waitForSelector(`html[lang="${lang === 'vi' ? 'en' : 'vi'}"]`);
  }
  for (const [name, p] of PAGES) { await admin.goto(BASE + p); await admin.waitForTimeout(200); await fits(admin, `390 vi ${name}`); }
  await ctx.close();
});

// ---- roles ----
await step('viewer sees no controls', async () => {
  const ctx = await phone(); const page = await ctx.newPage();
  await login(page, 'xem');
  await page.goto(BASE + '/lights');
  const controls = await page.$$('button[data-set], input[data-bright]');
  check(controls.length === 0, `viewer has ${controls.length} light controls`);
  check((await page.$$('[data-device]')).length > 0, 'viewer sees no lamps');
  check(!(await page.textContent('nav.tabs')).includes('Người dùng'), 'viewer sees Người dùng');
  await fits(page, '390 viewer lights');
  await page.screenshot({ path: path.join(SHOTS, 'lights-viewer.png'), fullPage: true });
  await ctx.close();
});

const opCtx = await phone();
const op = await opCtx.newPage();
await step('operator sees only its zone', async () => {
  await login(op, 'binh');
  await op.goto(BASE + '/lights');
  check(await op.$('[data-zone="ngo-1"] button[data-set="on"]') !== null, 'operator has no zone toggle');
  check(await op.$('[data-zone="ngo-2"]') === null, 'operator sees zone ngo-2');
});

// ---- lights: a zone switched, results per lamp, one command per double tap ----
await step('lights: switch a zone and see each lamp confirm (offline lamp too)', async () => {
  let posts = 0;
  op.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/commands')) { posts++; } });
  await op.goto(BASE + '/lights');
  const t0 = Date.now();
  await op.dblclick('[data-zone="ngo-1"] button[data-set="on"]');
  await op.waitForFunction(() => {
    const z = document.querySelector('[data-zone="ngo-1"]');
    return z.querySelector('.lamp [data-result] .badge:not(.pending)') || z.querySelector(':scope > [data-result] .err');
  }, null, { timeout: 15000 });
  const firstResult = Date.now() - t0;
  check(posts === 1, `a double tap sent ${posts} commands`);
  const zoneErr = await op.$('[data-zone="ngo-1"] > [data-result] .err');
  if (zoneErr) {
    const msg = await zoneErr.textContent();
    if (msg.includes('Chưa sẵn sàng')) {
      console.log('PENDING lights capability not wired yet (503): the page says "Chưa sẵn sàng"; confirmations not checked');
      return;
    }
    fail('zone command failed: ' + msg);
    return;
  }
  console.log(`TIMING first lamp result ${firstResult} ms`);
  // Timings are measured and reported (bench/results.md), not asserted: a loaded machine must not fail the test.
  console.log(`BUDGET first lamp result ${firstResult} ms against 1000 ms: ${firstResult <= 1000 ? 'met' : 'NOT met'}`);
  await op.waitForSelector('[data-device="den-99"] [data-result] .badge.offline', { timeout: 15000 });
  await op.waitForSelector('[data-zone="ngo-1"] .lamp:not([data-device="den-99"]) [data-result] .badge.confirmed', { timeout: 15000 });
  const txt = await op.textContent('[data-zone="ngo-1"]');
  check(txt.includes('đã xác nhận') && txt.includes('ngoại tuyến'), 'results lack đã xác nhận / ngoại tuyến');
  // A lamp shows itself on as soon as it shows confirmed, not only with its state event up to 250 ms later.
  const notOn = await op.evaluate(() => [...document.querySelectorAll('[data-zone="ngo-1"] .lamp')].filter((l) =>
    l.querySelector('[data-result] .badge.confirmed') && !l.querySelector('[data-state]').textContent.startsWith('Đang bật')).map((l) => l.dataset.device));
  check(notOn.length === 0, `confirmed lamps not shown on: ${notOn.join(',')}`);
  // A relay (on/off, no brightness) shows no brightness slider; a dimmer does.
  const sliders = await op.evaluate(() => fetch('/api/v1/devices?kind=light&zone=ngo-1', { credentials: 'same-origin' }).then((r) => r.json()).then((res) =>
    (res.devices || []).filter((d) => d.reported && d.reported.on !== undefined).map((d) => {
      const r = document.querySelector('[data-device="' + d.id + '"] input[data-bright]');
      return { id: d.id, relay: d.reported.brightness === undefined, shown: !!r && !r.hidden };
    })));
  check(sliders.some((l) => l.relay) && sliders.some((l) => !l.relay), `want a relay and a dimmer in ngo-1: ${JSON.stringify(sliders)}`);
  const wrong = sliders.filter((l) => l.relay === l.shown);
  check(wrong.length === 0, `brightness sliders shown on relays or hidden on dimmers: ${JSON.stringify(wrong)}`);
  await op.screenshot({ path: path.join(SHOTS, 'lights-results.png'), fullPage: true });
});

// ---- lights: the zone switched by hand is held; "return to programme" ends the hold ----
await step('lights: return to programme ends the overrides', async () => {
  await op.goto(BASE + '/lights');
  const zb = '[data-zone="ngo-1"] button[data-release-zone]';
  await op.waitForSelector(zb, { state: 'visible', timeout: 15000 });
  check(await op.$('[data-zone="ngo-1"] .lamp button[data-release]:visible') !== null, 'no per-lamp return button on a held lamp');
  await op.click(zb);
  await op.waitForSelector(zb, { state: 'hidden', timeout: 15000 });
  check(await op.$('[data-zone="ngo-1"] .lamp button[data-release]:visible') === null, 'a lamp still offers return after the release');
  const res = await op.evaluate(() => fetch('/api/v1/devices?kind=light&zone=ngo-1', { credentials: 'same-origin' }).then((r) => r.json()));
  const heldNow = (res.devices || []).filter((d) => d.light && d.light.override).map((d) => d.id);
  check(heldNow.length === 0, `overrides left after return to programme: ${heldNow.join(',')}`);
  await op.screenshot({ path: path.join(SHOTS, 'lights-released.png'), fullPage: true });
});

// ---- lights: programme editing (operator), read-only for a viewer ----
await step('lights: operator creates, edits and deletes a programme; errors next to the field; viewer reads it', async () => {
  await op.goto(BASE + '/lights');
  const box = '[data-progs="ngo-1"]', f = box + ' form.progform';
  await op.click(box + ' > summary');
  await op.waitForSelector(box + ' [data-prog-list] :is(.prog-item, p.muted:not(:empty))');
  await op.click(box + ' [data-prog-new]');
  await op.waitForSelector(f);
  const stepAt = (i) => op.locator(f + ' [data-step]').nth(i);
  await op.fill(f + ' [name=name]', 'Đèn đêm thử');
  // A sun offset over 12 h: the server's message (Vietnamese / English) beside that step.
  await stepAt(0).locator('[name=offset]').fill('800');
  await op.click(f + ' button[type=submit]');
  await op.waitForSelector(f + ' [data-step] [data-ferr]:not(:empty)');
  let msg = await stepAt(0).locator('[data-ferr]').textContent();
  check(msg.includes('12 giờ') && msg.includes(' / '), 'offset error beside step 1: ' + msg);
  await stepAt(0).locator('[name=offset]').fill('10');
  // Steps out of order: sunset+10m, sunrise-10m, then 23:00 falls more than a day after the first.
  await op.click(f + ' > fieldset [data-add-step]');
  await stepAt(2).locator('[name=kind]').selectOption('clock');
  await stepAt(2).locator('[name=clock]').fill('23:00');
  await stepAt(2).locator('[name=brightness]').fill('50');
  await op.click(f + ' button[type=submit]');
  await op.waitForFunction((sel) => document.querySelectorAll(sel)[2].querySelector('[data-ferr]').textContent !== '', f + ' [data-step]');
  msg = await stepAt(2).locator('[data-ferr]').textContent();
  check(msg.includes('24 giờ') && (await stepAt(0).locator('[data-ferr]').textContent()) === '', 'order error beside step 3: ' + msg);
  // Put 23:00 second and sunrise-10m last; every day but one that is not tonight's; an exception of three days off.
  await stepAt(1).locator('[name=kind]').selectOption('clock');
  await stepAt(1).locator('[name=clock]').fill('23:00');
  await stepAt(1).locator('[name=action]').selectOption('on');
  await stepAt(1).locator('[name=brightness]').fill('50');
  await stepAt(2).locator('[name=kind]').selectOption('sunrise');
  await stepAt(2).locator('[name=offset]').fill('-10');
  await stepAt(2).locator('[name=action]').selectOption('off');
  const local = new Date(Date.now() + 7 * 3600e3); // the area's clock (Asia/Ho_Chi_Minh)
  if (local.getUTCHours() < 12) { local.setUTCDate(local.getUTCDate() - 1); }
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], skip = days[(local.getUTCDay() + 3) % 7];
  await op.uncheck(`${f} [name=day][value=${skip}]`);
  const day = (n) => { const d = new Date(local); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
  await op.click(f + ' [data-add-exc]');
  await op.fill(f + ' [data-exc] [name=from]', day(2));
  await op.fill(f + ' [data-exc] [name=to]', day(4));
  await fits(op, '390 lights programme editor');
  await axe(op, 'lights programme editor');
  await op.screenshot({ path: path.join(SHOTS, 'lights-programme-editor.png'), fullPage: true });
  await op.click(f + ' button[type=submit]');
  await op.waitForSelector(f, { state: 'detached', timeout: 10000 });
  const item = box + ' .prog-item:has-text("Đèn đêm thử")';
  await op.waitForSelector(item);
  const times = await op.$$eval(item + ' ul.steps li b', (bs) => bs.map((b) => b.textContent));
  check(times.length === 3 && times.every((x) => /^\d\d:\d\d$/.test(x)) && times[1] === '23:00', 'tonight\'s times: ' + times.join(','));
  const itemText = await op.textContent(item);
  check(itemText.includes('không chạy') && itemText.includes(day(2).slice(8, 10) + '/' + day(2).slice(5, 7) + '–'), 'exception not shown: ' + itemText);
  const api = async () => (await op.evaluate(() => fetch('/api/v1/schedules?kind=light', { credentials: 'same-origin' }).then((r) => r.json())))
    .schedules.filter((x) => x.name.startsWith('Đèn đêm thử'))[0];
  let sc = await api();
  check(sc && sc.program.steps.map((x) => x.at).join(',') === 'sunset+10m,23:00,sunrise-10m' && sc.program.days.length === 6 &&
    !sc.program.days.includes(skip) && sc.program.exceptions.length === 3 && sc.program.exceptions.every((e) => e.off) &&
    sc.targets.zones.join() === 'ngo-1', 'saved programme: ' + JSON.stringify(sc && sc.program));
  await op.screenshot({ path: path.join(SHOTS, 'lights-programmes.png'), fullPage: true });
  // Edit: the form comes back filled in (the three days as one range); a new name saves.
  await op.click(item + ' [data-prog-edit]');
  await op.waitForSelector(f);
  check(await op.inputValue(f + ' [name=name]') === 'Đèn đêm thử' && await op.locator(f + ' [data-step]').count() === 3 &&
    await op.inputValue(f + ' [data-exc] [name=to]') === day(4), 'the edit form is not filled in');
  await op.fill(f + ' [name=name]', 'Đèn đêm thử 2');
  // The exception runs another programme's steps instead (copied from this one).
  await op.selectOption(f + ' [data-exc] [name=mode]', 'steps');
  await op.selectOption(f + ' [data-exc] [name=copy]', sc.id);
  check(await op.locator(f + ' [data-exc] [data-step]').count() === 3, 'the copied steps are not in the exception');
  await op.click(f + ' button[type=submit]');
  await op.waitForSelector(box + ' .prog-item:has-text("Đèn đêm thử 2")');
  sc = await api();
  check(sc.name === 'Đèn đêm thử 2' && sc.program.exceptions.length === 3 && sc.program.days.length === 6 &&
    sc.program.exceptions.every((e) => !e.off && e.steps.length === 3), 'edit lost parts: ' + JSON.stringify(sc));
  check((await op.textContent(box + ' .prog-item:has-text("Đèn đêm thử 2")')).includes('3 bước khác'), 'the exception\'s other steps are not shown');
  // A viewer reads it, with no edit or delete.
  const ctx = await phone(); const vp = await ctx.newPage();
  await login(vp, 'xem');
  await vp.goto(BASE + '/lights');
  await vp.click(box + ' > summary');
  await vp.waitForSelector(box + ' .prog-item:has-text("Đèn đêm thử 2") ul.steps li');
  check(await vp.$(box + ' [data-prog-edit], ' + box + ' [data-prog-del], ' + box + ' [data-prog-new]') === null, 'a viewer may edit programmes');
  await axe(vp, 'lights programmes (viewer)');
  await ctx.close();
  // Delete, after the confirmation.
  op.once('dialog', (d) => d.accept());
  await op.click(box + ' .prog-item:has-text("Đèn đêm thử 2") [data-prog-del]');
  await op.waitForSelector(box + ' .prog-item:has-text("Đèn đêm thử 2")', { state: 'detached', timeout: 10000 });
  check(await api() === undefined, 'the programme is still there after delete');
});

// ---- Camera: the latest snapshot, only for its zone ----
await step('cameras: the latest snapshot shows for the camera\'s zone', async () => {
  await op.goto(BASE + '/cameras');
  const img = await op.waitForSelector('[data-device="cam-01"] img.snap', { timeout: 10000 });
  await op.waitForFunction((el) => el.complete && el.naturalWidth > 0, img, { timeout: 10000 });
  const other = await op.request.get(BASE + '/cameras/cam-01/snapshot.jpg');
  check(other.status() === 200 && other.headers()['content-type'] === 'image/jpeg', 'snapshot for the zone operator: ' + other.status());
});

// ---- Loa: a text announcement and its receipts ----
await step('speakers: send a TTS announcement and see receipts', async () => {
  await op.goto(BASE + '/speakers');
  if (await op.$('#ann-form') === null) {
    const note = await op.textContent('main');
    if (note.includes('chưa sẵn sàng')) { console.log('PENDING announcements capability not wired yet: the page says so'); return; }
    fail('no announcement form for the operator'); return;
  }
  check(await op.$('[data-device="loa-02"]') === null, 'operator sees a speaker of another zone');
  await op.fill('#ann-title', 'Họp tổ dân phố');
  await op.fill('#ann-text', 'Mời bà con dự họp lúc 19 giờ');
  await op.click('#ann-form button[type=submit]');
  await op.waitForSelector('[data-device="loa-01"] [data-result] .badge', { timeout: 20000 });
  await op.waitForSelector('#ann-history li .badge', { timeout: 10000 });
  await op.screenshot({ path: path.join(SHOTS, 'speakers-receipts.png'), fullPage: true });
});

// ---- Loa: the broadcast window's status refreshes without a reload ----
await step('speakers: the zone\'s broadcast window status refreshes by itself', async () => {
  const ctx = await phone();
  await ctx.clock.install(); // the page's 30 s poll, fast-forwarded
  const page = await ctx.newPage();
  await login(page, 'an');
  await page.goto(BASE + '/speakers');
  const win = '[data-window="ngo-2"]';
  const before = await page.textContent(win);
  check(/^Ngoài giờ phát · mở lúc \d\d:\d\d/.test(before), 'ngo-2 window before: ' + before);
  let zones = 0;
  await page.route('**/api/v1/zones', async (route) => {
    zones++;
    const res = await route.fetch(); const body = await res.json();
    for (const z of body.zones) { if (z.id === 'ngo-2') { z.broadcast.open = true; z.broadcast.next_open = null; } }
    await route.fulfill({ response: res, json: body });
  });
  await ctx.clock.fastForward(31000);
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((e) => e.textContent === 'Đang trong giờ phát'), win, { timeout: 10000 });
  check(zones >= 1, 'GET /api/v1/zones not polled');
  await ctx.close();
});

// ---- Báo cáo: the CSV download ----
await step('reports: open Báo cáo and download the CSV', async () => {
  await admin.goto(BASE + '/reports');
  const csv = await admin.$('#csv');
  if (csv === null) {
    if ((await admin.textContent('main')).includes('Báo cáo chưa sẵn sàng')) { console.log('PENDING uptime capability not wired yet: the page says so'); return; }
    fail('no CSV link on Báo cáo'); return;
  }
  check((await admin.$$('svg.bars')).length > 0, 'no SVG bars');
  const [dl] = await Promise.all([admin.waitForEvent('download'), csv.click()]);
  const file = path.join(SHOTS, 'uptime.csv');
  await dl.saveAs(file);
  const { readFileSync } = await import('node:fs');
  check(readFileSync(file, 'utf8').split('\n').length > 1, 'the CSV is empty');
});

// ---- Báo cáo across areas (InfluxDB), and InfluxDB not answering ----
await step('reports: every area from InfluxDB; a clear message when InfluxDB does not answer', async () => {
  await admin.goto(BASE + '/reports');
  check(await admin.isVisible('input[name=scope][value=all]'), 'no "Tất cả các khu" choice with InfluxDB configured');
  await admin.check('input[name=scope][value=all]');
  await admin.click('form.card button[type=submit]');
  await admin.waitForURL(/scope=all/);
  const err = await admin.$('#report-err');
  check(err === null, 'every area: ' + (err && await err.textContent()));
  check((await admin.$$('svg.bars')).length > 0 && (await admin.textContent('main')).includes('khu10 · '), 'every area: no bars of area khu10');
  check((await admin.getAttribute('#csv', 'href')).includes('source=influx'), 'the CSV link is not from InfluxDB');
  await admin.screenshot({ path: path.join(SHOTS, 'reports-all-areas.png'), fullPage: true });
  await ctrl('influx-stop');
  try {
    await admin.reload();
    const msg = await admin.textContent('#report-err');
    check(msg.startsWith('Không lấy được số liệu của các khu: InfluxDB không trả lời'), 'InfluxDB down: ' + msg);
    check((await admin.textContent('main')).includes('InfluxDB did not answer'), 'InfluxDB down: no detail');
    await axe(admin, 'reports, InfluxDB down');
    await admin.screenshot({ path: path.join(SHOTS, 'reports-influx-down.png'), fullPage: true });
    await admin.click('#report-local'); // this area still answers from the local store
    await admin.waitForSelector('svg.bars');
    check(await admin.$('#report-err') === null, 'this area fails while InfluxDB is down');
  } finally { await ctrl('influx-start'); }
});

// ---- Người dùng: create a user; a bad password is explained next to its field ----
await step('users: admin creates a user, errors next to the field', async () => {
  await admin.goto(BASE + '/users');
  await admin.waitForSelector('[data-user="an"]');
  await admin.fill('#u-name', 'tam'); await admin.selectOption('#u-role', 'viewer'); await admin.fill('#u-pw', 'ngan');
  await admin.click('#user-form button[type=submit]');
  await admin.waitForSelector('#user-form [data-err="password"]:not(:empty)');
  await admin.fill('#u-pw', 'mat-khau-cua-tam');
  await admin.click('#user-form button[type=submit]');
  await admin.waitForSelector('[data-user="tam"]');
  await admin.click('[data-user="tam"] button[data-uact="toggle"]');
  await admin.waitForSelector('[data-user="tam"] .badge.failed');
});

// ---- the lights page on a slow link (400 kbit/s, 400 ms round trip) ----
await step('lights page usable within 3 s on 400 kbit/s, 400 ms RTT', async () => {
  const page = await opCtx.newPage();
  const cdp = await opCtx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400,
    downloadThroughput: 400 * 1000 / 8, uploadThroughput: 400 * 1000 / 8 });
  const t0 = Date.now();
  await page.goto(BASE + '/lights', { waitUntil: 'commit' });
  await page.waitForSelector('[data-zone] button[data-set="on"]', { state: 'visible' });
  await page.waitForFunction(() => window.hamlet !== undefined); // the script is there: taps work
  const ms = Date.now() - t0;
  console.log(`TIMING lights page usable on the slow link ${ms} ms`);
  console.log(`BUDGET lights page usable on the slow link ${ms} ms against 3000 ms: ${ms <= 3000 ? 'met' : 'NOT met'}`);
  await page.close();
});

// ---- an ended session goes to the login and back ----
await step('expired session: login, then back where the user was', async () => {
  await opCtx.clearCookies();
  await op.goto(BASE + '/cameras');
  check(op.url().includes('next=%2Fcameras'), 'not sent to login with next: ' + op.url());
  await op.fill('#username', 'binh'); await op.fill('#password', PASSWORD);
  await op.click('#login-form button[type=submit]');
  await op.waitForURL(BASE + '/cameras', { timeout: 15000 });
});

// ---- language ----
await step('English is chosen and remembered', async () => {
  await op.click('header form button');
  await op.waitForSelector('html[lang="en"]');
  check((await op.textContent('nav.tabs')).includes('Lights'), 'English nav lacks Lights');
  const ctx = await phone(); const p2 = await ctx.newPage();
  await login(p2, 'binh');
  check(await p2.getAttribute('html', 'lang') === 'en', 'English not remembered for the user');
  await p2.click('header form button');
  await p2.waitForSelector('html[lang="vi"]');
  await ctx.close();
});

// ---- the live banner ----
await step('live banner appears when the server stops and clears when it returns', async () => {
  await admin.goto(BASE + '/');
  await admin.waitForTimeout(500);
  check(!(await admin.isVisible('#live')), 'banner visible while connected');
  await ctrl('stop');
  await admin.waitForSelector('#live.show', { state: 'visible', timeout: 15000 });
  await admin.screenshot({ path: path.join(SHOTS, 'live-banner.png') });
  await ctrl('start');
  await admin.waitForSelector('#live', { state: 'hidden', timeout: 30000 });
});

await browser.close();
console.log(`${failures === 0 ? 'PASS' : 'FAILED'}: ${failures} failure(s); screenshots in ${SHOTS}`);
process.exit(failures === 0 ? 0 : 1);
