// The status page's script (inlined; its hash goes in the Content-Security-Policy). It polls the HTTP
// API's own `GET endpoints` (relative, so the page works under any stage path) and builds every element
// with createElement/textContent: nothing a request carries is ever parsed as HTML.
// Plain ES2020 in a raw string: no backticks or dollar-brace inside, so nothing is interpolated.
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var root = document.documentElement;
  var POLL_MS = Number(root.getAttribute('data-poll-ms')) || 1000;
  var LIST_URL = 'endpoints?limit=100';
  var IN_FLIGHT = { PROVISIONING: 1, WAITING_FOR_CONSUMER: 1, WAITING_FOR_VENDOR: 1, DELETING: 1 };
  var view = { results: [], unreadable: [], more: false, selected: null, seen: {}, shown: {} };

  function el(tag, attrs) {
    var node = document.createElement(tag);
    var names = Object.keys(attrs || {});
    for (var i = 0; i < names.length; i++) {
      var value = attrs[names[i]];
      if (value === undefined || value === null || value === false) continue;
      if (names[i] === 'text') node.textContent = String(value);
      else if (names[i] === 'className') node.className = String(value);
      else node.setAttribute(names[i], String(value));
    }
    for (var j = 2; j < arguments.length; j++) {
      var child = arguments[j];
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function replace(id, content) {
    var target = document.getElementById(id);
    while (target.firstChild) target.removeChild(target.firstChild);
    if (content) target.appendChild(content);
  }
  function badge(status) {
    return el('span', { className: 'badge s-' + String(status).replace(/[^A-Z_]/g, ''), text: status });
  }

  function copyButton(value, label) {
    var button = el('button', { type: 'button', className: 'copy', 'aria-label': 'Copy ' + label, text: 'Copy' });
    button.addEventListener('click', function () {
      var done = function () {
        button.textContent = 'Copied';
        button.classList.add('copied');
        setTimeout(function () { button.textContent = 'Copy'; button.classList.remove('copied'); }, 1500);
      };
      var fallback = function () {
        var code = button.parentNode.querySelector('code, pre');
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        try { if (document.execCommand('copy')) done(); } catch (e) { /* left selected for Ctrl+C */ }
      };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(value).then(done, fallback);
      else fallback();
    });
    return button;
  }
  function copyable(value, label, block) {
    return el('div', { className: 'copyable' }, el(block ? 'pre' : 'code', { text: value }), copyButton(value, label));
  }

  // Which drawing a result belongs on, and which of its states to mark.
  function graphs() {
    var out = {};
    var svgs = document.querySelectorAll('svg.graph');
    for (var i = 0; i < svgs.length; i++) {
      var names = {};
      var nodes = svgs[i].querySelectorAll('[data-state]');
      for (var j = 0; j < nodes.length; j++) names[nodes[j].getAttribute('data-state')] = nodes[j];
      out[svgs[i].id.replace(/^graph-/, '')] = { svg: svgs[i], states: names };
    }
    return out;
  }
  var GRAPHS = graphs();
  function endState(graph, type) {
    var names = Object.keys(graph.states);
    for (var i = 0; i < names.length; i++)
      if (graph.states[names[i]].classList.contains(type)) return names[i];
    return null;
  }
  function workflowOf(result) {
    var step = result.currentStep || (result.error && result.error.step);
    var inProvision = GRAPHS.provision && step && GRAPHS.provision.states[step];
    var inTeardown = GRAPHS.teardown && step && GRAPHS.teardown.states[step];
    if (result.status === 'DELETING' || result.status === 'DELETED') return 'teardown';
    if (inTeardown && !inProvision) return 'teardown';
    return 'provision';
  }
  function markGraph(result) {
    var which = result ? workflowOf(result) : 'provision';
    var names = Object.keys(GRAPHS);
    for (var i = 0; i < names.length; i++) {
      var graph = GRAPHS[names[i]];
      document.getElementById('wrap-' + names[i]).hidden = names[i] !== which;
      var states = Object.keys(graph.states);
      for (var j = 0; j < states.length; j++) graph.states[states[j]].classList.remove('current', 'visited', 'failed', 'done');
    }
    var caption = document.getElementById('graph-caption');
    if (!result) { caption.textContent = 'No request selected.'; return; }
    var g = GRAPHS[which];
    if (!g) return;
    var seen = view.seen[result.requestId] || [];
    for (var k = 0; k < seen.length; k++) if (g.states[seen[k]]) g.states[seen[k]].classList.add('visited');
    var mark = null;
    var cls = 'current';
    if (result.status === 'READY' || result.status === 'DELETED') { mark = endState(g, 't-succeed'); cls = 'done'; }
    else if (result.status === 'FAILED') { mark = result.error && result.error.step; cls = 'failed'; }
    else mark = result.currentStep;
    if (mark && g.states[mark]) { g.states[mark].classList.remove('visited'); g.states[mark].classList.add(cls); }
    caption.textContent = result.requestId + ': ' + result.status + (mark ? ' at ' + mark : '') + ' (' + which + ' workflow)';
    root.setAttribute('data-current-state', mark && g.states[mark] ? mark : '');
  }

  function renderTable() {
    var rows = view.results.map(function (r) {
      var tr = el('tr', { 'data-request-id': r.requestId, className: r.requestId === view.selected ? 'selected' : '' },
        el('td', { className: 'request' }, el('strong', { text: r.requestId }),
          r.endpoint ? el('div', { className: 'endpoint', text: r.endpoint.endpointId }) : null),
        el('td', { className: 'status' }, badge(r.status)),
        el('td', { className: 'step', text: r.currentStep || (r.error ? r.error.step : '') }));
      tr.addEventListener('click', function () { select(r.requestId); });
      return tr;
    });
    view.unreadable.forEach(function (u) {
      rows.push(el('tr', { 'data-request-id': u.requestId },
        el('td', {}, el('strong', { text: u.requestId })),
        el('td', {}, el('span', { className: 'badge s-FAILED', text: 'UNREADABLE' })),
        el('td', { text: (u.error && (u.error.code + ': ' + u.error.message)) || '' })));
    });
    if (rows.length === 0) { replace('requests', el('p', { className: 'empty', text: 'No requests yet. POST /endpoints (or privatelink provision) to start one.' })); return; }
    var table = el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'request (endpoint)' }), el('th', { text: 'status' }),
      el('th', { text: 'step' }))), el('tbody', {}));
    rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
    var box = el('div', {}, table);
    if (view.more) box.appendChild(el('p', { className: 'muted', text: 'Showing the first 100 requests.' }));
    replace('requests', box);
  }

  function actionBlock(requestId, a) {
    return el('div', { className: 'action', 'data-request-id': requestId },
      el('div', {}, el('span', { className: 'who', text: 'Waiting on the ' + a.who }), ' for ', el('strong', { text: requestId })),
      el('div', { text: a.what }),
      a.endpointId ? el('div', { className: 'muted' }, 'endpoint ', el('code', { text: a.endpointId })) : null,
      a.command ? copyable(a.command, 'the command', true) : null);
  }
  function renderActions() {
    var blocks = [];
    view.results.forEach(function (r) { (r.actions || []).forEach(function (a) { blocks.push(actionBlock(r.requestId, a)); }); });
    var box = el('div', {});
    if (blocks.length === 0) box.appendChild(el('p', { className: 'empty', text: 'Nobody needs to act.' }));
    blocks.forEach(function (b) { box.appendChild(b); });
    replace('actions', box);
  }

  function dl(pairs) {
    var list = el('dl', {});
    pairs.forEach(function (p) { if (p[1] !== undefined && p[1] !== '') { list.appendChild(el('dt', { text: p[0] })); list.appendChild(el('dd', { text: p[1] })); } });
    return list;
  }
  function renderDetail(r) {
    if (!r) { replace('detail', el('p', { className: 'empty', text: 'Select a request.' })); return; }
    var box = el('div', { 'data-request-id': r.requestId },
      el('p', {}, el('strong', { text: r.requestId }), ' ', badge(r.status), r.interrupted ? el('span', { className: 'muted', text: ' (interrupted: provision it again to carry on)' }) : null),
      dl([['step', r.currentStep], ['service', r.service && r.service.serviceName], ['endpoint', r.endpoint && (r.endpoint.endpointId + ' (' + r.endpoint.state + ')')],
        ['DNS name', r.endpoint && r.endpoint.dnsName], ['private IPs', r.endpoint && (r.endpoint.privateIpAddresses || []).join(', ')],
        ['zones', r.dns && r.dns.zones.map(function (z) { return z.name; }).join(', ')],
        ['vendor', r.vendor && (r.vendor.name + ' ' + r.vendor.status + (r.vendor.connectionStatus ? ' / ' + r.vendor.connectionStatus : ''))]]));
    (r.actions || []).forEach(function (a) { box.appendChild(actionBlock(r.requestId, a)); });
    if (r.error) box.appendChild(el('div', { className: 'failure' },
      el('div', {}, el('span', { className: 'code', text: r.error.code }), ' at ', el('strong', { text: r.error.step })),
      el('div', { text: r.error.message })));
    var strings = r.connectionStrings || {};
    var kinds = Object.keys(strings);
    if (kinds.length > 0) {
      var cs = el('div', { className: 'connection-strings' }, el('h2', { text: 'Connection strings' }));
      kinds.forEach(function (k) {
        var row = el('div', { 'data-kind': k }, el('div', { className: 'label', text: k }), copyable(String(strings[k]), k + ' connection string', false));
        cs.appendChild(row);
      });
      box.appendChild(cs);
    }
    if (r.undone && r.undone.length) box.appendChild(el('div', {}, el('div', { className: 'label', text: 'undone' }), el('pre', { text: r.undone.join('\n') })));
    if (r.kept && r.kept.length) box.appendChild(el('div', {}, el('div', { className: 'label', text: 'kept' }), el('pre', { text: r.kept.join('\n') })));
    replace('detail', box);
  }

  function find(id) {
    for (var i = 0; i < view.results.length; i++) if (view.results[i].requestId === id) return view.results[i];
    return null;
  }
  function render() {
    if (view.selected === null || !find(view.selected)) {
      var flying = view.results.filter(function (r) { return IN_FLIGHT[r.status]; })[0];
      view.selected = flying ? flying.requestId : view.results[0] ? view.results[0].requestId : null;
    }
    var selected = find(view.selected);
    // Rebuild a panel only when what it shows changed, so a copy button is never swapped under the pointer.
    var parts = { table: [view.results, view.unreadable, view.more, view.selected], actions: view.results.map(function (r) { return [r.requestId, r.actions]; }),
      detail: selected, graph: [selected, selected && view.seen[selected.requestId]] };
    if (changed('table', parts.table)) renderTable();
    if (changed('actions', parts.actions)) renderActions();
    if (changed('detail', parts.detail)) renderDetail(selected);
    if (changed('graph', parts.graph)) markGraph(selected);
  }
  function changed(key, value) {
    var text = JSON.stringify(value === undefined ? null : value);
    if (view.shown[key] === text) return false;
    view.shown[key] = text;
    return true;
  }
  function select(id) {
    view.selected = id;
    try { history.replaceState(null, '', '#' + encodeURIComponent(id)); } catch (e) { /* file: or sandboxed */ }
    render();
  }

  function setLive(text, ok) {
    var live = document.getElementById('live');
    live.textContent = text;
    live.className = 'live ' + (ok ? 'ok' : 'error');
  }
  function update(page) {
    view.results = Array.isArray(page.items) ? page.items : [];
    view.unreadable = Array.isArray(page.unreadable) ? page.unreadable : [];
    view.more = Boolean(page.next);
    view.results.forEach(function (r) {
      var seen = view.seen[r.requestId] || (view.seen[r.requestId] = []);
      if (r.currentStep && seen[seen.length - 1] !== r.currentStep) seen.push(r.currentStep);
    });
    render();
    setLive('updated ' + new Date().toLocaleTimeString(), true);
  }
  function poll() {
    fetch(LIST_URL, { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          var retry = Number(response.headers.get('retry-after')) || 0;
          return response.json().then(function (body) {
            var e = new Error(response.status + ' ' + ((body && body.error && body.error.code) || response.statusText));
            e.retryMs = retry * 1000;
            throw e;
          }, function () { var e = new Error(response.status + ' ' + response.statusText); e.retryMs = retry * 1000; throw e; });
        }
        return response.json();
      })
      .then(function (page) { update(page); setTimeout(poll, POLL_MS); },
        function (error) {
          var wait = Math.max(error.retryMs || 0, POLL_MS * 3);
          setLive('could not read the requests (' + error.message + '); retrying in ' + Math.round(wait / 1000) + ' s', false);
          setTimeout(poll, wait);
        });
  }

  if (location.hash.length > 1) { try { view.selected = decodeURIComponent(location.hash.slice(1)); } catch (e) { view.selected = null; } }
  render();
  poll();
})();
`;
