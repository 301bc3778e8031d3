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
  // Dates and times in the page's language (Vietnamese day/month order by default).
  var LOC = document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN';
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
      // A lamp that reports on or off and no brightness is a relay: no slider.
      if (r && d.kind === 'light') { r.hidden = st.on !== undefined && st.brightness === undefined; }
      var ov = $('[data-override]', el), li = d.light;
      if (ov && li) {
        var txt = '';
        if (li.override) {
          txt = t('override') + ' ' + (li.override.by || '') + (li.override.until ? ' · ' + t('until') + ' ' + new Date(li.override.until).toLocaleTimeString(LOC) : '');
        }
        (li.faults || []).forEach(function (f) { txt += (txt ? ' · ' : '') + t('fault') + ': ' + t(f.fault); });
        ov.textContent = txt;
        var rb = $('[data-release]', el);
        if (rb) { rb.hidden = !li.override; }
        var zb = el.closest('[data-zone]');
        if (zb) { zoneRelease(zb); }
      }
      var f = $('[data-fps]', el);
      if (f && d.telemetry && d.telemetry.fps !== undefined) { f.textContent = d.telemetry.fps.toFixed(1); }
      var m = $('[data-motion]', el);
      if (m && st.motion !== undefined) {
        m.textContent = t(st.motion ? 'motion' : 'nomotion');
        if (st.motion) { var lm = $('[data-lastmotion]', el); if (lm) { lm.textContent = new Date().toLocaleTimeString(LOC); } }
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
  var inflight = {}, doubleTap = 500; // ms within which a second tap is the same tap
  var asked = {}; // command id → what it set, for 60 s
  function onCommand(ev) { showResult(ev.device, ev.status, ev.error, asked[ev.id]); }
  // showResult shows a lamp's result; a confirmed lamp reported what was
  // set, so its state shows that at once, not with its state event.
  function showResult(dev, status, err, set) {
    $$('[data-device="' + dev + '"] [data-result]').forEach(function (el) {
      el.innerHTML = badge(status) + (err && status !== 'confirmed' ? ' <span class="muted">' + esc(err) + '</span>' : '');
    });
    var d = devs[dev];
    if (status === 'confirmed' && set && d) {
      var st = d.reported || (d.reported = {});
      if (set.on !== undefined) { st.on = set.on; }
      if (set.brightness !== undefined) { st.brightness = set.brightness; }
      paint(d);
    }
  }
  function command(box, set) {
    var key = box.dataset.device ? 'd:' + box.dataset.device : 'z:' + box.dataset.zone;
    if (inflight[key]) { return; } // a double tap sends once
    var id = uid();
    inflight[key] = id;
    asked[id] = set;
    setTimeout(function () { delete asked[id]; }, 60000);
    var target = box.dataset.device ? { devices: [box.dataset.device] } : { zones: [box.dataset.zone], kind: 'light' };
    var out = $('[data-result]', box), btns = $$('button', box);
    btns.forEach(function (b) { b.disabled = true; });
    if (out) { out.textContent = t('sending'); }
    var lamps = box.dataset.zone ? $$('[data-device]', box) : [];
    lamps.forEach(function (l) { var r = $('[data-result]', l); if (r) { r.innerHTML = badge('pending'); } });
    var sentAt = Date.now();
    api('POST', '/api/v1/commands', { id: id, target: target, set: set }).then(function (res) {
      // A double tap sends once even when the answer comes sooner than the
      // second tap (lamps already in the state asked for answer at once).
      setTimeout(function () {
        delete inflight[key];
        btns.forEach(function (b) { b.disabled = false; });
      }, Math.max(0, doubleTap - (Date.now() - sentAt)));
      if (res.status === 200) {
        if (out && box.dataset.zone) { out.textContent = ''; }
        (res.data.results || []).forEach(function (r) { showResult(r.device, r.status, r.error, set); });
      } else {
        lamps.forEach(function (l) { var r = $('[data-result]', l); if (r) { r.textContent = ''; } });
        if (out) { out.innerHTML = '<span class="err">' + esc(errText(res)) + '</span>'; }
      }
    });
  }
  // zoneRelease shows a zone's "return to programme" when a lamp of it is held.
  function zoneRelease(zb) {
    var b = $('[data-release-zone]', zb);
    if (b) { b.hidden = !held(zb).length; }
  }
  function held(zb) {
    return $$('[data-device]', zb).map(function (l) { return l.dataset.device; })
      .filter(function (id) { return devs[id] && devs[id].light && devs[id].light.override; });
  }
  // release ends the overrides of ids (DELETE /api/v1/lights/{id}/override).
  function release(box, ids) {
    var key = 'r:' + (box.dataset.device || box.dataset.zone);
    if (inflight[key] || !ids.length) { return; }
    inflight[key] = true;
    var out = $('[data-result]', box), btns = $$('button', box);
    btns.forEach(function (b) { b.disabled = true; });
    if (out) { out.textContent = t('sending'); }
    Promise.all(ids.map(function (id) {
      return api('DELETE', '/api/v1/lights/' + encodeURIComponent(id) + '/override').then(function (res) {
        if (res.status === 200 && devs[id]) { devs[id].light = res.data; paint(devs[id]); }
        return res;
      });
    })).then(function (rs) {
      delete inflight[key];
      btns.forEach(function (b) { b.disabled = false; });
      var bad = rs.filter(function (r) { return r.status !== 200; });
      if (out) { out.innerHTML = bad.length ? '<span class="err">' + esc(errText(bad[0])) + '</span>' : esc(t('released')); }
    });
  }
  document.addEventListener('click', function (e) {
    var rb = e.target.closest && e.target.closest('button[data-release],button[data-release-zone]');
    if (!rb) { return; }
    var box = rb.closest('[data-device],[data-zone]');
    release(box, box.dataset.device ? [box.dataset.device] : held(box));
  });
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

  // ---- Đèn: light programmes (list for everyone, editing for operators of every zone it touches) ----
  var EVENTS = ['sunset', 'sunrise', 'civil_dusk', 'civil_dawn'], DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  var progs = [], lh = $('#lights-h'), ptpl = $('#prog-tpl');
  function hhmm(iso) { return String(iso).slice(11, 16); } // the API writes the area's local time
  function dm(d) { return d.slice(8, 10) + '/' + d.slice(5, 7); }
  // parseAt splits "sunset+1h30m" into {kind: 'sunset', offset: 90}, "23:00" into {kind: 'clock', clock: '23:00'}.
  function parseAt(at) {
    var m = /^([a-z_]+)(?:([+-])(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)?$/.exec(at || '');
    if (!m || EVENTS.indexOf(m[1]) < 0) { return { kind: 'clock', clock: at || '' }; }
    var off = (parseInt(m[3] || 0, 10) * 60) + parseInt(m[4] || 0, 10) + Math.round(parseInt(m[5] || 0, 10) / 60);
    return { kind: m[1], offset: m[2] === '-' ? -off : off };
  }
  function atText(at) {
    var w = parseAt(at);
    if (w.kind === 'clock') { return w.clock; }
    return t(w.kind) + (w.offset ? ' ' + (w.offset > 0 ? '+' : '−') + Math.abs(w.offset) + ' ' + t('min') : '');
  }
  function stepText(s) { return s.on ? t('ston') + ' ' + (s.brightness || 100) + '%' : t('stoff'); }
  function mayEdit(sc) {
    if (body.dataset.role !== 'operator' && body.dataset.role !== 'admin') { return false; }
    if (lh.dataset.allZones === 'true') { return true; }
    return (sc.zones || []).length > 0 && sc.zones.every(function (z) { return $('[data-progs="' + z + '"]') !== null; });
  }
  function progItem(sc) {
    var p = sc.program || {}, n = sc.tonight || { steps: [] }, h = '';
    h += '<div class="prog-item" data-prog="' + esc(sc.id) + '"><div class="row"><b class="grow">' + esc(sc.name) + '</b>' +
      '<span class="badge ' + (sc.enabled ? 'done' : '') + '">' + esc(t(sc.enabled ? 'inuse' : 'notinuse')) + '</span></div>';
    h += '<p class="muted">' + esc(t('tonight')) + (n.date ? ' (' + esc(dm(n.date)) + ')' : '') + '</p>';
    h += n.steps.length ? '<ul class="steps">' + n.steps.map(function (s) {
      return '<li><b>' + esc(hhmm(s.time)) + '</b> ' + esc(stepText(s)) + (parseAt(s.at).kind === 'clock' ? '' : ' <span class="muted">(' + esc(atText(s.at)) + ')</span>') + '</li>';
    }).join('') + '</ul>' : '<p>' + esc(t('notonight')) + '</p>';
    var same = n.steps.length === (p.steps || []).length && n.steps.every(function (s, i) { return s.at === p.steps[i].at; });
    if (!same) { h += '<p class="muted">' + esc(t('steps')) + ': ' + esc((p.steps || []).map(function (s) { return atText(s.at) + ' ' + stepText(s); }).join(' · ')) + '</p>'; }
    h += '<p class="muted">' + esc(t('days')) + ': ' + esc(p.days && p.days.length && p.days.length < 7 ?
      DAYS.filter(function (d) { return p.days.indexOf(d) >= 0; }).map(function (d) { return t('d_' + d); }).join(', ') : t('everyday')) + '</p>';
    var ex = groupExc(p.exceptions || []);
    if (ex.length) {
      h += '<p class="muted">' + esc(t('exc')) + ': ' + esc(ex.map(function (e) {
        return dm(e.from) + (e.to !== e.from ? '–' + dm(e.to) : '') + ' ' + (e.off ? t('excoff') : t('excsteps').replace('%d', e.steps.length));
      }).join('; ')) + '</p>';
    }
    if (mayEdit(sc)) {
      h += '<div class="row"><button type="button" data-prog-edit>' + esc(t('edit')) + '</button>' +
        '<button type="button" class="danger" data-prog-del>' + esc(t('delete')) + '</button></div><p class="err" data-prog-err></p>';
    }
    return h + '</div>';
  }
  function nextDay(d) { var x = new Date(d + 'T12:00:00Z'); x.setUTCDate(x.getUTCDate() + 1); return x.toISOString().slice(0, 10); }
  // groupExc joins exceptions of consecutive dates that say the same into ranges.
  function groupExc(list) {
    var out = [];
    list.slice().sort(function (a, b) { return a.date < b.date ? -1 : 1; }).forEach(function (e) {
      var key = JSON.stringify({ off: !!e.off, steps: e.steps || [] }), last = out[out.length - 1];
      if (last && last.key === key && nextDay(last.to) === e.date) { last.to = e.date; return; }
      out.push({ key: key, from: e.date, to: e.date, off: !!e.off, steps: e.steps || [] });
    });
    return out;
  }
  function progsLoad() {
    api('GET', '/api/v1/schedules?kind=light').then(function (res) {
      $$('[data-progs]').forEach(function (box) {
        var list = $('[data-prog-list]', box);
        if (res.status !== 200) { list.innerHTML = '<p class="err">' + esc(errText(res)) + '</p>'; return; }
        progs = res.data.schedules || [];
        var mine = progs.filter(function (sc) { return (sc.zones || []).indexOf(box.dataset.progs) >= 0; });
        list.innerHTML = mine.map(progItem).join('') || '<p class="muted">' + esc(t('noprogs')) + '</p>';
      });
    });
  }
  // stepRow adds a step editor to the list el, filled from step s.
  function stepRow(el, s) {
    var r = $('#step-tpl').content.firstElementChild.cloneNode(true), w = parseAt(s ? s.at : 'sunset');
    $('[name=kind]', r).value = w.kind;
    $('[name=clock]', r).value = w.kind === 'clock' ? w.clock : '';
    $('[name=offset]', r).value = w.offset || 0;
    $('[name=action]', r).value = s && !s.on ? 'off' : 'on';
    $('[name=brightness]', r).value = s && s.on ? (s.brightness || 100) : 100;
    el.appendChild(r); stepShown(r);
  }
  function stepShown(r) {
    var clock = $('[name=kind]', r).value === 'clock';
    $('[data-clock]', r).hidden = !clock; $('[data-offset]', r).hidden = clock;
    $('[data-bright-f]', r).hidden = $('[name=action]', r).value === 'off';
  }
  function excRow(el, e) {
    var r = $('#exc-tpl').content.firstElementChild.cloneNode(true);
    progs.forEach(function (sc) { // another programme's steps, copied in on choosing it
      var o = document.createElement('option'); o.value = sc.id; o.textContent = sc.name; $('[name=copy]', r).appendChild(o);
    });
    el.appendChild(r);
    if (e) {
      $('[name=from]', r).value = e.from; $('[name=to]', r).value = e.to !== e.from ? e.to : '';
      $('[name=mode]', r).value = e.off ? 'off' : 'steps';
      e.steps.forEach(function (s) { stepRow($('[data-steps]', r), s); });
    }
    excShown(r);
  }
  function excShown(r) {
    var on = $('[name=mode]', r).value === 'steps', box = $('[data-exc-steps]', r);
    box.hidden = !on;
    if (on && !$('[data-step]', box)) { stepRow($('[data-steps]', box)); }
  }
  // readSteps returns the steps of list el and records where each one's errors go.
  function readSteps(el, path, fmap) {
    return $$(':scope > [data-step]', el).map(function (r, i) {
      var k = $('[name=kind]', r).value, off = parseInt($('[name=offset]', r).value || '0', 10) || 0, s = {};
      s.at = k === 'clock' ? $('[name=clock]', r).value : k + (off ? (off > 0 ? '+' : '-') + Math.abs(off) + 'm' : '');
      s.on = $('[name=action]', r).value === 'on';
      if (s.on) { s.brightness = parseInt($('[name=brightness]', r).value || '100', 10); if (isNaN(s.brightness)) { s.brightness = -1; } }
      fmap[path + '[' + i + ']'] = $('[data-ferr]', r);
      return s;
    });
  }
  var editing = null;
  function progOpen(box, sc) {
    if (editing) { editing.remove(); }
    var f = ptpl.content.firstElementChild.cloneNode(true), p = (sc && sc.program) || { steps: [{ at: 'sunset+10m', on: true, brightness: 100 }, { at: 'sunrise-10m', on: false }] };
    f.dataset.zone = box.dataset.progs;
    if (sc) { f.dataset.id = sc.id; f.dataset.targets = JSON.stringify(sc.targets); }
    $('[data-prog-title]', f).textContent = t(sc ? 'editprog' : 'newprog');
    $('[name=name]', f).value = sc ? sc.name : '';
    $('[name=enabled]', f).checked = sc ? sc.enabled : true;
    (p.steps || []).forEach(function (s) { stepRow($('[data-steps]', f), s); });
    if (p.days && p.days.length) { $$('[name=day]', f).forEach(function (c) { c.checked = p.days.indexOf(c.value) >= 0; }); }
    groupExc(p.exceptions || []).forEach(function (e) { excRow($('[data-excs]', f), e); });
    var item = sc && $('[data-prog="' + sc.id + '"]', box);
    if (item) { item.after(f); } else { $('[data-prog-new]', box).before(f); }
    editing = f;
    $('[name=name]', f).focus();
  }
  function progSave(f) {
    var btn = $('button[type=submit]', f);
    if (btn.disabled) { return; }
    $$('.err', f).forEach(function (e) { e.textContent = ''; });
    var fmap = { name: $('[data-f=name]', f), 'program.steps': $('[data-f="program.steps"]', f), 'program.days': $('[data-f="program.days"]', f), 'program.exceptions': $('[data-f="program.exceptions"]', f) };
    var prog = { steps: readSteps($('[data-steps]', f), 'program.steps', fmap) };
    var days = $$('[name=day]:checked', f).map(function (c) { return c.value; });
    if (!days.length) { fmap['program.days'].textContent = t('nodays'); return; }
    if (days.length < 7) { prog.days = days; }
    var exc = [], bad = false;
    $$('[data-exc]', f).forEach(function (r) {
      var from = $('[name=from]', r).value, to = $('[name=to]', r).value || from, err = $('[data-ferr]', r), tmp = {};
      if (!from) { err.textContent = t('nodate'); bad = true; return; }
      if (to < from) { err.textContent = t('badrange'); bad = true; return; }
      var steps = $('[name=mode]', r).value === 'steps' ? readSteps($('[data-steps]', r), 'x', tmp) : null;
      for (var d = from, n = 0; d <= to; d = nextDay(d), n++) {
        if (n >= 62) { err.textContent = t('longrange'); bad = true; return; }
        var i = exc.length, path = 'program.exceptions[' + i + ']';
        fmap[path] = err;
        if (steps) { Object.keys(tmp).forEach(function (k) { fmap[path + '.steps' + k.slice(1)] = tmp[k]; }); }
        exc.push(steps ? { date: d, steps: steps } : { date: d, off: true });
      }
    });
    if (bad) { return; }
    if (exc.length) { prog.exceptions = exc; }
    var req = { kind: 'light', name: $('[name=name]', f).value.trim(), enabled: $('[name=enabled]', f).checked, program: prog,
      targets: f.dataset.targets ? JSON.parse(f.dataset.targets) : { zones: [f.dataset.zone] } };
    btn.disabled = true;
    api(f.dataset.id ? 'PUT' : 'POST', '/api/v1/schedules' + (f.dataset.id ? '/' + encodeURIComponent(f.dataset.id) : ''), req).then(function (res) {
      btn.disabled = false;
      if (res.status === 200 || res.status === 201) { f.remove(); editing = null; progsLoad(); return; }
      // The server's message goes next to the field it names (program.steps[2].at → that step).
      var fld = res.data.field || '', el = null;
      while (fld && !(el = fmap[fld])) {
        var cut = fld.replace(/(\.[a-z_]+|\[\d+\])$/, '');
        fld = cut === fld ? '' : cut;
      }
      (el || $('[data-f=form]', f)).textContent = errText(res);
    });
  }
  if (lh && $('[data-progs]')) {
    progsLoad();
    document.addEventListener('click', function (e) {
      var b = e.target.closest && e.target.closest('button');
      if (!b) { return; }
      var box = b.closest('[data-progs]'), item = b.closest('[data-prog]'), sc = item && progs.filter(function (x) { return x.id === item.dataset.prog; })[0];
      if (b.matches('[data-prog-new]')) { progOpen(box); }
      else if (b.matches('[data-prog-edit]') && sc) { progOpen(box, sc); }
      else if (b.matches('[data-prog-close]') && editing) { editing.remove(); editing = null; }
      else if (b.matches('[data-add-step]')) { stepRow(b.parentElement.querySelector('[data-steps]')); }
      else if (b.matches('[data-del-step]')) { b.closest('[data-step]').remove(); }
      else if (b.matches('[data-add-exc]')) { excRow($('[data-excs]', b.closest('form'))); }
      else if (b.matches('[data-del-exc]')) { b.closest('[data-exc]').remove(); }
      else if (b.matches('[data-prog-del]') && sc && !b.disabled && window.confirm(t('delq').replace('%s', sc.name))) {
        b.disabled = true;
        api('DELETE', '/api/v1/schedules/' + encodeURIComponent(sc.id)).then(function (res) {
          b.disabled = false;
          if (res.status !== 204) { $('[data-prog-err]', item).textContent = errText(res); return; }
          progsLoad();
        });
      }
    });
    document.addEventListener('change', function (e) {
      var r = e.target.closest && e.target.closest('[data-step]');
      if (r) { stepShown(r); }
      var x = e.target.matches && e.target.matches('[name=mode]') && e.target.closest('[data-exc]');
      if (x) { excShown(x); }
      var c = e.target.matches && e.target.matches('[name=copy]') && e.target.closest('[data-exc]');
      var from = c && progs.filter(function (sc) { return sc.id === e.target.value; })[0];
      if (from) {
        var list = $('[data-steps]', c);
        list.textContent = '';
        ((from.program || {}).steps || []).forEach(function (s) { stepRow(list, s); });
      }
    });
    document.addEventListener('input', function (e) { // an edited field's message goes away as the user types
      var fe = e.target.closest && e.target.closest('[data-step],[data-exc]');
      if (fe) { $('[data-ferr]', fe).textContent = ''; }
    });
    document.addEventListener('submit', function (e) {
      if (e.target.matches('.progform')) { e.preventDefault(); progSave(e.target); }
    });
  }

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

  // ---- Loa: broadcast, receipts per speaker, history, cancel ----
  var af = $('#ann-form'), recorded = null;
  function srcShown() {
    var v = ($('input[name=src]:checked', af) || {}).value;
    $$('[data-src]', af).forEach(function (d) { d.hidden = d.dataset.src !== v; });
  }
  if (af) {
    $$('input[name=src]', af).forEach(function (r) { r.addEventListener('change', srcShown); });
    var rec = $('#rec'), mr = null, chunks = [];
    // The microphone needs a secure context; elsewhere the file input's
    // capture opens the phone's own recorder.
    if (window.isSecureContext && window.MediaRecorder && navigator.mediaDevices) {
      rec.hidden = false;
      rec.addEventListener('click', function () {
        if (mr && mr.state === 'recording') { mr.stop(); return; }
        navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
          chunks = []; mr = new MediaRecorder(stream);
          mr.ondataavailable = function (e) { chunks.push(e.data); };
          mr.onstop = function () {
            stream.getTracks().forEach(function (t2) { t2.stop(); });
            recorded = new Blob(chunks, { type: mr.mimeType || 'audio/webm' });
            $('#rec-state').textContent = t('recorded') + ' (' + Math.round(recorded.size / 1024) + ' KB)';
          };
          mr.start(); $('#rec-state').textContent = t('recording');
        }, function (err) { $('#rec-state').textContent = String(err); });
      });
    }
    af.addEventListener('submit', function (e) {
      e.preventDefault();
      var btn = $('button[type=submit]', af);
      if (btn.disabled) { return; }
      btn.disabled = true;
      showErrors(af, null);
      var zones = $$('input[name=zone]:checked', af).map(function (c) { return c.value; });
      var req = { title: $('#ann-title').value, targets: { zones: zones, kind: 'speaker' }, priority: $('#ann-prio').value };
      if ($('#ann-at').value) { req.at = new Date($('#ann-at').value).toISOString(); }
      var audio = $('input[name=src]:checked', af).value === 'audio';
      var file = recorded || ($('#ann-file').files || [])[0];
      var media = Promise.resolve(null);
      if (audio) {
        if (!file) { btn.disabled = false; $('[data-err=media_id]', af).textContent = t('nofile'); return; }
        media = api('POST', '/api/v1/media', file, { raw: true, headers: { 'Content-Type': file.type || 'audio/mpeg' } });
      } else { req.text = $('#ann-text').value; }
      media.then(function (m) {
        if (m && m.status !== 201 && m.status !== 200) { return m; }
        if (m) { req.media_id = m.data.id; }
        return api('POST', '/api/v1/announcements', req);
      }).then(function (res) {
        btn.disabled = false;
        if (res.status !== 201 && res.status !== 200) { showErrors(af, res); return; }
        receipts(res.data); af.reset(); recorded = null; srcShown(); history();
      });
    });
  }
  var final = { done: 1, failed: 1, offline: 1, cancelled: 1 };
  function receipts(a) {
    (a.deliveries || []).forEach(function (d) { showResult(d.device, d.status, d.error); });
    var open = (a.deliveries || []).some(function (d) { return !final[d.status]; });
    if (open && a.status !== 'cancelled') {
      setTimeout(function () {
        api('GET', '/api/v1/announcements/' + encodeURIComponent(a.id)).then(function (r) { if (r.status === 200) { receipts(r.data); history(); } });
      }, 2000);
    }
  }
  // history lists the announcements reaching the caller's zones (last 7 days).
  function history() {
    var ul = $('#ann-history');
    if (!ul) { return; }
    api('GET', '/api/v1/announcements').then(function (res) {
      if (res.status !== 200) { ul.innerHTML = '<li class="err">' + esc(errText(res)) + '</li>'; return; }
      ul.innerHTML = (res.data.announcements || []).slice(0, 30).map(function (a) {
        var can = ul.dataset.cancel === 'true' && !final[a.status] && a.status !== 'partial';
        return '<li class="lamp"><div class="row"><span class="grow">' + esc(a.title) + ' <span class="muted">' +
          esc(a.created ? new Date(a.created).toLocaleString(LOC) : '') + '</span></span>' + badge(a.status) +
          (can ? ' <button type="button" class="danger" data-cancel="' + esc(a.id) + '">' + esc(t('cancel')) + '</button>' : '') + '</div></li>';
      }).join('') || '<li class="muted">' + esc(t('none')) + '</li>';
    });
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button[data-cancel]');
    if (!b || b.disabled) { return; }
    b.disabled = true;
    api('DELETE', '/api/v1/announcements/' + encodeURIComponent(b.dataset.cancel)).then(function (res) {
      if (res.status !== 204) { b.disabled = false; b.insertAdjacentHTML('afterend', '<p class="err">' + esc(errText(res)) + '</p>'); }
      history();
    });
  });
  if (page === 'speakers') { history(); }

  // ---- Loa: each zone's broadcast window refreshes itself (GET /api/v1/zones every 30 s, and when the phone wakes) ----
  function winText(w) {
    if (!w || !w.windows || !w.windows.length) { return ''; }
    if (w.open) { return t('winopen'); }
    if (!w.next_open) { return t('winclosed'); }
    var n = w.next_open, m = /([+-])(\d\d):(\d\d)$/.exec(n), off = m ? (m[1] === '-' ? -1 : 1) * (m[2] * 60 + +m[3]) : 0;
    var today = new Date(Date.now() + off * 60000).toISOString().slice(0, 10); // the area's date
    return t('winat').replace('%s', n.slice(11, 16) + (n.slice(0, 10) !== today ? ' ' + dm(n.slice(0, 10)) : ''));
  }
  function windowsLoad() {
    api('GET', '/api/v1/zones').then(function (res) {
      if (res.status !== 200) { return; }
      (res.data.zones || []).forEach(function (z) {
        var txt = winText(z.broadcast);
        $$('[data-window="' + z.id + '"]').forEach(function (el) {
          el.hidden = !txt;
          if (txt && el.textContent !== txt) { el.textContent = txt; }
          el.classList.toggle('open', !!(z.broadcast && z.broadcast.open)); el.classList.toggle('closed', !(z.broadcast && z.broadcast.open));
        });
      });
    });
  }
  if (page === 'speakers' && $('[data-window]')) {
    setInterval(function () { if (!document.hidden) { windowsLoad(); } }, 30000);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) { windowsLoad(); } });
  }

  // ---- Nhật ký ----
  var auf = $('#audit-form');
  function auditLoad() {
    var q = '?from=' + encodeURIComponent($('#a-from').value) + '&to=' + encodeURIComponent($('#a-to').value) +
      ($('#a-action').value ? '&action=' + encodeURIComponent($('#a-action').value) : '');
    api('GET', '/api/v1/audit' + q).then(function (res) {
      if (res.status !== 200) { showErrors(auf, res); return; }
      showErrors(auf, null);
      var rows = (res.data.entries || []).map(function (e) {
        var cls = e.result === 'ok' ? 'done' : (e.result === 'failed' || e.result === 'denied' ? 'failed' : '');
        return '<tr><td>' + esc(new Date(e.time).toLocaleString(LOC)) + '</td><td>' + esc(e.user) + '</td><td>' + esc(e.action) +
          '</td><td>' + esc(e.target) + '</td><td><span class="badge ' + cls + '">' + esc(e.result) + '</span>' +
          (e.error ? ' <span class="muted">' + esc(e.error) + '</span>' : '') + '</td></tr>';
      });
      $('#audit-rows').innerHTML = rows.join('') || '<tr><td colspan="5" class="muted">' + esc(t('none')) + '</td></tr>';
    });
  }
  if (auf) { auf.addEventListener('submit', function (e) { e.preventDefault(); auditLoad(); }); auditLoad(); }

  // ---- Người dùng ----
  var ul = $('#user-list'), uf = $('#user-form');
  function usersLoad() {
    var zones = ul.dataset.zones ? ul.dataset.zones.split(',') : [];
    api('GET', '/api/v1/users').then(function (res) {
      if (res.status !== 200) { $('#user-err').textContent = errText(res); return; }
      ul.innerHTML = (res.data.users || []).map(function (u) {
        var zs = zones.map(function (z) {
          return '<label class="check"><input type="checkbox" name="uz" value="' + esc(z) + '"' + ((u.zones || []).indexOf(z) >= 0 ? ' checked' : '') + '>' + esc(z) + '</label>';
        }).join('');
        return '<div class="lamp" data-user="' + esc(u.name) + '"><div class="row"><b class="grow">' + esc(u.name) + '</b>' +
          '<span class="badge">' + esc(u.role) + '</span><span class="badge ' + (u.disabled ? 'failed' : 'done') + '">' + esc(t(u.disabled ? 'disabled' : 'enabled')) + '</span></div>' +
          (u.role === 'operator' ? '<fieldset style="border:0;padding:0"><legend class="sr">zones</legend>' + zs + '</fieldset><button type="button" data-uact="zones">' + esc(t('savezones')) + '</button> ' : '') +
          '<div class="row"><button type="button" data-uact="toggle">' + esc(t(u.disabled ? 'enable' : 'disable')) + '</button>' +
          '<button type="button" data-uact="password">' + esc(t('resetpw')) + '</button></div><p class="err" data-err="u"></p></div>';
      }).join('');
    });
  }
  if (ul) {
    usersLoad();
    ul.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-uact]');
      if (!b) { return; }
      var box = b.closest('[data-user]'), name = box.dataset.user, act = b.dataset.uact, req;
      var out = $('[data-err=u]', box);
      if (act === 'toggle') {
        req = api('PUT', '/api/v1/users/' + encodeURIComponent(name), { disabled: $('.badge.failed', box) === null });
      } else if (act === 'zones') {
        req = api('PUT', '/api/v1/users/' + encodeURIComponent(name), { zones: $$('input[name=uz]:checked', box).map(function (c) { return c.value; }) });
      } else {
        var pw = window.prompt(t('newpw').replace('%s', name));
        if (!pw) { return; }
        req = api('POST', '/api/v1/users/' + encodeURIComponent(name) + '/password', { password: pw });
      }
      b.disabled = true;
      req.then(function (res) {
        b.disabled = false;
        if (res.status >= 300) { out.textContent = errText(res); return; }
        if (act === 'password') { out.className = 'ok'; out.textContent = t('pwdone'); return; }
        usersLoad();
      });
    });
  }
  if (uf) {
    uf.addEventListener('submit', function (e) {
      e.preventDefault();
      var zones = $$('input[name=zone]:checked', uf).map(function (c) { return c.value; });
      var req = { name: $('#u-name').value.trim().toLowerCase(), role: $('#u-role').value, password: $('#u-pw').value };
      if (zones.length) { req.zones = zones; }
      api('POST', '/api/v1/users', req).then(function (res) {
        if (res.status !== 201 && res.status !== 200) { showErrors(uf, res); return; }
        showErrors(uf, null); uf.reset(); usersLoad();
      });
    });
  }

  // ---- Tổng quan: alerts and the next programme step fill in when their APIs answer ----
  function fillOverview() {
    var al = $('#alerts');
    if (al) {
      api('GET', '/api/v1/alerts').then(function (res) {
        if (res.status !== 200) { al.innerHTML = '<p class="note">' + esc(errText(res)) + '</p>'; return; }
        var list = res.data.alerts || [];
        al.innerHTML = list.length ? '<ul>' + list.map(function (a) {
          return '<li>' + badge(a.state) + ' ' + esc(a.message) + ' <span class="muted">' + esc(new Date(a.raised_at).toLocaleString(LOC)) + '</span></li>';
        }).join('') + '</ul>' : '<p class="muted">' + esc(t('none')) + '</p>';
      });
    }
    var ns = $('#next-step'), na = $('#next-ann');
    if (ns || na) {
      api('GET', '/api/v1/schedules').then(function (res) {
        if (res.status !== 200) { if (ns) { ns.textContent = errText(res); } if (na) { na.textContent = errText(res); } return; }
        // The soonest next step of the enabled programmes, per kind.
        var soon = {};
        (res.data.schedules || []).forEach(function (x) {
          var k = x.kind || 'light';
          if (x.enabled && x.next && x.next.time && (!soon[k] || x.next.time < soon[k].next.time)) { soon[k] = x; }
        });
        function show(el, x) {
          if (!el) { return; }
          if (!x) { el.textContent = t('none'); return; }
          var st = x.next.step, what = '';
          if (st && st.on !== undefined) { what = ' · ' + t(st.on ? 'on' : 'off') + (st.on && st.brightness !== undefined ? ' ' + st.brightness + '%' : ''); }
          el.textContent = new Date(x.next.time).toLocaleString(LOC) + ' · ' + x.name + what;
        }
        show(ns, soon.light); show(na, soon.announcement);
      });
    }
  }
  if (page === 'overview') { fillOverview(); }

  window.hamlet = { api: api, t: t, esc: esc, badge: badge, errText: errText, showErrors: showErrors, $: $, $$: $$, uid: uid };
  if (body.dataset.role) { live(); }
})();
