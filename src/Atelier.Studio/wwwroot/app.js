// Atelier Studio front end: plain JavaScript, no build step. Routes: #/, #/run/NAME, #/play/NAME, #/style, #/gallery, #/train.
'use strict';

const view = document.getElementById('view');
let cleanup = [];

const enc = encodeURIComponent;
const fmt = (x, digits = 3) => (x === null || x === undefined || Number.isNaN(x)) ? '–' : Number(x).toFixed(digits);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).error || message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function toast(message) {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove('show'), 3000);
}

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// Polls a job every second: status(text) while it waits or runs, done(job) when it completes, failed(job) otherwise.
function pollJob(id, status, done, failed) {
  const timer = setInterval(async () => {
    let job;
    try { job = await api(`/api/jobs/${id}`); } catch { return; }
    if (job.state === 'completed') { clearInterval(timer); done(job); return; }
    if (job.state === 'failed' || job.state === 'cancelled') { clearInterval(timer); failed(job); return; }
    status(`job ${id} ${job.state}${job.log.length ? ': ' + job.log[job.log.length - 1] : ''}`);
  }, 1000);
  cleanup.push(() => clearInterval(timer));
}

// The end of a failed job, where its page shows results.
const jobFailure = (id, job) => [el('p', { id, class: 'error', text: `${job.kind === 'style' ? 'style transfer' : 'projection'} ${job.state}` }), el('pre', { class: 'log', text: job.log.slice(-6).join('\n') })];

function showError(error) {
  view.replaceChildren(el('h1', { text: 'Something went wrong' }), el('p', { class: 'error', text: error.message }));
}

// ---------- router ----------
async function route() {
  for (const fn of cleanup) fn();
  cleanup = [];
  const hash = decodeURIComponent(location.hash.slice(1) || '/');
  const [, page = '', arg = ''] = hash.split('/');
  for (const link of document.querySelectorAll('nav a')) {
    const active = link.dataset.nav === (page === '' || page === 'run' ? 'runs' : page);
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  try {
    if (page === '') await runsPage();
    else if (page === 'run') await runPage(arg);
    else if (page === 'play') await playPage(arg);
    else if (page === 'gallery') await galleryPage(arg);
    else if (page === 'train') await trainPage();
    else if (page === 'style') await stylePage();
    else view.replaceChildren(el('h1', { text: 'Not found' }), el('p', {}, el('a', { href: '#/', text: 'Back to the runs' })));
  } catch (error) {
    showError(error);
  }
}
window.addEventListener('hashchange', () => { route(); view.focus(); });
window.addEventListener('DOMContentLoaded', route);

// ---------- runs ----------
async function runsPage() {
  document.title = 'Runs · Atelier Studio';
  const { runs } = await api('/api/runs');
  const list = el('div', { class: 'cards', id: 'runs-list' });
  if (runs.length === 0) {
    list.append(el('p', { class: 'muted' }, 'No runs yet. Train one with ', el('code', { text: './atelier train' }), ' or on the ', el('a', { href: '#/train', text: 'Train' }), ' page.'));
  }
  for (const run of runs) {
    list.append(el('article', { class: 'card run-card', 'data-run': run.name },
      run.latestSample ? el('img', { src: `/api/runs/${enc(run.name)}/samples/${enc(run.latestSample)}`, alt: `latest sample grid of ${run.name}`, loading: 'lazy' }) : el('div', { class: 'muted', text: 'no sample yet' }),
      el('a', { class: 'title', href: `#/run/${enc(run.name)}`, text: run.name }),
      el('div', {}, run.live ? el('span', { class: 'badge live', text: 'training' }) : el('span', { class: 'badge', text: 'idle' })),
      el('dl', {},
        el('dt', { text: 'model' }), el('dd', { text: `${run.model} ${run.resolution}×${run.resolution}×${run.channels}, ${run.discriminator} discriminator` }),
        ...(run.parent ? [el('dt', { text: 'started from' }), el('dd', { text: run.parent })] : []),
        el('dt', { text: 'data' }), el('dd', { text: run.dataset }),
        el('dt', { text: 'objective' }), el('dd', { text: run.objective + (run.preset ? ` (preset ${run.preset})` : '') }),
        el('dt', { text: 'steps' }), el('dd', { text: `${run.step} / ${run.totalSteps}` }),
        el('dt', { text: 'best FID' }), el('dd', { text: run.bestFid === null ? '–' : fmt(run.bestFid, 2) })),
      el('div', { class: 'row' },
        el('a', { href: `#/run/${enc(run.name)}`, text: 'Progress' }),
        run.checkpoints > 0 ? el('a', { href: `#/play/${enc(run.name)}`, text: 'Playground' }) : el('span', { class: 'muted', text: 'no checkpoint yet' }))));
  }
  view.replaceChildren(el('h1', { text: 'Runs' }), list);
  const timer = setInterval(async () => {
    try {
      const fresh = await api('/api/runs');
      if (fresh.runs.map(r => r.name + r.step + r.latestSample + r.live).join() !== runs.map(r => r.name + r.step + r.latestSample + r.live).join()) runsPage();
    } catch { /* keep the page */ }
  }, 5000);
  cleanup.push(() => clearInterval(timer));
}

// ---------- one run, live ----------
function drawChart(canvas, series, title) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  canvas.width = width * ratio; canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  g.font = '12px system-ui, sans-serif';
  g.fillStyle = '#1f1d1a';
  g.fillText(title, 8, 16);
  const points = series.flatMap(s => s.x.map((x, i) => [x, s.y[i]])).filter(p => p[1] !== null && Number.isFinite(p[1]));
  if (points.length === 0) { g.fillStyle = '#6b665e'; g.fillText('no data yet', 8, 36); return; }
  const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
  let x0 = Math.min(...xs), x1 = Math.max(...xs);
  if (x1 - x0 < 1) { x0 -= 1; x1 += 1; }
  const sorted = [...ys].sort((a, b) => a - b);
  let y0 = sorted[Math.floor(sorted.length * 0.01)], y1 = sorted[Math.ceil(sorted.length * 0.99) - 1];
  const pad = Math.max((y1 - y0) * 0.05, Math.abs(y1) * 0.05, 1e-3);
  y0 -= pad; y1 += pad;
  const left = 44, right = 10, top = 24, bottom = 22;
  const px = x => left + (x - x0) / (x1 - x0) * (width - left - right);
  const py = y => top + (1 - (Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0)) * (height - top - bottom);
  g.strokeStyle = '#ddd7cc'; g.fillStyle = '#6b665e';
  for (let i = 0; i <= 4; i++) {
    const y = y0 + (y1 - y0) * i / 4;
    g.beginPath(); g.moveTo(left, py(y)); g.lineTo(width - right, py(y)); g.stroke();
    g.fillText(y.toPrecision(3), 2, py(y) + 4);
  }
  g.fillText(String(x0), left, height - 6);
  g.fillText(String(x1), width - right - g.measureText(String(x1)).width, height - 6);
  let legend = Math.max(left + 120, 8 + g.measureText(title).width + 16);
  for (const s of series) {
    g.strokeStyle = s.color; g.lineWidth = 1.5; g.beginPath();
    let started = false;
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === null || !Number.isFinite(y)) return;
      if (!started) { g.moveTo(px(x), py(y)); started = true; } else g.lineTo(px(x), py(y));
    });
    g.stroke();
    if (s.markers) {
      g.fillStyle = s.color;
      s.x.forEach((x, i) => { const y = s.y[i]; if (y !== null && Number.isFinite(y)) { g.beginPath(); g.arc(px(x), py(y), 3, 0, 2 * Math.PI); g.fill(); } });
    }
    g.fillStyle = s.color; g.fillText(s.name, legend, 16); legend += g.measureText(s.name).width + 16;
  }
}

// Queues `atelier evaluate` of the run's latest checkpoint; the result arrives in the FID curve and the events.
function evaluateForm(name) {
  const network = el('select', { id: 'eval-network', 'aria-label': 'feature network' }, el('option', { value: 'resnet18-imagenet', text: 'resnet18-imagenet' }));
  api('/api/datasets').then(c => network.replaceChildren(...c.evaluationNetworks.map(n => el('option', { value: n, text: n })))).catch(() => {});
  const n = el('input', { type: 'number', id: 'eval-n', min: 50, max: 10000, value: 1000, 'aria-label': 'images per side' });
  const go = el('button', { id: 'eval-run', class: 'secondary', onclick: async () => {
    const body = { checkpoint: 'latest', network: network.value, samples: Number(n.value) };
    try { const job = await api(`/api/runs/${enc(name)}/evaluate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }); toast(`evaluation job ${job.id} queued (see Train)`); } catch (error) { toast(error.message); }
  } }, 'Evaluate latest');
  return el('div', { class: 'row', id: 'evaluate-form' }, el('label', {}, 'FID/KID/precision-recall in', network), el('label', {}, 'n', n), go);
}

async function runPage(name) {
  document.title = `${name} · Atelier Studio`;
  const [detail, metrics] = await Promise.all([api(`/api/runs/${enc(name)}`), api(`/api/runs/${enc(name)}/metrics`)]);
  const s = detail.summary;
  const stat = (id, label, value) => el('div', { class: 'stat' }, el('span', { class: 'muted', text: label }), el('b', { id, text: value }));
  const last = metrics.last || {};
  // An autoencoder plays no game: its curves are the training batches' PSNR and (for a VAE) the KL term.
  const ae = s.autoencoder;
  const first = ae ? { key: 'psnr', label: 'PSNR dB (batch)', color: '#1d5f8a' } : { key: 'lossD', label: 'loss D', color: '#8a3b12' };
  const second = ae ? { key: 'kl', label: 'KL', color: '#8a3b12' } : { key: 'lossG', label: 'loss G', color: '#1d5f8a' };
  const stats = el('div', { class: 'stats', id: 'live-stats' },
    stat('stat-step', 'step', `${s.step} / ${s.totalSteps}`),
    stat('stat-lossd', first.label, fmt(last[first.key])),
    stat('stat-lossg', second.label, fmt(last[second.key])),
    stat('stat-speed', 'images / s', fmt(last.imgPerSec, 1)),
    stat('stat-fid', 'best FID', s.bestFid === null ? '–' : fmt(s.bestFid, 2)),
    stat('stat-state', 'state', s.live ? 'training' : 'idle'));
  const lossCanvas = el('canvas', { id: 'loss-chart', role: 'img', 'aria-label': ae ? 'reconstruction PSNR and KL by step' : 'discriminator and generator loss by step' });
  const fidCanvas = el('canvas', { id: 'fid-chart', role: 'img', 'aria-label': 'FID by step' });
  const samples = detail.samples.slice();
  const sampleImage = el('img', { id: 'timeline-image', alt: 'sample grid' });
  const slider = el('input', { type: 'range', id: 'timeline', min: 0, max: Math.max(0, samples.length - 1), value: Math.max(0, samples.length - 1), 'aria-label': 'sample grid at step' });
  const sliderLabel = el('span', { id: 'timeline-step', class: 'muted' });
  const showSample = () => {
    const sample = samples[Number(slider.value)];
    if (!sample) { sliderLabel.textContent = 'no sample grid yet'; sampleImage.removeAttribute('src'); return; }
    sampleImage.src = `/api/runs/${enc(name)}/samples/${enc(sample.file)}`;
    sampleImage.alt = `sample grid at step ${sample.step}`;
    sliderLabel.textContent = `step ${sample.step} (${Number(slider.value) + 1} of ${samples.length})`;
  };
  slider.addEventListener('input', showSample);
  const events = el('ul', { id: 'run-events' }, metrics.events.map(e => el('li', { text: `step ${e.step}: ${e.event}${e.reason ? ' – ' + e.reason : ''}` })));
  const series = { step: metrics.step.slice(), [first.key]: metrics[first.key].slice(), [second.key]: metrics[second.key].slice() };
  const fid = metrics.fid.slice();
  const redraw = () => {
    drawChart(lossCanvas, [first, second].map(c => ({ name: c.label, color: c.color, x: series.step, y: series[c.key] })), ae ? 'reconstruction of training batches' : 'losses');
    drawChart(fidCanvas, [{ name: 'FID', color: '#1a7f37', markers: true, x: fid.map(f => f.step), y: fid.map(f => f.fid) }], fid.length ? `FID in ${fid[fid.length - 1].network || 'the features named in evaluation.json'} features` : 'FID (train with --eval-every)');
  };
  view.replaceChildren(
    el('h1', {}, name, ' ', s.live ? el('span', { class: 'badge live', id: 'live-badge', text: 'training' }) : el('span', { class: 'badge', id: 'live-badge', text: 'idle' })),
    el('p', { class: 'muted', text: ae ? `${s.model} ${s.resolution}×${s.resolution}×${s.channels} on ${s.dataset}; its grids are samples from the decoder; atelier reconstruct measures its reconstructions of held-out images`
      : `${s.model} ${s.resolution}×${s.resolution}×${s.channels} with the ${s.discriminator} discriminator on ${s.dataset}, ${s.objective}${s.preset ? ', preset ' + s.preset : ''}${s.parent ? ', started from ' + s.parent : ''}` }),
    el('div', { class: 'row' }, s.checkpoints > 0 ? el('a', { href: `#/play/${enc(name)}`, text: 'Open in the playground' }) : null, el('a', { href: `#/gallery/${enc(name)}`, text: 'Favourites of this run' })),
    s.checkpoints > 0 ? evaluateForm(name) : null,
    stats,
    el('div', { class: 'split' },
      el('section', {}, el('h2', { text: 'Curves' }), lossCanvas, fidCanvas),
      el('section', { class: 'timeline' }, el('h2', { text: 'Sample grids over time' }), sampleImage, slider, el('div', {}, sliderLabel))),
    el('h2', { text: 'Events' }), events);
  showSample();
  redraw();
  const onResize = debounce(redraw, 150);
  window.addEventListener('resize', onResize);
  cleanup.push(() => window.removeEventListener('resize', onResize));

  const source = new EventSource(`/api/runs/${enc(name)}/events`);
  const redrawSoon = debounce(redraw, 250);
  source.addEventListener('step', e => {
    const row = JSON.parse(e.data);
    document.getElementById('stat-step').textContent = `${row.step} / ${s.totalSteps}`;
    document.getElementById('stat-lossd').textContent = fmt(row[first.key]);
    document.getElementById('stat-lossg').textContent = fmt(row[second.key]);
    document.getElementById('stat-speed').textContent = fmt(row.imgPerSec, 1);
    document.getElementById('stat-state').textContent = 'training';
    const badge = document.getElementById('live-badge');
    badge.textContent = 'training'; badge.className = 'badge live';
    series.step.push(row.step); series[first.key].push(row[first.key]); series[second.key].push(row[second.key]);
    redrawSoon();
  });
  source.addEventListener('sample', e => {
    const sample = JSON.parse(e.data);
    const atEnd = Number(slider.value) >= samples.length - 1;
    samples.push(sample);
    slider.max = samples.length - 1;
    if (atEnd) slider.value = samples.length - 1;
    showSample();
  });
  source.addEventListener('event', e => {
    const row = JSON.parse(e.data);
    if (row.fid !== undefined && row.fid !== null) { fid.push({ step: row.step, fid: row.fid, network: row.network }); redrawSoon(); }
    events.append(el('li', { text: `step ${row.step}: ${row.event}${row.fid ? ' FID ' + fmt(row.fid, 2) : ''}${row.reason ? ' – ' + row.reason : ''}` }));
  });
  cleanup.push(() => source.close());
}

// ---------- playground ----------
async function playPage(name) {
  const { runs } = await api('/api/runs');
  const playable = runs.filter(r => r.checkpoints > 0);
  if (!name && playable.length) { location.replace(`#/play/${enc(playable[0].name)}`); return; }
  document.title = `Playground${name ? ' · ' + name : ''} · Atelier Studio`;
  const runSelect = el('select', { id: 'play-run', 'aria-label': 'run' }, playable.map(r => el('option', { value: r.name, text: r.name, selected: r.name === name })));
  runSelect.addEventListener('change', () => { location.hash = `#/play/${enc(runSelect.value)}`; });
  if (!name) { view.replaceChildren(el('h1', { text: 'Playground' }), el('p', { class: 'muted', text: 'No run has a checkpoint yet.' })); return; }
  const detail = await api(`/api/runs/${enc(name)}`);
  const state = { start: 0, count: 16, truncation: 1, checkpoint: 'latest', weights: 'ema', selected: null, edits: {}, variation: null, a: null, b: null, klass: '' };
  const checkpointSelect = el('select', { id: 'play-checkpoint', 'aria-label': 'checkpoint' },
    el('option', { value: 'latest', text: 'latest' }),
    detail.checkpoints.some(c => c.best) ? el('option', { value: 'best', text: 'best (lowest FID)' }) : null,
    detail.checkpoints.slice().reverse().map(c => el('option', { value: c.name, text: `${c.name}${c.best ? ' ★' : ''}` })));
  const weightsSelect = el('select', { id: 'play-weights', 'aria-label': 'weights' }, el('option', { value: 'ema', text: 'moving average (EMA)' }), el('option', { value: 'raw', text: 'raw generator' }));
  const classSelect = detail.classNames ? el('select', { id: 'play-class', 'aria-label': 'class' }, el('option', { value: '', text: 'seed mod classes' }), detail.classNames.map((c, i) => el('option', { value: String(i), text: `${i} ${c}` }))) : null;
  const truncation = el('input', { type: 'range', id: 'truncation', min: 0.1, max: 2, step: 0.05, value: 1, 'aria-label': 'truncation' });
  const truncationValue = el('output', { for: 'truncation', text: '1.00' });
  const startInput = el('input', { type: 'number', id: 'seed-start', min: 0, max: 4294967295, value: 0, 'aria-label': 'first seed' });
  const countSelect = el('select', { id: 'seed-count', 'aria-label': 'images per page' }, [16, 36, 64].map(n => el('option', { value: n, text: `${n} per page` })));
  const grid = el('div', { class: 'seedgrid', id: 'seed-grid', role: 'group', 'aria-label': 'images by seed' });
  const large = el('img', { id: 'large-image', alt: 'pick an image from the grid' });
  const largeLabel = el('p', { id: 'large-seed', class: 'muted', text: 'Pick an image to see it large.' });
  const sliders = el('div', { class: 'sliders', id: 'direction-sliders' });
  const variations = el('div', { class: 'variations', id: 'variations' });
  const spread = el('input', { type: 'range', id: 'variation-spread', min: 0.05, max: 2, step: 0.05, value: 0.5, 'aria-label': 'variation spread' });
  const anim = el('div', { class: 'anim', id: 'interpolation' });
  const note = el('input', { type: 'text', id: 'favourite-note', placeholder: 'note (optional)', maxlength: 2000, 'aria-label': 'note for the favourite' });
  const download = el('a', { id: 'download-link', href: '#', download: true, text: 'Download PNG' });

  const common = () => {
    const q = new URLSearchParams({ checkpoint: state.checkpoint, weights: state.weights });
    if (state.truncation !== 1) q.set('truncation', String(state.truncation));
    if (state.klass !== '') q.set('class', state.klass);
    return q;
  };
  const editsText = () => Object.entries(state.edits).filter(([, v]) => v !== 0).map(([d, v]) => `${d}:${v}`).join(',');
  const largeQuery = () => {
    const q = common();
    q.set('seed', String(state.selected));
    if (editsText()) q.set('edits', editsText());
    if (state.variation) q.set('variation', state.variation);
    return q;
  };
  const imageUrl = q => `/api/runs/${enc(name)}/image.png?${q}`;
  const updateLarge = () => {
    if (state.selected === null) return;
    const q = largeQuery();
    large.src = imageUrl(q);
    large.alt = `seed ${state.selected}${editsText() ? ', moved ' + editsText() : ''}${state.variation ? ', variation ' + state.variation : ''}`;
    largeLabel.textContent = `seed ${state.selected}${editsText() ? ' · directions ' + editsText() : ''}${state.variation ? ' · variation ' + state.variation : ''}`;
    q.set('download', '1');
    download.href = imageUrl(q);
  };
  const updateLargeSoon = debounce(updateLarge, 120);
  const select = seed => {
    state.selected = seed; state.variation = null;
    for (const tile of grid.children) tile.setAttribute('aria-pressed', String(Number(tile.dataset.seed) === seed));
    updateLarge();
  };
  const fillGrid = () => {
    grid.replaceChildren();
    for (let seed = state.start; seed < state.start + state.count && seed <= 4294967295; seed++) {
      const q = common(); q.set('seed', String(seed));
      grid.append(el('button', { class: 'seed-tile', 'data-seed': seed, 'aria-pressed': String(seed === state.selected), 'aria-label': `seed ${seed}`, onclick: () => select(seed) },
        el('img', { src: imageUrl(q), alt: '' }), el('span', { text: String(seed) })));
    }
    const q = common(); q.set('start', String(state.start)); q.set('count', String(state.count)); q.set('download', '1');
    document.getElementById('grid-download').href = `/api/runs/${enc(name)}/grid.png?${q}`;
  };
  const loadDirections = async () => {
    sliders.replaceChildren(el('span', { class: 'muted', text: 'finding directions…' }));
    try {
      const result = await api(`/api/runs/${enc(name)}/directions?k=5&checkpoint=${enc(state.checkpoint)}&weights=${state.weights}`);
      state.edits = {};
      sliders.replaceChildren(...result.directions.map(d => {
        const input = el('input', { type: 'range', class: 'direction-slider', 'data-direction': d.index, min: -5, max: 5, step: 0.25, value: 0, 'aria-label': `direction ${d.index}` });
        const out = el('output', { text: '0' });
        input.addEventListener('input', () => { state.edits[d.index] = Number(input.value); out.textContent = input.value; updateLargeSoon(); });
        return el('label', { title: `eigenvalue ${fmt(d.eigenvalue)} (${(d.share * 100).toFixed(1)}% of these)` }, `direction ${d.index}`, input, out);
      }));
    } catch (error) { sliders.replaceChildren(el('span', { class: 'error', text: error.message })); }
  };
  const refresh = () => { fillGrid(); updateLarge(); };

  checkpointSelect.addEventListener('change', () => { state.checkpoint = checkpointSelect.value; refresh(); loadDirections(); });
  weightsSelect.addEventListener('change', () => { state.weights = weightsSelect.value; refresh(); loadDirections(); });
  classSelect?.addEventListener('change', () => { state.klass = classSelect.value; refresh(); });
  truncation.addEventListener('input', () => { truncationValue.textContent = Number(truncation.value).toFixed(2); });
  truncation.addEventListener('change', () => { state.truncation = Number(truncation.value); refresh(); });
  startInput.addEventListener('change', () => {
    const value = Math.floor(Number(startInput.value));
    if (!Number.isFinite(value) || value < 0 || value > 4294967295) { toast('the first seed must be 0..4294967295'); return; }
    state.start = value; fillGrid();
  });
  countSelect.addEventListener('change', () => { state.count = Number(countSelect.value); fillGrid(); });
  const page = delta => { state.start = Math.max(0, state.start + delta * state.count); startInput.value = state.start; fillGrid(); };

  const showVariations = () => {
    if (state.selected === null) { toast('pick an image first'); return; }
    variations.replaceChildren(...[1, 2, 3, 4, 5, 6, 7, 8].map(i => {
      const q = common(); q.set('seed', String(state.selected)); q.set('variation', `${i}:${spread.value}`);
      if (editsText()) q.set('edits', editsText());
      return el('button', { class: 'variation', 'aria-label': `variation ${i} of seed ${state.selected}`, onclick: () => { state.variation = `${i}:${spread.value}`; updateLarge(); } }, el('img', { src: imageUrl(q), alt: '' }));
    }));
  };
  const setEnd = which => {
    if (state.selected === null) { toast('pick an image first'); return; }
    state[which] = state.selected;
    document.getElementById('interp-ends').textContent = `A: ${state.a ?? '–'} · B: ${state.b ?? '–'}`;
  };
  const animate = () => {
    if (state.a === null || state.b === null) { toast('set A and B first'); return; }
    const q = new URLSearchParams({ checkpoint: state.checkpoint, weights: state.weights, a: state.a, b: state.b, frames: 24 });
    if (state.klass !== '') q.set('class', state.klass);
    anim.replaceChildren(el('img', { id: 'interpolation-gif', src: `/api/runs/${enc(name)}/interpolate.gif?${q}`, alt: `walk from seed ${state.a} to seed ${state.b}` }));
  };
  const favourite = async () => {
    if (state.selected === null) { toast('pick an image first'); return; }
    try {
      const body = { run: name, checkpoint: state.checkpoint, seed: state.selected, edits: editsText() || null, truncation: state.truncation, variation: state.variation, class: state.klass || null, average: state.weights === 'ema', note: note.value };
      const saved = await api('/api/favourites', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      toast(`saved to the gallery (#${saved.id})`);
      note.value = '';
    } catch (error) { toast(error.message); }
  };

  // Projection: the picture goes to the server as it is; `atelier project` runs as a job, polled here until it is done.
  const pictureInput = el('input', { type: 'file', id: 'projection-file', accept: 'image/*', 'aria-label': 'picture or sketch to project' });
  const strokesBox = el('input', { type: 'checkbox', id: 'projection-strokes' });
  const projectionSteps = el('select', { id: 'projection-steps', 'aria-label': 'projection steps' },
    [[100, 'quick (100 steps)'], [300, 'careful (300 steps)']].map(([v, t]) => el('option', { value: v, text: t, selected: v === 300 })));
  const projection = el('div', { id: 'projection-result', 'aria-live': 'polite' });
  const projectionUrl = (id, file) => `/api/runs/${enc(name)}/projections/${enc(id)}/${file}`;
  const showProjection = id => {
    projection.replaceChildren(
      el('img', { id: 'projection-comparison', src: projectionUrl(id, 'comparison.png'), alt: 'the picture as the model sees it, then its best projections' }),
      el('p', { class: 'muted', text: 'Your picture as the model sees it, then the three closest images the model makes. Below: variations around the closest, and a walk from it to seed 0.' }),
      el('img', { id: 'projection-variations', src: projectionUrl(id, 'variations.png'), alt: 'variations around the closest projection' }),
      el('img', { id: 'projection-walk', src: projectionUrl(id, 'walk.gif'), alt: 'a walk from the projection to seed 0' }),
      el('div', { class: 'row' },
        el('a', { id: 'projection-download', href: projectionUrl(id, 'projection-1.png') + '?download=1', download: true, text: 'Download the closest (PNG)' }),
        el('a', { id: 'projection-latent', href: projectionUrl(id, 'projection-1.latent.json') + '?download=1', download: true, text: 'Its latent (for generate --latent)' }),
        el('button', { id: 'projection-favourite', class: 'secondary', onclick: async () => {
          try {
            const saved = await api('/api/favourites', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ run: name, projection: id, rank: 1, note: note.value }) });
            toast(`saved to the gallery (#${saved.id})`);
            note.value = '';
          } catch (error) { toast(error.message); }
        } }, '★ Favourite the closest')));
  };
  const project = async () => {
    const file = pictureInput.files[0];
    if (!file) { toast('choose a picture first'); return; }
    const q = new URLSearchParams({ steps: projectionSteps.value });
    if (strokesBox.checked) q.set('strokes', '1');
    let job;
    try { job = await api(`/api/runs/${enc(name)}/project?${q}`, { method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file }); } catch (error) { toast(error.message); return; }
    const status = el('p', { id: 'projection-status', class: 'muted', text: `job ${job.id} queued` });
    projection.replaceChildren(status);
    pollJob(job.id, text => { status.textContent = text; }, done => showProjection(done.result), failed => projection.replaceChildren(...jobFailure('projection-status', failed)));
  };

  view.replaceChildren(
    el('h1', { text: 'Playground' }),
    el('div', { class: 'row' },
      el('label', {}, 'run', runSelect), el('label', {}, 'checkpoint', checkpointSelect), el('label', {}, 'weights', weightsSelect),
      classSelect ? el('label', {}, 'class', classSelect) : null,
      el('label', {}, 'truncation ψ', el('span', {}, truncation, ' ', truncationValue))),
    el('div', { class: 'split' },
      el('section', {},
        el('div', { class: 'row' },
          el('button', { class: 'secondary', id: 'seed-prev', onclick: () => page(-1), 'aria-label': 'previous seeds' }, '← seeds'),
          el('label', {}, 'first seed', startInput), el('label', {}, 'page', countSelect),
          el('button', { class: 'secondary', id: 'seed-next', onclick: () => page(1), 'aria-label': 'next seeds' }, 'seeds →'),
          el('a', { id: 'grid-download', href: '#', download: true, text: 'Download grid' })),
        grid),
      el('section', { class: 'large', 'aria-label': 'picked image' },
        large, largeLabel,
        el('div', { class: 'row' }, el('button', { id: 'favourite-button', onclick: favourite }, '★ Favourite'), note, download),
        el('h2', { text: 'Latent directions (SeFa)' }),
        el('p', { class: 'muted', text: 'The directions the first layer amplifies most; move the picked image along them.' }),
        sliders,
        el('button', { class: 'secondary', onclick: () => { state.edits = {}; for (const s of sliders.querySelectorAll('input')) { s.value = 0; s.nextSibling.textContent = '0'; } updateLarge(); } }, 'Reset directions'),
        el('h2', { text: 'Variations' }),
        el('div', { class: 'row' }, el('label', {}, 'spread', spread), el('button', { id: 'variations-button', class: 'secondary', onclick: showVariations }, 'Show variations')),
        variations,
        el('h2', { text: 'Interpolation' }),
        el('div', { class: 'row' },
          el('button', { class: 'secondary', onclick: () => setEnd('a') }, 'Set as A'), el('button', { class: 'secondary', onclick: () => setEnd('b') }, 'Set as B'),
          el('button', { id: 'animate-button', onclick: animate }, 'Animate A → B'), el('span', { id: 'interp-ends', class: 'muted', text: 'A: – · B: –' })),
        anim,
        el('h2', { text: 'From your picture' }),
        el('p', { class: 'muted', text: 'Find the images this model makes that are closest to a picture or sketch of yours (a job: about a minute at 32×32, longer for larger models).' }),
        el('div', { class: 'row' }, pictureInput, el('label', {}, strokesBox, 'only my strokes'), projectionSteps,
          el('button', { id: 'projection-button', onclick: project }, 'Project')),
        projection)));
  fillGrid();
  loadDirections();
  const onKey = e => {
    if (e.target.matches('input, select, textarea')) return;
    if (e.key === 'PageDown' || (e.key === 'ArrowRight' && e.altKey)) page(1);
    if (e.key === 'PageUp' || (e.key === 'ArrowLeft' && e.altKey)) page(-1);
  };
  document.addEventListener('keydown', onKey);
  cleanup.push(() => document.removeEventListener('keydown', onKey));
}

// ---------- style ----------
// Two uploads (POST /api/uploads), then `atelier style` as a job; the result is a PNG that carries its recipe.
async function stylePage() {
  document.title = 'Style · Atelier Studio';
  const content = el('input', { type: 'file', id: 'style-content', accept: 'image/*', 'aria-label': 'picture to restyle' });
  const style = el('input', { type: 'file', id: 'style-image', accept: 'image/*', 'aria-label': 'style image' });
  const strength = el('input', { type: 'range', id: 'style-strength', min: 0.25, max: 4, step: 0.25, value: 1, 'aria-label': 'style strength' });
  const strengthValue = el('output', { for: 'style-strength', text: '1.00' });
  strength.addEventListener('input', () => { strengthValue.textContent = Number(strength.value).toFixed(2); });
  const preserve = el('input', { type: 'checkbox', id: 'style-preserve' });
  const size = el('select', { id: 'style-size', 'aria-label': 'result size' }, [[128, '128 px (seconds)'], [256, '256 px (about a minute)'], [512, '512 px (several minutes)']].map(([v, t]) => el('option', { value: v, text: t, selected: v === 256 })));
  const steps = el('select', { id: 'style-steps', 'aria-label': 'optimisation steps' }, [[50, 'quick (50 steps)'], [300, 'careful (300 steps)']].map(([v, t]) => el('option', { value: v, text: t, selected: v === 300 })));
  const result = el('div', { id: 'style-result', 'aria-live': 'polite' });
  const upload = async file => (await api('/api/uploads', { method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file })).id;
  const go = async () => {
    if (!content.files[0] || !style.files[0]) { toast('choose a picture and a style image first'); return; }
    let job;
    try {
      const [c, s] = await Promise.all([upload(content.files[0]), upload(style.files[0])]);
      const body = { content: c, style: s, strength: Number(strength.value), preserveColor: preserve.checked, size: Number(size.value), steps: Number(steps.value) };
      job = await api('/api/style', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    } catch (error) { toast(error.message); return; }
    const status = el('p', { id: 'style-status', class: 'muted', text: `job ${job.id} queued` });
    result.replaceChildren(status);
    pollJob(job.id, text => { status.textContent = text; }, done => result.replaceChildren(
      el('img', { id: 'style-output', src: `/api/styles/${done.result}.png`, alt: 'the picture in the style of the style image' }),
      el('div', { class: 'row' }, el('a', { id: 'style-download', href: `/api/styles/${done.result}.png?download=1`, download: true, text: 'Download PNG (with its recipe, for atelier reproduce)' }))),
    failed => result.replaceChildren(...jobFailure('style-status', failed)));
  };
  view.replaceChildren(el('h1', { text: 'Style' }),
    el('p', { class: 'muted', text: 'Repaint a picture in the style of another (Gatys et al. 2016 on the frozen ImageNet ResNet18), as a job of the queue.' }),
    el('div', { class: 'row' }, el('label', {}, 'picture', content), el('label', {}, 'style', style)),
    el('div', { class: 'row' }, el('label', {}, 'strength', el('span', {}, strength, ' ', strengthValue)), el('label', {}, preserve, 'keep the picture\'s colours'), size, steps,
      el('button', { id: 'style-button', onclick: go }, 'Apply style')),
    result);
}

// ---------- gallery ----------
async function galleryPage(run) {
  document.title = 'Gallery · Atelier Studio';
  const [{ runs }, { favourites }] = await Promise.all([api('/api/runs'), api(`/api/favourites${run ? '?run=' + enc(run) : ''}`)]);
  const filter = el('select', { id: 'gallery-filter', 'aria-label': 'filter by run' }, el('option', { value: '', text: 'all runs' }), runs.map(r => el('option', { value: r.name, text: r.name, selected: r.name === run })));
  filter.addEventListener('change', () => { location.hash = filter.value ? `#/gallery/${enc(filter.value)}` : '#/gallery'; });
  const list = el('div', { class: 'cards', id: 'gallery-list' });
  if (favourites.length === 0) list.append(el('p', { class: 'muted', text: 'No favourites yet: pick an image in the playground and press ★ Favourite.' }));
  for (const f of favourites) {
    const recipe = JSON.parse(f.options);
    list.append(el('article', { class: 'card favourite', 'data-id': f.id },
      el('img', { src: `/api/favourites/${f.id}/image.png`, alt: `favourite ${f.id}: ${recipe.latent ? 'a projection' : 'seed ' + f.seed} of ${f.run}` }),
      el('div', { class: 'title', text: `#${f.id} · ${recipe.latent ? 'projection of a picture' : 'seed ' + f.seed}` }),
      f.note ? el('p', { class: 'note', text: f.note }) : null,
      el('dl', {},
        el('dt', { text: 'run' }), el('dd', {}, el('a', { href: `#/play/${enc(f.run)}`, text: f.run })),
        el('dt', { text: 'checkpoint' }), el('dd', { text: f.checkpoint }),
        el('dt', { text: 'weights' }), el('dd', { text: f.weights.slice(0, 24) + '…', title: f.weights }),
        f.edits ? [el('dt', { text: 'directions' }), el('dd', { text: f.edits })] : null,
        recipe.truncation ? [el('dt', { text: 'truncation' }), el('dd', { text: String(recipe.truncation) })] : null,
        recipe.variation ? [el('dt', { text: 'variation' }), el('dd', { text: recipe.variation })] : null,
        el('dt', { text: 'saved' }), el('dd', { text: new Date(f.created).toLocaleString() })),
      el('div', { class: 'row' },
        el('a', { href: `/api/favourites/${f.id}/image.png?download=1`, download: `favourite-${f.id}.png`, text: 'Download' }),
        el('button', { class: 'secondary delete', 'aria-label': `delete favourite ${f.id}`, onclick: async () => {
          try { await api(`/api/favourites/${f.id}`, { method: 'DELETE' }); toast(`deleted #${f.id}`); galleryPage(run); } catch (error) { toast(error.message); }
        } }, 'Delete'))));
  }
  view.replaceChildren(el('h1', { text: 'Gallery' }), el('div', { class: 'row' }, el('label', {}, 'run', filter), el('span', { class: 'muted', text: `${favourites.length} favourite${favourites.length === 1 ? '' : 's'}` })), list);
}

// ---------- training jobs ----------
async function trainPage() {
  document.title = 'Train · Atelier Studio';
  const choices = await api('/api/datasets');
  let runs = [];
  try { ({ runs } = await api('/api/runs')); } catch { /* the form works without the list */ }
  const pick = (id, label, values, chosen) => el('label', {}, label, el('select', { id, name: id }, values.map(v => el('option', { value: v, text: v || 'none', selected: v === chosen }))));
  const steps = el('input', { type: 'number', id: 'job-steps', min: 1, max: choices.maxSteps, value: choices.defaults.steps });
  const jobs = el('div', { id: 'jobs' });
  const form = el('form', { id: 'train-form' },
    el('div', { class: 'row' },
      // Named datasets, then the folders of the datasets folder the Studio was started with (--datasets).
      el('label', {}, 'dataset', el('select', { id: 'job-dataset', name: 'job-dataset' }, choices.datasets.map(v => el('option', {
        value: v, text: v.startsWith('folder:') ? `${v.slice('folder:'.length)} (folder)` : v, selected: v === choices.defaults.dataset })))),
      el('label', {}, 'resolution', el('select', { id: 'job-resolution', name: 'job-resolution' },
        [el('option', { value: '', text: 'as suits the data' }), ...choices.resolutions.map(r => el('option', { value: String(r), text: `${r}×${r}` }))])),
      pick('job-model', 'model', choices.models, choices.defaults.model),
      pick('job-objective', 'objective', choices.objectives, choices.defaults.objective),
      pick('job-preset', 'preset', ['', ...choices.presets], ''),
      el('label', {}, 'discriminator', el('select', { id: 'job-discriminator', name: 'job-discriminator' },
        [el('option', { value: '', text: 'default' }), ...choices.discriminators.map(v => el('option', { value: v, text: v }))])),
      el('label', {}, 'start from', el('select', { id: 'job-init-from', name: 'job-init-from' },
        [el('option', { value: '', text: 'random weights' }), ...runs.filter(r => r.checkpoints > 0).map(r => el('option', { value: r.name, text: `${r.name} (${r.model} ${r.resolution}×${r.resolution})` }))])),
      el('label', {}, 'steps', steps),
      el('button', { type: 'submit', disabled: !choices.enabled }, 'Start training')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    // Started from a run, the job takes that run's model unless another is asked for.
    const initFrom = document.getElementById('job-init-from').value || null;
    const model = document.getElementById('job-model').value;
    const body = {
      dataset: document.getElementById('job-dataset').value, model: initFrom && model === choices.defaults.model ? null : model,
      objective: document.getElementById('job-objective').value, preset: document.getElementById('job-preset').value || null, steps: Number(steps.value),
      discriminator: document.getElementById('job-discriminator').value || null, initFrom,
      resolution: document.getElementById('job-resolution').value ? Number(document.getElementById('job-resolution').value) : null,
    };
    try { const job = await api('/api/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }); toast(`job ${job.id} queued`); refresh(); } catch (error) { toast(error.message); }
  });
  const refresh = async () => {
    let list;
    try { ({ jobs: list } = await api('/api/jobs')); } catch { return; }
    jobs.replaceChildren(list.length === 0 ? el('p', { class: 'muted', text: 'No jobs yet. Jobs run one at a time on this machine and keep running when the page is closed.' }) :
      el('table', {}, el('thead', {}, el('tr', {}, ['job', 'state', 'data', 'run', 'log', ''].map(h => el('th', { text: h })))),
        el('tbody', {}, list.map(j => el('tr', { 'data-job': j.id },
          el('td', { text: `#${j.id}` }), el('td', { class: 'job-state', text: j.state }),
          el('td', { text: j.kind === 'evaluate'
            ? `evaluate checkpoint ${j.evaluation.checkpoint}: ${j.evaluation.network}, n = ${j.evaluation.samples}`
            : j.kind === 'project' ? `project a picture: ${j.projection.steps} steps${j.projection.strokes ? ', strokes only' : ''}`
            : j.kind === 'style' ? `style transfer: ${j.style.size} px, ${j.style.steps} steps, strength ${j.style.strength}${j.style.preserveColor ? ', colours kept' : ''}`
            : `${j.request.dataset}, ${j.request.model}, ${j.request.preset ? 'preset ' + j.request.preset : j.request.objective || 'default objective'}, ${j.request.steps} steps` }),
          el('td', {}, j.run ? el('a', { href: `#/run/${enc(j.run)}`, text: j.run }) : '–'),
          el('td', {}, el('pre', { class: 'log', text: j.log.slice(-8).join('\n') || '–' })),
          el('td', {}, j.state === 'queued' || j.state === 'running' ? el('button', { class: 'secondary', onclick: async () => { try { await api(`/api/jobs/${j.id}/cancel`, { method: 'POST' }); refresh(); } catch (error) { toast(error.message); } } }, 'Cancel') : null))))));
  };
  const folders = choices.datasets.filter(v => v.startsWith('folder:')).length;
  view.replaceChildren(el('h1', { text: 'Train' }),
    ...(choices.enabled ? [] : [el('p', { class: 'error', text: 'Training from the Studio is off in this server.' })]),
    form,
    el('p', { class: 'muted', id: 'job-folders', text: folders > 0
      ? `${folders} folder${folders === 1 ? '' : 's'} of images from the datasets folder; start the Studio with --datasets <folder> to offer the folders of another.`
      : 'To train on your own images, start the Studio with --datasets <folder>: each folder of images inside it becomes a choice.' }),
    el('h2', { text: 'Jobs' }), jobs);
  await refresh();
  const timer = setInterval(refresh, 2000);
  cleanup.push(() => clearInterval(timer));
}
