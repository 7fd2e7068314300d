// Seamless dashboard: a study list and a study page, kept live by server-sent events (api/events).
// User data (model names, prompts, tags, errors) only ever reaches the page as text nodes; the only markup inserted
// is the server's SVG charts, which escape every text they carry.
'use strict';

const PAGE_SIZE = 100;
const state = { route: null, view: null, list: null, sort: { key: 'n', dir: -1 }, filter: '', stateFilter: '', page: 0, recipe: null, samples: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Server-rendered SVG (escaped by the server), parsed as SVG rather than HTML.
function svg(markup) {
  const wrap = el('div', { class: 'chart-wrap' });
  if (!markup) return wrap;
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  if (doc.documentElement && doc.documentElement.nodeName === 'svg') wrap.append(document.importNode(doc.documentElement, true));
  return wrap;
}

const fmt = {
  score: v => (v === null || v === undefined) ? '—' : v.toFixed(4),
  pct: v => (v === null || v === undefined) ? '—' : (100 * v).toFixed(1) + ' %',
  cell: (row, v) => row === 'diversity' ? fmt.score(v) : fmt.pct(v),
  delta: v => (v === null || v === undefined) ? '—' : (v > 0 ? '+' : '') + v.toFixed(1),
  interval: (lo, hi) => (lo === null || lo === undefined || hi === null || hi === undefined) ? '' : lo.toFixed(3) + '–' + hi.toFixed(3),
  secs: s => {
    if (s === null || s === undefined) return '—';
    if (s < 90) return s.toFixed(0) + ' s';
    if (s < 5400) return (s / 60).toFixed(0) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' d';
  },
};

async function getJson(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(url + ': ' + r.status + ' ' + (await r.text()).trim());
  return r.json();
}

function main() { return document.getElementById('main'); }

function setMain(...nodes) { main().replaceChildren(...nodes.filter(n => n !== null && n !== undefined && n !== false)); }

function showError(e) {
  main().replaceChildren(el('p', { class: 'error' }, String(e.message || e)));
}

// ---------- study list ----------

async function loadList() {
  const data = await getJson('api/studies');
  state.list = data;
  document.getElementById('storage').textContent = data.storage;
  if (state.route.kind === 'list') renderList();
}

function renderList() {
  const data = state.list;
  const rows = data.studies.map(s => el('tr', { 'data-study': s.name },
    el('td', { class: 'l' }, el('a', { href: '#/study/' + encodeURIComponent(s.name) }, s.name)),
    el('td', { class: 'l' }, s.architecture || ''),
    el('td', { class: 'l' }, s.models.join(', ')),
    el('td', {}, s.finished + ' / ' + s.budget),
    el('td', {}, s.counts.running),
    el('td', {}, s.best_observed ? fmt.score(s.best_observed.value) + ' (trial ' + s.best_observed.trial + ')' : '—'),
    el('td', {}, s.best_observed ? fmt.interval(s.best_observed.low, s.best_observed.high) : ''),
    el('td', {}, s.eta_seconds === 0 ? 'done' : fmt.secs(s.eta_seconds)),
    el('td', { class: 'l' }, s.round ? 'round ' + s.round.index + (s.round.of ? ' of ' + s.round.of : '') : ''),
    el('td', { class: 'l' }, s.workers.map(w => w.worker + ' #' + w.trial).join(', '))));
  setMain(
    el('h1', {}, 'Studies'),
    data.error ? el('p', { class: 'error' }, 'The store could not be read: ' + data.error) : null,
    rows.length === 0 ? el('p', { class: 'muted' }, 'No study yet. Start one with seamless search or seamless quickstart; it appears here by itself.') :
      el('table', { id: 'studies' },
        el('thead', {}, el('tr', {}, ['study', 'architecture', 'models'].map(h => el('th', { class: 'l' }, h)),
          ['trials', 'running', 'best observed', '95 % interval', 'ETA'].map(h => el('th', {}, h)),
          el('th', { class: 'l' }, 'rounds'), el('th', { class: 'l' }, 'workers'))),
        el('tbody', {}, rows)));
}

// ---------- study page ----------

async function loadStudy(name) {
  const view = await getJson('api/studies/' + encodeURIComponent(name));
  if (state.route.kind !== 'study' || state.route.name !== name) return;
  const first = !state.view || state.view.summary.name !== name;
  state.view = view;
  if (first) {
    state.page = 0;
    state.recipe = null;
    state.samples = null;
  }
  // Until the user picks trials, follow the recommendation as it moves.
  if (!state.recipe || state.recipe.auto) state.recipe = view.export ? { trial: view.export.trial, vs: null, auto: true } : null;
  if (!state.samples || state.samples.auto) state.samples = view.samples ? { left: view.samples.left, right: view.samples.right, auto: true } : null;
  renderStudy();
}

// The page is built once per study; live updates refill its parts in place, so a click, a filter being typed or an
// input being edited is never thrown away by an update.
function renderStudy() {
  if (!document.getElementById('study-page') || document.getElementById('study-page').dataset.study !== state.view.summary.name) buildStudy();
  updateStudy();
}

const shown = { recipe: null, samples: null };

function buildStudy() {
  const v = state.view;
  shown.recipe = null;
  shown.samples = null;
  setMain(el('div', { id: 'study-page', 'data-study': v.summary.name },
    el('p', {}, el('a', { href: '#/' }, '← all studies')),
    el('h1', { id: 'study-name' }, v.summary.name),
    el('p', { class: 'muted', id: 'study-facts' }),
    el('p', { id: 'workers' }),
    el('div', { id: 'recommendation-box' }),
    el('section', { class: 'card' }, el('h2', {}, 'Score per trial'), el('div', { id: 'scores-chart' })),
    el('div', { id: 'categories-box' }),
    recipeSection(),
    el('div', { id: 'sensitivity-box' }),
    el('div', { id: 'lineage-box' }),
    samplesSection(),
    trialsSection()));
}

function fill(id, ...nodes) {
  const target = document.getElementById(id);
  if (target) target.replaceChildren(...nodes.filter(n => n !== null && n !== undefined && n !== false));
}

function updateStudy() {
  const v = state.view;
  const s = v.summary;
  const c = s.counts;
  document.getElementById('storage').textContent = v.storage;
  fill('study-facts', [s.architecture, s.models.length ? 'models ' + s.models.join(', ') : null, v.base_model ? 'base ' + v.base_model : null, 'optimiser ' + s.optimizer,
    s.finished + ' of ' + s.budget + ' trials finished', c.running + ' running', c.queued + ' queued', c.failed + ' failed', c.pruned + ' pruned',
    'ETA ' + (s.eta_seconds === 0 ? 'done' : fmt.secs(s.eta_seconds))].filter(Boolean).join(' · '));
  fill('workers', s.workers.length ? 'Workers: ' + s.workers.map(w => w.worker + ' on trial ' + w.trial + (w.heartbeat_age_seconds != null ? ' (heartbeat ' + fmt.secs(w.heartbeat_age_seconds) + ' ago)' : '')).join('; ') : null);
  const r = v.recommended;
  fill('recommendation-box', r ? el('section', { class: 'card', id: 'recommendation' },
    el('h2', {}, 'Recommendation'),
    el('p', {}, 'Trial ' + r.trial + ', score ' + fmt.score(r.value) + (r.low != null ? ' (95 % interval ' + fmt.interval(r.low, r.high) + ')' : '') + '. ',
      v.estimate ? 'The model estimates its true score at ' + fmt.score(v.estimate.mean) + ' (' + fmt.interval(v.estimate.low, v.estimate.high) + '). ' : '',
      v.held_out ? 'Held-out check: ' + fmt.score(v.held_out.value) + ' (' + fmt.interval(v.held_out.low, v.held_out.high) + ') on ' + v.held_out.prompts + ' prompts the search never used, against ' + fmt.score(v.held_out.search_value) + ' in the search.' : 'Held-out check: not measured yet.')) : null);
  fill('scores-chart', svg(v.charts.scores));
  fill('categories-box', v.categories.length ? categoryTable(v) : null);
  fill('sensitivity-box', v.charts.sensitivity ? el('section', { class: 'card' }, el('h2', {}, 'Per-block sensitivity'), svg(v.charts.sensitivity)) : null);
  fill('lineage-box', v.lineage.length ? lineageTable(v) : null);
  fillTrials();
  if (state.recipe && state.recipe.auto) {
    document.getElementById('recipe-trial').value = state.recipe.trial;
    document.getElementById('recipe-vs').value = '';
  }
  // Fetched again only when what they show changed (the recommendation moved), not on every update.
  const recipeKey = state.recipe ? state.recipe.trial + '/' + state.recipe.vs : 'none';
  if (recipeKey !== shown.recipe) {
    shown.recipe = recipeKey;
    if (state.recipe) showRecipe(); else fill('recipe-chart', el('p', { class: 'muted' }, 'No recipe yet (not a merge search, or no finished trial).'));
  }
  if (state.samples && state.samples.auto) {
    document.getElementById('samples-left').value = state.samples.left;
    document.getElementById('samples-right').value = state.samples.right;
  }
  const samplesKey = state.samples ? state.samples.left + '/' + state.samples.right + '/' + (v.samples ? v.samples.prompts.length : 0) : 'none';
  if (samplesKey !== shown.samples) {
    shown.samples = samplesKey;
    if (state.samples) showSamples(); else fill('sample-grid', el('p', { class: 'muted' }, 'No sample images kept (tag-accuracy searches keep a few per trial).'));
  }
}

function categoryTable(v) {
  return el('section', { class: 'card' }, el('h2', {}, 'Accuracy per category'),
    el('p', { class: 'muted' }, 'The recommended trial against the references the study measured; Δ% against their average.'),
    el('table', { id: 'categories' },
      el('tr', {}, el('th', { class: 'l' }, 'category'), el('th', {}, 'recommended'), v.references.map(r => el('th', {}, r)), el('th', {}, 'average'), el('th', {}, 'Δ%')),
      v.categories.map(row => el('tr', {}, el('td', { class: 'l' }, row.category), el('td', {}, fmt.cell(row.category, row.best)),
        row.references.map(x => el('td', {}, fmt.cell(row.category, x))), el('td', {}, fmt.cell(row.category, row.average)),
        el('td', { class: row.delta_percent > 0 ? 'pos' : row.delta_percent < 0 ? 'neg' : '' }, fmt.delta(row.delta_percent))))));
}

function lineageTable(v) {
  return el('section', { class: 'card' }, el('h2', {}, 'Rounds'),
    el('table', { id: 'lineage' }, el('tr', {}, el('th', {}, 'round'), el('th', { class: 'l' }, 'study'), el('th', {}, 'best trial'), el('th', {}, 'score')),
      v.lineage.map(r => el('tr', {}, el('td', {}, r.round), el('td', { class: 'l' }, el('a', { href: '#/study/' + encodeURIComponent(r.study) }, r.study)),
        el('td', {}, r.best ? r.best.trial : '—'), el('td', {}, r.best ? fmt.score(r.best.value) : '—')))));
}

// ---------- recipe heat map and export ----------

function recipeSection() {
  const a = el('input', { type: 'number', id: 'recipe-trial', min: 0 });
  const b = el('input', { type: 'number', id: 'recipe-vs', min: 0, placeholder: 'none' });
  const go = () => { state.recipe = { trial: Number(a.value), vs: b.value === '' ? null : Number(b.value), auto: false }; showRecipe(); };
  return el('section', { class: 'card', id: 'recipe' }, el('h2', {}, 'Recipe (block × model)'),
    el('div', { class: 'controls' }, el('label', {}, 'trial ', a), el('label', {}, 'minus trial ', b), el('button', { type: 'button', onclick: go }, 'Show')),
    el('div', { id: 'recipe-chart' }), el('div', { id: 'recipe-export' }));
}

async function showRecipe() {
  const name = state.view.summary.name;
  const r = state.recipe;
  const target = document.getElementById('recipe-chart');
  if (!target || !r || Number.isNaN(r.trial)) return;
  try {
    const q = 'trial=' + r.trial + (r.vs !== null ? '&vs=' + r.vs : '');
    const data = await getJson('api/studies/' + encodeURIComponent(name) + '/recipe?' + q);
    target.replaceChildren(svg(data.svg));
    document.getElementById('recipe-export').replaceChildren(data.export ? exportBlock(data.export) : el('p', { class: 'muted' }, 'A difference has no recipe to export.'));
  } catch (e) {
    target.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

function exportBlock(x) {
  const out = el('pre', { class: 'export', id: 'export-text' });
  const show = (text) => { out.textContent = text; };
  const copy = (text) => async () => {
    show(text);
    try { await navigator.clipboard.writeText(text); flash('Copied'); } catch { flash('Select the text below and copy it'); }
  };
  const sm = x.supermerger.map(m => m.model + ': ' + m.weights).join('\n');
  show(x.yaml);
  return el('div', {},
    el('div', { class: 'controls' }, 'Trial ' + x.trial + ':',
      el('button', { type: 'button', onclick: copy(x.yaml) }, 'Copy YAML recipe'),
      el('button', { type: 'button', onclick: copy(sm) }, 'Copy supermerger weights'),
      el('button', { type: 'button', onclick: copy(x.merge_command) }, 'Copy merge command'),
      el('button', { type: 'button', onclick: copy(x.best_command) }, 'Copy seamless best command'),
      el('span', { id: 'flash', class: 'muted' })),
    out);
}

function flash(text) {
  const f = document.getElementById('flash');
  if (f) { f.textContent = text; setTimeout(() => { f.textContent = ''; }, 1500); }
}

// ---------- samples ----------

function samplesSection() {
  const a = el('input', { type: 'number', id: 'samples-left', min: 0 });
  const b = el('input', { type: 'number', id: 'samples-right', min: 0 });
  const go = () => { state.samples = { left: Number(a.value), right: Number(b.value), auto: false }; showSamples(); };
  return el('section', { class: 'card', id: 'samples' }, el('h2', {}, 'Samples: same prompt, same seed'),
    el('div', { class: 'controls' }, el('label', {}, 'trial ', a), el('label', {}, 'beside trial ', b), el('button', { type: 'button', onclick: go }, 'Compare')),
    el('div', { class: 'samples', id: 'sample-grid' }));
}

async function showSamples() {
  const target = document.getElementById('sample-grid');
  const s = state.samples;
  if (!target || !s) return;
  try {
    const data = await getJson('api/studies/' + encodeURIComponent(state.view.summary.name) + '/samples?left=' + s.left + '&right=' + s.right);
    if (!data) { target.replaceChildren(el('p', { class: 'muted' }, 'No samples for these trials.')); return; }
    const figure = (trial, side) => side
      ? el('figure', {}, el('img', { src: side.url, alt: 'trial ' + trial + ' sample', loading: 'lazy', width: 256, height: 256 }),
          el('figcaption', {}, 'trial ' + trial + ': ' + side.found.filter(Boolean).length + ' of ' + side.found.length + ' tags found'),
          el('div', { class: 'tags' }))
      : el('figure', {}, el('p', { class: 'muted' }, 'trial ' + trial + ' kept no image for this prompt'));
    target.replaceChildren(...data.prompts.map(p => {
      const left = figure(data.left, p.left);
      const right = figure(data.right, p.right);
      for (const [fig, side] of [[left, p.left], [right, p.right]]) {
        const tags = fig.querySelector('.tags');
        if (tags && side) side.found.forEach((f, i) => tags.append(el('span', { class: 'tag ' + (f ? 'found' : 'missed'), title: f ? 'found by the tagger' : 'missed' }, p.tags[i])));
      }
      return el('div', { class: 'sample' }, el('div', { class: 'muted' }, 'prompt ' + p.prompt + ', seed ' + p.seed), el('div', { class: 'pair' }, left, right));
    }));
  } catch (e) {
    target.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

// ---------- trial table ----------

function trialsSection() {
  const filter = el('input', { type: 'search', id: 'trial-filter', placeholder: 'filter: number, worker, error…', value: state.filter });
  filter.addEventListener('input', () => { state.filter = filter.value; state.page = 0; fillTrials(); });
  const select = el('select', { id: 'trial-state' }, ['', 'complete', 'running', 'queued', 'pruned', 'failed'].map(s => el('option', { value: s, selected: s === state.stateFilter }, s || 'all states')));
  select.addEventListener('change', () => { state.stateFilter = select.value; state.page = 0; fillTrials(); });
  const columns = [['n', '#'], ['state', 'state'], ['value', 'score'], ['low', 'interval'], ['fidelity', 'fidelity'], ['seconds', 'time'], ['worker', 'worker'], ['params', 'parameters / metrics / error']];
  const head = el('tr', {}, columns.map(([key, label]) => el('th', {
    class: 'sortable' + (['state', 'worker', 'params'].includes(key) ? ' l' : ''),
    'data-key': key,
    onclick: () => { state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : (key === 'n' ? -1 : 1) }; state.page = 0; markSort(); fillTrials(); },
  }, label)));
  const section = el('section', { class: 'card' }, el('h2', {}, 'Trials'),
    el('div', { class: 'controls' }, filter, select, el('span', { id: 'trial-count', class: 'muted' })),
    el('table', { id: 'trials' }, el('thead', {}, head), el('tbody', {})),
    el('div', { class: 'pager', id: 'pager' }));
  markSort(section);
  return section;
}

function markSort(root) {
  for (const th of (root || document).querySelectorAll('#trials th[data-key], th[data-key]')) {
    th.classList.toggle('sorted-asc', th.dataset.key === state.sort.key && state.sort.dir > 0);
    th.classList.toggle('sorted-desc', th.dataset.key === state.sort.key && state.sort.dir < 0);
  }
}

// Rows come a page at a time from the server, sorted and filtered there: a 10 000-trial study stays light.
let trialRequest = 0;
async function fillTrials() {
  const v = state.view;
  if (!v || !document.querySelector('#trials tbody')) return;
  const ticket = ++trialRequest;
  const query = new URLSearchParams({ sort: state.sort.key, desc: String(state.sort.dir < 0), state: state.stateFilter, q: state.filter.trim(), page: String(state.page), size: String(PAGE_SIZE) });
  let data;
  try {
    data = await getJson('api/studies/' + encodeURIComponent(v.summary.name) + '/trials?' + query);
  } catch (e) {
    if (ticket === trialRequest) document.getElementById('trial-count').textContent = e.message;
    return;
  }
  const tbody = document.querySelector('#trials tbody');
  if (ticket !== trialRequest || !tbody) return;
  state.page = data.page;
  tbody.replaceChildren(...data.rows.map(t => {
    const metrics = t.metrics ? Object.entries(t.metrics).map(([k, x]) => k + ' ' + fmt.score(x)).join(', ') + '; ' : '';
    const params = t.error ? t.error : metrics + data.parameters.map((p, i) => p + '=' + (t.params[i] == null ? '—' : t.params[i])).join(', ');
    return el('tr', { class: 'state-' + t.state, 'data-n': t.n },
      el('td', {}, t.n), el('td', { class: 'l' }, t.state), el('td', {}, fmt.score(t.value)), el('td', {}, fmt.interval(t.low, t.high)),
      el('td', {}, t.fidelity), el('td', {}, t.seconds == null ? '' : t.seconds.toFixed(1) + ' s'), el('td', { class: 'l' }, t.worker || ''),
      el('td', { class: 'params', title: params }, params));
  }));
  document.getElementById('trial-count').textContent = data.matching + ' of ' + data.total + ' trials';
  // What the rows on screen are sorted by (tests and scripts wait on it).
  document.getElementById('trials').dataset.sorted = state.sort.key + ':' + (state.sort.dir < 0 ? 'desc' : 'asc');
  const pages = Math.max(1, Math.ceil(data.matching / data.size));
  document.getElementById('pager').replaceChildren(
    el('button', { type: 'button', disabled: state.page === 0, onclick: () => { state.page--; fillTrials(); } }, '‹ previous'),
    el('span', {}, 'page ' + (state.page + 1) + ' of ' + pages),
    el('button', { type: 'button', disabled: state.page >= pages - 1, onclick: () => { state.page++; fillTrials(); } }, 'next ›'));
}

// ---------- routing and live updates ----------

function parseRoute() {
  const m = location.hash.match(/^#\/study\/(.+)$/);
  return m ? { kind: 'study', name: decodeURIComponent(m[1]) } : { kind: 'list' };
}

async function route() {
  state.route = parseRoute();
  try {
    if (state.route.kind === 'study') {
      await loadStudy(state.route.name);
    } else {
      state.view = null;
      await loadList();
    }
  } catch (e) {
    showError(e);
  }
}

const pending = new Set();
let timer = null;
function schedule(what) {
  pending.add(what);
  if (timer) return;
  timer = setTimeout(async () => {
    timer = null;
    const todo = new Set(pending);
    pending.clear();
    try {
      const r = state.route;
      if (r.kind === 'list' && todo.has('studies')) await loadList();
      if (r.kind === 'study' && todo.has('study:' + r.name)) await loadStudy(r.name);
      document.body.dataset.updated = String(Date.now());
    } catch (e) {
      showError(e);
    }
  }, 200);
}

function connect() {
  const live = document.getElementById('live');
  const events = new EventSource('api/events');
  events.addEventListener('hello', () => { live.textContent = 'live'; live.classList.remove('off'); });
  events.addEventListener('studies', () => schedule('studies'));
  events.addEventListener('study', e => { const d = JSON.parse(e.data); schedule('study:' + d.study); });
  events.onerror = () => { live.textContent = 'reconnecting…'; live.classList.add('off'); };
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', () => { route(); connect(); });

