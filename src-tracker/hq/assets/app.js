/* global document, Option */
// Guardline HQ page. Plain browser JavaScript served as a file (the page's CSP forbids
// inline script). The admin token lives in sessionStorage only: closing the tab signs out.
const TOKEN_KEY = 'guardline.hq.token';

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
};

function setStatus(text) {
  $('status').textContent = text;
}

async function api(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, { headers: { authorization: `Bearer ${token ?? ''}` } });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) {
    signOut();
    throw new Error('Fel token – logga in igen.');
  }
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function fillTable(tableId, rows, toCells) {
  const tbody = $(tableId).querySelector('tbody');
  tbody.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      for (const item of toCells(row)) tr.append(item);
      return tr;
    }),
  );
}

function formatTime(ms) {
  return ms == null ? '–' : new Date(ms).toLocaleString('sv-SE');
}

async function loadFacilities() {
  const { facilities } = await api('/v1/hq/facilities');
  fillTable('facilities', facilities, (f) => [
    cell(f.id),
    cell(String(f.devices)),
    cell(String(f.incidents)),
    cell(String(f.openIncidents)),
    cell(formatTime(f.lastEventAt)),
  ]);
  const select = $('filter-facility');
  const chosen = select.value;
  select.replaceChildren(
    new Option('Alla', ''),
    ...facilities.map((f) => new Option(f.id, f.id, false, f.id === chosen)),
  );
}

async function loadIncidents() {
  const params = new URLSearchParams();
  const facility = $('filter-facility').value;
  const status = $('filter-status').value;
  const q = $('filter-q').value.trim();
  if (facility) params.set('facility', facility);
  if (status) params.set('status', status);
  if (q) params.set('q', q);
  const { incidents } = await api(`/v1/hq/incidents?${params}`);
  fillTable('incidents', incidents, (i) => {
    const status = cell(i.status);
    status.className = `status-${i.status}`;
    return [
      cell(i.facility),
      cell(i.unit),
      cell(i.category),
      cell(i.severity),
      status,
      cell(i.title),
      cell(i.occurredAt),
    ];
  });
}

async function loadOutages() {
  const { outages } = await api('/v1/hq/outages');
  fillTable('outages', outages, (o) => [
    cell(o.facility),
    cell(o.cause),
    cell(o.lineIds.join(', ')),
    cell(o.status),
    cell(formatTime(o.openedAt)),
  ]);
}

async function refresh() {
  setStatus('Hämtar…');
  try {
    await loadFacilities();
    await Promise.all([loadIncidents(), loadOutages()]);
    setStatus(`Uppdaterad ${new Date().toLocaleTimeString('sv-SE')}`);
  } catch (error) {
    setStatus(error instanceof Error ? error.message : String(error));
  }
}

function showBoard(signedIn) {
  $('board').hidden = !signedIn;
  $('sign-in').hidden = signedIn;
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  showBoard(false);
}

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('token');
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = '';
  showBoard(true);
  void refresh();
});

$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadIncidents().catch((error) => setStatus(error.message));
});

$('sign-out').addEventListener('click', signOut);

if (sessionStorage.getItem(TOKEN_KEY)) {
  showBoard(true);
  void refresh();
} else {
  showBoard(false);
}
setInterval(() => {
  if (sessionStorage.getItem(TOKEN_KEY)) void refresh();
}, 15_000);
