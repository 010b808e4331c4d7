'use strict';
// Recourse browser UI. Every piece of data is written with textContent, never as HTML.
(function () {
  const NEUTRAL_SITE = 'https://www.bbc.co.uk/weather';
  let csrf = '';

  const $ = (id) => document.getElementById(id);

  function say(text, problem) {
    const m = $('message');
    m.textContent = text || '';
    m.classList.toggle('problem', !!problem);
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    if (!res.ok) {
      if (res.status === 401) { csrf = ''; await refresh(); }
      const msg = data.error ? data.error.message : 'Something went wrong; nothing was changed.';
      throw new Error(msg);
    }
    return data;
  }

  function show(which) {
    for (const id of ['setup', 'unlock', 'workspace']) $(id).hidden = id !== which;
    $('lock').hidden = which !== 'workspace';
  }

  async function refresh() {
    const s = await api('GET', '/api/v1/session');
    if (s.vault === 'none') return show('setup');
    if (s.vault !== 'unlocked') return show('unlock');
    csrf = s.csrf_token;
    show('workspace');
    await loadWorkspace();
  }

  async function loadWorkspace() {
    const [{ clients }, { cases }] = await Promise.all([api('GET', '/api/v1/clients'), api('GET', '/api/v1/cases')]);
    const names = new Map(clients.map((c) => [c.id, c.name]));
    const select = $('case-client');
    select.replaceChildren(...clients.map((c) => {
      const o = document.createElement('option');
      o.value = c.id; o.textContent = c.name; return o;
    }));
    const body = $('cases').tBodies[0];
    body.replaceChildren(...cases.map((k) => {
      const tr = document.createElement('tr');
      const license = [k.provider.license_type, k.provider.license_number, k.provider.jurisdiction]
        .filter(Boolean).join(' · ');
      for (const text of [names.get(k.client_id) || '', k.provider.name, license,
        k.treatment_start || '', k.id]) {
        const td = document.createElement('td'); td.textContent = text; tr.appendChild(td);
      }
      return tr;
    }));
    $('no-cases').hidden = cases.length > 0;
    $('cases').hidden = cases.length === 0;
  }

  function quickExit() {
    document.title = 'Weather';
    document.body.replaceChildren();
    try {
      fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin', keepalive: true });
    } catch (e) { /* leaving anyway */ }
    window.location.replace(NEUTRAL_SITE);
  }

  let shiftTimes = [];
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Shift' || e.repeat) return;
    const now = Date.now();
    shiftTimes = shiftTimes.filter((t) => now - t < 1500);
    shiftTimes.push(now);
    if (shiftTimes.length >= 3) quickExit();
  });

  function formValues(form) {
    const out = {};
    for (const el of form.elements) {
      if (el.name && el.value.trim() !== '') out[el.name] = el.value.trim();
    }
    return out;
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('quick-exit').addEventListener('click', quickExit);
    $('lock').addEventListener('click', async () => {
      await api('DELETE', '/api/v1/session'); csrf = ''; say('Locked. Your information is safe.');
      show('unlock');
    });
    $('setup-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const p1 = $('setup-pass').value, p2 = $('setup-pass2').value;
      if (p1 !== p2) return say('The two passphrases are not the same. Please type them again.', true);
      say('Setting up. This takes a moment…');
      try {
        const r = await api('POST', '/api/v1/vault', { passphrase: p1 });
        csrf = r.csrf_token; $('setup-form').reset(); say('Your private space is ready.');
        await refresh();
      } catch (err) { say(err.message, true); }
    });
    $('unlock-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      say('Opening…');
      try {
        const r = await api('POST', '/api/v1/session', { passphrase: $('unlock-pass').value });
        csrf = r.csrf_token; $('unlock-form').reset(); say('');
        await refresh();
      } catch (err) { say(err.message, true); }
    });
    $('client-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('POST', '/api/v1/clients', formValues(e.target));
        e.target.reset(); say('Saved.'); await loadWorkspace();
      } catch (err) { say(err.message, true); }
    });
    $('case-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const v = formValues(e.target);
      const body = { client_id: v.client_id, provider: { name: v.name } };
      for (const k of ['license_type', 'license_number', 'jurisdiction']) if (v[k]) body.provider[k] = v[k];
      if (v.treatment_start) body.treatment_start = v.treatment_start;
      try {
        await api('POST', '/api/v1/cases', body);
        e.target.reset(); say('Case saved.'); await loadWorkspace();
      } catch (err) { say(err.message, true); }
    });
    refresh().catch((err) => say(err.message, true));
  });
})();
