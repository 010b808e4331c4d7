// The app's own API (/api/v1, docs/api.md). Every change carries the session's CSRF token.
let csrf = '';

export function setCsrf(token) {
  csrf = token || '';
}

// A refusal from the server: its HTTP status, code, message and the field it names.
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', '', '');
  }
  let data = {};
  try { data = await res.json(); } catch (e) { data = {}; }
  if (!res.ok) {
    const err = data.error || {};
    throw new ApiError(res.status, err.code || '', err.message || '', err.field || fieldOf(err.message));
  }
  return data;
}

// Sends a file as the body of a POST (streamed by the browser from disk), `query` saying
// what it is. Resolves to the answer's JSON, or throws an ApiError like api().
export async function upload(path, file, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  let res;
  try {
    res = await fetch(`${path}?${params}`, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store', body: file,
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': csrf },
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', '', '');
  }
  let data = {};
  try { data = await res.json(); } catch (e) { data = {}; }
  if (!res.ok) {
    const err = data.error || {};
    throw new ApiError(res.status, err.code || '', err.message || '', err.field || fieldOf(err.message));
  }
  return data;
}

// Older messages name their field at the start ("provider.name: must not be empty").
function fieldOf(message) {
  const m = /^([a-z_.]+): /.exec(message || '');
  return m ? m[1] : '';
}
