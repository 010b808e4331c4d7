// The app's own API (/api/v1, docs/api.md). Every change carries the session's CSRF token.
let csrf = '';

export function setCsrf(token) {
  csrf = token || '';
}

// A refusal from the server: its HTTP status, code, message and the field it names.
export class ApiError extends Error {
  constructor(status, code, message, field, reason, args) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
    this.reason = reason || '';  // what went wrong as a catalog name, with its facts in args
    this.args = args || {};
  }
}

const kKeepaliveMax = 60 * 1024;

export async function api(method, path, body, { keepalive = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const text = body === undefined ? undefined : JSON.stringify(body);
  // A browser carries at most 64 KB of keepalive requests at once: a longer body (a very
  // long account of what happened) goes as an ordinary request, which the quick exit waits
  // for before it leaves.
  const keep = keepalive && (text === undefined || new Blob([text]).size < kKeepaliveMax);
  return send(path, { method, headers, body: text, keepalive: keep });
}

// One request: the answer's JSON, or an ApiError with its status, code, message and field
// (status 0 when the server could not be reached).
async function send(url, init) {
  let res;
  try {
    res = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'unreachable', '', '');
  }
  if (!res.ok) throw await refusal(res);
  try { return await res.json(); } catch (e) { return {}; }
}

// The ApiError a refused answer carries.
async function refusal(res) {
  let data = {};
  try { data = await res.json(); } catch (e) { data = {}; }
  const err = data.error || {};
  return new ApiError(res.status, err.code || '', err.message || '', err.field || fieldOf(err.message),
    err.reason, err.args);
}

// POSTs a JSON body and saves the file the answer carries, under the name the server gives
// it (a download that needs something typed first, such as a backup). Resolves to that
// name, or throws an ApiError like api().
export async function saveDownload(path, body) {
  let res;
  try {
    res = await fetch(path, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store', body: JSON.stringify(body),
      headers: { Accept: 'application/octet-stream', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', '', '');
  }
  if (!res.ok) throw await refusal(res);
  const named = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  const name = named ? named[1] : 'download';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

// GETs a file the app makes and saves it under the name the server gives it (else
// `fallbackName`). Resolves to the characters the document could not show, which it writes
// as codes ("U+1F33B": the X-Recourse-Unshown header), [] when none; throws an ApiError
// like api().
// With `body`, the download is the answer to a POST of it as JSON (what the document should
// say, typed on the page: never in an address, where it would be kept in the history).
export async function fetchDownload(path, fallbackName, body) {
  let res;
  const init = { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/pdf' } };
  if (body !== undefined) {
    init.method = 'POST';
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
    if (csrf) init.headers['X-CSRF-Token'] = csrf;
  }
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'unreachable', '', '');
  }
  if (!res.ok) throw await refusal(res);
  const named = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = named ? named[1] : fallbackName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return (res.headers.get('X-Recourse-Unshown') || '').split(' ').filter((c) => /^U\+[0-9A-F]{4,6}$/.test(c));
}

// Sends a file as the body of a POST (streamed by the browser from disk), `query` saying
// what it is and `extra` any headers of the endpoint's own. Resolves to the answer's JSON,
// or throws an ApiError like api().
export async function upload(path, file, query, extra) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', ...(extra || {}) };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return send(`${path}?${params}`, { method: 'POST', body: file, headers });
}

// Older messages name their field at the start ("provider.name: must not be empty").
function fieldOf(message) {
  const m = /^([a-z_.]+): /.exec(message || '');
  return m ? m[1] : '';
}
