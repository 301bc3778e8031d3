/* hamlet phone UI: live updates (SSE /api/v1/events) and controls over the
   JSON API. Hand-written, no build step. */
(function () {
  'use strict';
  var M = {};
  try { M = JSON.parse(document.getElementById('msgs').textContent || '{}'); } catch (e) {}
  var body = document.body, page = body.dataset.page;
  function $(s, el) { return (el || document).querySelector(s); }
  function $$(s, el) { return Array.prototype.slice.call((el || document).querySelectorAll(s)); }
  function t(k) { return M[k] || k; }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function toLogin() { location.href = '/?next=' + encodeURIComponent(location.pathname + location.search); }
  function uid() { return 'ui-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10); }

  // api sends a JSON request; a 401 (session ended) goes to the login and back.
  function api(method, path, data, opt) {
    opt = opt || {};
    var init = { method: method, credentials: 'same-origin', headers: opt.headers || {} };
    if (data !== undefined) {
      if (opt.raw) { init.body = data; } else { init.body = JSON.stringify(data); init.headers['Content-Type'] = 'application/json'; }
    }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (txt) {
        var d = null;
        try { d = txt ? JSON.parse(txt) : null; } catch (e) { d = null; }
        if (r.status === 401 && !opt.login) { toLogin(); }
        return { status: r.status, data: d || {}, headers: r.headers };
      });
    }, function () { return { status: 0, data: { error: t('neterr') } }; });
  }
  // errText is what a failed answer says, "Chưa sẵn sàng" for a capability not wired yet.
  function errText(res) {
    if (res.status === 503 && res.data.code === 'not_available') { return t('na'); }
    return res.data.error || t('neterr');
  }
  // showErrors puts the server's message next to its field in form f.
  function showErrors(f, res) {
    $$('.err', f).forEach(function (e) { e.textContent = ''; });
    if (!res) { return; }
    var fld = res.data.field && f.querySelector('[data-err="' + res.data.field.split(/[.\[]/)[0] + '"]');
    (fld || $('[data-err=form]', f) || $('.err', f)).textContent = errText(res);
  }
  function badge(status) { return '<span class="badge ' + esc(status) + '">' + esc(t(status)) + '</span>'; }

  // ---- live connection ----
  var devs = {}, loaded = false, leaving = false, es = null;
  window.addEventListener('pagehide', function () { leaving = true; if (es) { es.close(); } });
  function banner(on) { var b = $('#live'); if (b) { b.classList.toggle('show', on); } }
  function live() {
    es = new EventSource('/api/v1/events');
    es.onopen = function () { banner(false); resync(); };
    es.onerror = function () {
      if (leaving) { return; }
      banner(true);
      if (es.readyState === 2) { es.close(); setTimeout(recheck, 3000); }
    };
    ['state', 'availability', 'telemetry', 'device'].forEach(function (n) {
      es.addEventListener(n, function (e) { onDevice(JSON.parse(e.data)); });
    });
    es.addEventListener('command', function (e) { onCommand(JSON.parse(e.data)); });
    es.addEventListener('end', function () { es.close(); toLogin(); });
  }
  function recheck() {
    fetch('/api/v1/me', { credentials: 'same-origin' }).then(function (r) {
      if (r.status === 401) { toLogin(); } else { live(); }
    }, function () { setTimeout(recheck, 3000); });
  }
  function resync() {
    api('GET', '/api/v1/devices').then(function (res) {
      if (res.status !== 200) { return; }
      devs = {};
      (res.data.devices || []).forEach(function (d) { devs[d.id] = d; });
      loaded = true;
      Object.keys(devs).forEach(function (id) { paint(devs[id]); });
      recount();
    });
  }
  function onDevice(d) {
    if (d.removed) { delete devs[d.id]; } else { devs[d.id] = d; }
    paint(d); recount();
  }
  // paint updates every element that shows device d.
  function paint(d) {
    $$('[data-device="' + d.id + '"]').forEach(function (el) {
      var a = $('[data-avail]', el);
      if (a) { a.className = 'badge ' + d.availability; a.textContent = t(d.availability); }
      var st = d.reported || {};
      var s = $('[data-state]', el);
      if (s && d.kind === 'light' && st.on !== undefined) {
        s.textContent = t(st.on ? 'on' : 'off') + (st.brightness !== undefined ? ' · ' + st.brightness + '%' : '');
      }
      var r = $('input[type=range]', el);
      if (r && st.brightness !== undefined && document.activeElement !== r) { r.value = st.brightness; }
      var f = $('[data-fps]', el);
      if (f && d.telemetry && d.telemetry.fps !== undefined) { f.textContent = d.telemetry.fps.toFixed(1); }
      var m = $('[data-motion]', el);
      if (m && st.motion !== undefined) {
        m.textContent = t(st.motion ? 'motion' : 'nomotion');
        if (st.motion) { var lm = $('[data-lastmotion]', el); if (lm) { lm.textContent = new Date().toLocaleTimeString(); } }
      }
    });
  }
  // recount refreshes Tổng quan's counts and offline list.
  function recount() {
    if (page !== 'overview' || !loaded) { return; }
    var c = {}, off = [];
    Object.keys(devs).forEach(function (id) {
      var d = devs[id], k = c[d.kind] || (c[d.kind] = { online: 0, offline: 0, unknown: 0, total: 0 });
      k.total++; k[d.availability in k ? d.availability : 'unknown']++;
      if (d.availability === 'offline') { off.push(d); }
    });
    $$('[data-kind]').forEach(function (sec) {
      var k = c[sec.dataset.kind] || { online: 0, offline: 0, unknown: 0, total: 0 };
      $$('[data-count]', sec).forEach(function (el) { el.textContent = k[el.dataset.count]; });
      var tot = $('.muted', sec); if (tot) { tot.textContent = '/ ' + k.total; }
    });
    var ul = $('#offline-list');
    if (ul) {
      ul.innerHTML = off.length ? off.map(function (d) { return '<li>' + esc(d.name) + ' <span class="muted">(' + esc(d.id) + ')</span></li>'; }).join('')
        : '<li class="muted">' + esc(t('none')) + '</li>';
    }
  }

  // ---- commands (Đèn) ----
  var inflight = {};
  function onCommand(ev) { showResult(ev.device, ev.status, ev.error); }
  function showResult(dev, status, err) {
    $$('[data-device="' + dev + '"] [data-result]').forEach(function (el) {
      el.innerHTML = badge(status) + (err && status !== 'confirmed' ? ' <span class="muted">' + esc(err) + '</span>' : '');
    });
  }
  function command(box, set) {
    var key = box.dataset.device ? 'd:' + box.dataset.device : 'z:' + box.dataset.zone;
    if (inflight[key]) { return; } // a double tap sends once
    var id = uid();
    inflight[key] = id;
    var target = box.dataset.device ? { devices: [box.dataset.device] } : { zones: [box.dataset.zone], kind: 'light' };
    var out = $('[data-result]', box), btns = $$('button', box);
    btns.forEach(function (b) { b.disabled = true; });
    if (out) { out.textContent = t('sending'); }
    var lamps = box.dataset.zone ? $$('[data-device]', box) : [];
    lamps.forEach(function (l) { var r = $('[data-result]', l); if (r) { r.innerHTML = badge('pending'); } });
    api('POST', '/api/v1/commands', { target: target, set: set }, { headers: { 'Idempotency-Key': id } }).then(function (res) {
      delete inflight[key];
      btns.forEach(function (b) { b.disabled = false; });
      if (res.status === 200) {
        if (out && box.dataset.zone) { out.textContent = ''; }
        (res.data.results || []).forEach(function (r) { showResult(r.device, r.status, r.error); });
      } else {
        lamps.forEach(function (l) { var r = $('[data-result]', l); if (r) { r.textContent = ''; } });
        if (out) { out.innerHTML = '<span class="err">' + esc(errText(res)) + '</span>'; }
      }
    });
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button[data-set]');
    if (!b) { return; }
    command(b.closest('[data-device],[data-zone]'), { on: b.dataset.set === 'on' });
  });
  document.addEventListener('change', function (e) {
    var r = e.target;
    if (r.matches && r.matches('input[data-bright]')) {
      command(r.closest('[data-device],[data-zone]'), { brightness: parseInt(r.value, 10) });
    }
  });

  // ---- login and logout ----
  var lf = $('#login-form');
  if (lf) {
    lf.addEventListener('submit', function (e) {
      e.preventDefault();
      var btn = $('button[type=submit]', lf);
      btn.disabled = true;
      ['username', 'password', 'form'].forEach(function (n) { $('#err-' + n).textContent = ''; });
      api('POST', '/api/v1/login', { username: $('#username').value, password: $('#password').value, remember: $('#remember').checked }, { login: true })
        .then(function (res) {
          btn.disabled = false;
          if (res.status === 200) { location.href = lf.dataset.next || '/'; return; }
          var msg = errText(res);
          if (res.status === 429) {
            var s = res.data.retry_after_s || parseInt(res.headers.get('Retry-After'), 10) || 60;
            msg = t('wait').replace('%d', Math.ceil(s / 60));
          }
          var f = res.data.field && $('#err-' + res.data.field);
          (f || $('#err-form')).textContent = msg;
        });
    });
  }
  var lo = $('#logout');
  if (lo) { lo.addEventListener('click', function () { api('POST', '/api/v1/logout').then(function () { location.href = '/'; }); }); }

  window.hamlet = { api: api, t: t, esc: esc, badge: badge, errText: errText, showErrors: showErrors, $: $, $$: $$, uid: uid };
  if (body.dataset.role) { live(); }
})();
