// Keeps the dashboard current from /events. The page is complete without this script: it only
// replaces figures the server rendered, formatted the way DashboardFormat formats them, and
// swaps in the server's charts when their data changed (the charts are drawn in one place only).
'use strict';
(() => {
  const none = '\u2014';

  const fixed = (value, digits) => String(Number(value.toFixed(digits)));

  function bytes(n) {
    if (n < 1024) return n + ' B';
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return fixed(value, value < 10 ? 1 : 0) + ' ' + units[unit];
  }

  function duration(s) {
    if (typeof s !== 'number' || !isFinite(s) || s < 0) return none;
    if (s < 1) {
      const ms = s * 1000;
      return fixed(ms, ms < 10 ? 1 : 0) + ' ms';
    }
    if (s < 60) return fixed(s, s < 10 ? 1 : 0) + ' s';
    const w = Math.floor(s);
    if (w < 3600) return `${Math.floor(w / 60)} min ${w % 60} s`;
    if (w < 48 * 3600) return `${Math.floor(w / 3600)} h ${Math.floor(w / 60) % 60} min`;
    return `${Math.floor(w / 86400)} d ${Math.floor(w / 3600) % 24} h`;
  }

  const formats = {
    plain: String,
    count: n => Math.round(n).toLocaleString('en-US'),
    duration,
    list: items => items.join(', '),
    time: at => new Date(at).toISOString().substring(11, 19) + ' UTC',
  };

  const lookup = (snapshot, path) =>
    path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), snapshot);

  function element(name, className, text) {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A verdict the page did not list when it was rendered gets its own line.
  function addVerdicts(verdicts) {
    const list = document.getElementById('verdicts');
    if (!list) return;
    const shown = new Set([...list.querySelectorAll('dd')].map(dd => dd.dataset.live));
    for (const name of Object.keys(verdicts)) {
      if (shown.has('verdicts.' + name)) continue;
      const dd = element('dd', 'number');
      dd.dataset.live = 'verdicts.' + name;
      dd.dataset.format = 'count';
      list.append(element('dt', '', name), dd);
    }
  }

  function updateFigures(snapshot) {
    for (const node of document.querySelectorAll('[data-live]')) {
      const value = lookup(snapshot, node.dataset.live);
      if (value === undefined) continue;
      node.textContent = value === null ? none : (formats[node.dataset.format] || String)(value);
    }
  }

  function scanItem(scan) {
    const item = element('li', 'scan');
    item.append(element('div', 'scan-name', scan.name));
    const bar = element('progress');
    bar.setAttribute('aria-label', 'Progress of ' + scan.name);
    const total = scan.totalBytes;
    const detail = element('div', 'scan-detail');
    if (total > 0) {
      const done = Math.min(scan.bytesDone, total);
      bar.max = total;
      bar.value = done;
      bar.textContent = Math.floor(done * 100 / total) + '%';
      detail.append(element('span', 'scan-bytes', `${bytes(scan.bytesDone)} of ${bytes(total)}`));
    } else {
      detail.append(element('span', 'scan-bytes', bytes(scan.bytesDone) + ' read'));
    }
    if (scan.currentObject != null) detail.append(element('span', 'scan-object', scan.currentObject));
    detail.append(element('span', 'scan-elapsed', duration(scan.elapsedSeconds)));
    item.append(bar, detail);
    return item;
  }

  function updateScans(scans) {
    const list = document.getElementById('scans');
    if (!list) return;
    list.replaceChildren(...(scans.length ? scans.map(scanItem) : [element('li', 'empty', 'No scan is running.')]));
  }

  // Re-fetches a server-drawn fragment when the figures behind it changed; one request at a time.
  const fragments = {};
  function refresh(id, url, key) {
    const state = fragments[id] || (fragments[id] = { key: null, busy: false });
    if (state.key === key || state.busy) return;
    state.busy = true;
    fetch(url, { credentials: 'same-origin' })
      .then(response => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
      .then(markup => {
        const target = document.getElementById(id);
        if (target) target.innerHTML = markup;
        state.key = key;
      })
      .catch(() => {})
      .finally(() => { state.busy = false; });
  }

  function update(snapshot) {
    addVerdicts(snapshot.verdicts);
    updateFigures(snapshot);
    updateScans(snapshot.scans);
    refresh('traffic-chart', '/dashboard/chart', snapshot.perMinute.map(m => m.in + '/' + m.out).join(','));
    refresh('engines', '/dashboard/engines', snapshot.engines.map(e => e.engine + ':' + e.recorded).join(','));
  }

  const note = document.getElementById('live-note');
  const source = new EventSource('/events');
  source.addEventListener('snapshot', event => {
    update(JSON.parse(event.data));
    if (note) note.classList.add('live');
  });
  source.addEventListener('error', () => {
    // CLOSED means the browser gave up (e.g. the session ended); otherwise it is reconnecting.
    if (note && source.readyState === EventSource.CLOSED) {
      note.classList.remove('live');
      note.textContent = 'Live updates stopped. Reload the page to see current figures.';
    }
  });
})();
