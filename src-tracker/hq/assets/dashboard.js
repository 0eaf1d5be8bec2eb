/* global document, Option */
// HQ outage evidence: incidents needing attention, every facility's line states, open
// outages, and the period report with CSV and TMF621 exports. A file of its own beside
// app.js (the page's CSP forbids inline script); it shares only the token in sessionStorage.
const TOKEN_KEY = 'guardline.hq.token';
const DAY_MS = 86_400_000;

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
};
const token = () => sessionStorage.getItem(TOKEN_KEY);
const status = (text) => {
  $('status').textContent = text;
};

async function request(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token() ?? ''}` } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
  return response;
}
const api = async (path) => (await request(path)).json();

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}
function fill(tableId, rows, toCells) {
  $(tableId)
    .querySelector('tbody')
    .replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement('tr');
        tr.append(...toCells(row));
        return tr;
      }),
    );
}
const time = (ms) => (ms == null ? '–' : new Date(ms).toLocaleString('sv-SE'));
const minutes = (ms) => (ms == null ? '–' : (ms / 60_000).toFixed(1));
const percent = (p) => (p == null ? '–' : `${p.toFixed(3)} %`);
const STATE = { UP: 'Fungerar', DEGRADED: 'Störd', DOWN: 'Nere', UNKNOWN: 'Okänd' };
const CAUSE = { trunk_down: 'Trunk nere', lines_down: 'Linjer nere', reported: 'Felanmält' };

async function loadAttention() {
  const { incidents } = await api('/v1/hq/attention');
  fill('attention', incidents, (i) => [
    cell(i.facility),
    cell(i.unit),
    cell(i.severity, `severity-${i.severity}`),
    cell(i.status, `status-${i.status}`),
    cell(i.title),
    cell(i.occurredAt),
  ]);
}

async function loadLines() {
  const { facilities } = await api('/v1/hq/lines');
  const rows = facilities.flatMap((f) => f.lines.map((l) => ({ ...l, facility: f.name })));
  fill('lines', rows, (l) => [
    cell(l.facility),
    cell(l.unit || '–'),
    cell(l.name),
    cell(STATE[l.state] ?? l.state, `line-${l.state}`),
    cell(time(l.since)),
  ]);
  const select = $('report-facility');
  const chosen = select.value;
  select.replaceChildren(
    new Option('Alla', ''),
    ...facilities.map((f) => new Option(f.name, f.facility, false, f.facility === chosen)),
  );
}

async function loadOpenOutages() {
  const { outages } = await api('/v1/hq/outages?status=open');
  const now = Date.now();
  fill('open-outages', outages, (o) => [
    cell(o.facility),
    cell(CAUSE[o.cause] ?? o.cause),
    cell(o.lineIds.join(', ')),
    cell(time(o.openedAt)),
    cell(`${minutes(now - o.openedAt)} min`),
  ]);
}

/** The form's period: from the start of the first day to the end of the last, local time. */
function period() {
  const from = new Date(`${$('report-from').value}T00:00`).getTime();
  const to = new Date(`${$('report-to').value}T00:00`).getTime() + DAY_MS;
  const params = new URLSearchParams({ from: String(from), to: String(to), noResponseHours: $('report-hours').value });
  const facility = $('report-facility').value;
  if (facility) params.set('facility', facility);
  return params;
}

async function showReport() {
  const params = period();
  const chosen = params.get('facility');
  const facilities = chosen ? [chosen] : [...$('report-facility').options].map((o) => o.value).filter(Boolean);
  const rows = [];
  for (const facility of facilities) {
    params.set('facility', facility);
    const { report } = await api(`/v1/hq/report?${params}`);
    rows.push({ facility: report.facility.name, level: 'Anstalt', name: report.facility.name, f: report.totals });
    for (const u of report.units) rows.push({ facility: report.facility.name, level: 'Avdelning', name: u.name, f: u });
    for (const l of report.lines) rows.push({ facility: report.facility.name, level: 'Linje', name: l.name, f: l });
  }
  fill('report-figures', rows, (r) => [
    cell(r.facility),
    cell(r.level),
    cell(r.name),
    cell(percent(r.f.availabilityPct)),
    cell(String(r.f.outageCount)),
    cell(minutes(r.f.lineDowntimeMs)),
    cell(minutes(r.f.longestDowntimeMs)),
    cell(minutes(r.f.mttaMs)),
    cell(minutes(r.f.mttrMs)),
    cell(String(r.f.overdueCount), r.f.overdueCount > 0 ? 'overdue' : ''),
  ]);
}

/** Fetch with the token, then hand the file to the browser under the server's name. */
async function download(path) {
  const response = await request(path);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  status(`Exporterad: ${name}`);
}

async function refresh() {
  if (!token()) return;
  try {
    await Promise.all([loadAttention(), loadLines(), loadOpenOutages()]);
  } catch (error) {
    status(error instanceof Error ? error.message : String(error));
  }
}

function report(action) {
  return (event) => {
    event?.preventDefault();
    if (!$('report-form').reportValidity()) return;
    void action().catch((error) => status(error instanceof Error ? error.message : String(error)));
  };
}

// Default period: the last 30 days up to today.
const today = new Date();
const iso = (d) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
$('report-to').value = iso(today);
$('report-from').value = iso(new Date(today.getTime() - 29 * DAY_MS));

$('report-form').addEventListener('submit', report(showReport));
$('export-csv').addEventListener(
  'click',
  report(() => download(`/v1/hq/export.csv?${period()}`)),
);
$('export-tmf621').addEventListener(
  'click',
  report(() => download(`/v1/hq/export.tmf621?${period()}`)),
);
$('sign-in').addEventListener('submit', () => setTimeout(() => void refresh(), 0));
void refresh();
setInterval(() => void refresh(), 15_000);
