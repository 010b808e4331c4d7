// The browser app: one page at a time, drawn from the API, at its own address so that Back,
// Forward, reload and bookmarks all work. A locked vault shows the unlock page at the same
// address; unlocking goes on where the person was, with anything they had typed kept.
import { loadMessages, t } from './i18n.js';
import { api, setCsrf } from './api.js';
import { h, $ } from './dom.js';
import { installQuickExit } from './exit.js';
import {
  setNavigator, setAccount, restoreTyped, watchDraft, resumeDraft, flushDraft, page, heading, para,
} from './view.js';

// The catalog's parts the shell itself uses; each page module loads its own (i18n.js need).
const kShellParts = ['shell', 'common', 'errors', 'exit', 'event'];

// Each page's module is loaded when a page of it is first shown, so a page carries only
// its own scripts and words (every page stays under 100 KB with the catalog and the styles).
const pages = {
  start: () => import('./pages/start.js'),
  cases: () => import('./pages/cases.js'),
  therapist: () => import('./pages/therapist.js'),
  incidents: () => import('./pages/incidents.js'),
  people: () => import('./pages/people.js'),
  evidence: () => import('./pages/evidence.js'),
  records: () => import('./pages/records.js'),
  records_letter: () => import('./pages/records_letter.js'),
  records_change: () => import('./pages/records_change.js'),
  due: () => import('./pages/due.js'),
  complaint: () => import('./pages/complaint.js'),
  complaint_after: () => import('./pages/complaint_after.js'),
  write: () => import('./pages/write.js'),
  backup: () => import('./pages/backup.js'),
  accounts: () => import('./pages/accounts.js'),
};
const routes = [
  ['/', 'cases', 'home'],
  ['/before-you-start', 'start', 'beforeYouStart'],
  ['/cases/new', 'cases', 'newCase'],
  ['/cases/:id', 'cases', 'taskList'],
  ['/cases/:id/remove', 'cases', 'remove'],
  ['/cases/:id/therapist', 'therapist', 'form'],
  ['/cases/:id/therapist/license', 'therapist', 'license'],
  ['/cases/:id/therapist/practice', 'therapist', 'practice'],
  ['/cases/:id/board', 'therapist', 'board'],
  ['/cases/:id/incidents', 'incidents', 'list'],
  ['/cases/:id/incidents/new', 'incidents', 'add'],
  ['/incidents/:id', 'incidents', 'check'],
  ['/incidents/:id/what', 'incidents', 'what'],
  ['/incidents/:id/when', 'incidents', 'when'],
  ['/incidents/:id/where', 'incidents', 'where'],
  ['/incidents/:id/harms', 'incidents', 'harms'],
  ['/incidents/:id/more', 'incidents', 'more'],
  ['/incidents/:id/remove', 'incidents', 'remove'],
  ['/cases/:id/evidence', 'evidence', 'list'],
  ['/cases/:id/evidence/new', 'evidence', 'add'],
  ['/evidence/:id/change', 'evidence', 'change'],
  ['/evidence/:id/remove', 'evidence', 'remove'],
  ['/cases/:id/records', 'records', 'list'],
  ['/cases/:id/records/new', 'records', 'choose'],
  ['/requests/:id', 'records', 'show'],
  ['/requests/:id/step/:step', 'records_letter', 'step'],
  ['/requests/:id/check', 'records_letter', 'check'],
  ['/requests/:id/sent', 'records_letter', 'sent'],
  ['/requests/:id/letters/:form', 'records_letter', 'laterCheck'],
  ['/requests/:id/letters/:form/step/:step', 'records_letter', 'laterStep'],
  ['/requests/:id/remove', 'records_change', 'remove'],
  ['/requests/:id/details', 'records_change', 'details'],
  ['/requests/:id/events/:event', 'records_change', 'eventChange'],
  ['/requests/:id/events/:event/remove', 'records_change', 'eventRemove'],
  ['/cases/:id/complaint', 'complaint', 'start'],
  ['/cases/:id/complaint/step/:step', 'complaint', 'step'],
  ['/cases/:id/complaint/check', 'complaint', 'check'],
  ['/cases/:id/complaint/packet', 'complaint', 'packet'],
  ['/cases/:id/complaint/after', 'complaint_after', 'after'],
  ['/cases/:id/complaint/after/filing', 'complaint_after', 'filing'],
  ['/cases/:id/complaint/after/add', 'complaint_after', 'add'],
  ['/cases/:id/complaint/after/steps/:step/remove', 'complaint_after', 'remove'],
  ['/cases/:id/elsewhere', 'write', 'elsewhere'],
  ['/cases/:id/write', 'write', 'choose'],
  ['/cases/:id/write/ending', 'write', 'ending'],
  ['/cases/:id/write/concern', 'write', 'concern'],
  ['/due', 'due', 'list'],
  ['/people/:id', 'people', 'about'],
  ['/people/:id/remove', 'people', 'remove'],
  ['/backup', 'backup', 'save'],
  ['/backup/restore', 'backup', 'restore'],
  ['/account', 'accounts', 'account'],
  ['/account/passphrase', 'accounts', 'passphrase'],
  ['/accounts/new', 'accounts', 'add'],
  ['/people/:id/access', 'accounts', 'access'],
  ['/people/:id/access/:user/remove', 'accounts', 'remove'],
  ['/people/:id/history', 'accounts', 'history'],
  ['/caseload', 'accounts', 'caseload'],
];

function match(path) {
  const parts = path.replace(/\/+$/, '').split('/');
  for (const [pattern, module, name] of routes) {
    const p = pattern.replace(/\/+$/, '').split('/');
    if (p.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < p.length && ok; i += 1) {
      if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(parts[i]);
      else ok = p[i] === parts[i];
    }
    if (ok) {
      return { params, render: async (p) => (await pages[module]())[name](p) };
    }
  }
  return null;
}

// Drawn here, not in a page module: with the server gone, no module can be fetched.
function unreachable() {
  const main = page('shell.unreachable.title');
  main.append(heading(t('shell.unreachable.heading')), para(t('shell.unreachable.body')));
}

let session = { vault: 'none' };
let rendering = 0;
let resumePending = true;  // the first page drawn after opening goes back to the draft


async function render() {
  const ticket = ++rendering;
  try {
    session = await api('GET', '/api/v1/session');
  } catch (e) {
    session = { vault: 'unreachable' };
  }
  if (ticket !== rendering) return;
  setCsrf(session.csrf_token);
  if (session.account) setAccount(session.account.name);
  $('lock').hidden = session.vault !== 'unlocked';
  if (session.vault === 'unreachable') {
    unreachable();
  } else if (session.vault === 'none' && window.location.pathname === '/restore') {
    await (await pages.backup()).restore({ fresh: true, done: () => navigate('/', { replace: true }) });
  } else if (session.vault === 'none') {
    await (await pages.start()).welcome({ done: render });
  } else if (session.vault !== 'unlocked') {
    resumePending = true;
    await (await pages.start()).unlock({ done: render, needsUser: !!session.needs_user });
  } else {
    const found = match(window.location.pathname);
    if (found) {
      try {
        await found.render(found.params);
        const kept = restoreTyped();
        if (resumePending) {
          resumePending = false;
          const there = kept ? '' : await resumeDraft();
          if (there && ticket === rendering) {
            resumePending = true;  // that page, once drawn, is filled in from the draft
            return navigate(there, { replace: true });
          }
        }
        if (ticket === rendering) watchDraft();
      } catch (e) {
        if (e.status === 401) return render();
        (await pages.start()).problem(e);
      }
    } else {
      (await pages.start()).notFound();
    }
  }
  if (ticket !== rendering) return;
  const focus = $('main').querySelector('.error-summary') || $('page-heading') || $('main').querySelector('h1');
  if (focus) {
    if (!focus.hasAttribute('tabindex')) focus.setAttribute('tabindex', '-1');
    focus.focus({ preventScroll: false });
  }
}

export function navigate(path, options) {
  if (options && options.replace) window.history.replaceState(null, '', path);
  else if (path !== window.location.pathname + window.location.search) window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  return render();
}

function onClick(e) {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}

function fillShell() {
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('exit-hint').replaceChildren(h('p', { class: 'exit-hint-text' }, t('shell.exit_hint')));
  $('quick-exit').setAttribute('aria-label', t('shell.exit_label'));
}

async function boot() {
  installQuickExit();
  await loadMessages(document.documentElement.lang || 'en', kShellParts);
  fillShell();
  setNavigator(navigate);
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => render());
  $('lock').addEventListener('click', async () => {
    await flushDraft();  // the last words typed are kept before the keys go
    try { await api('DELETE', '/api/v1/session'); } catch (e) { /* locked either way */ }
    await render();
  });
  await render();
}

boot();
