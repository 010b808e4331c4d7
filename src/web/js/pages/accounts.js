// People and access: the signed-in account (its fingerprint, a new passphrase), making an
// account (administrators), who may open a person's records (giving and taking away access,
// with the fingerprints to compare), the person's access history, and the caseload of an
// advocate or staff member. The recovery code pages are here too: a code is shown once,
// right after it is made, and never again.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api, fetchDownload } from '../api.js';
import {
  page, heading, para, textField, radios, selectField, submitButton, formOf, onSubmit, backLink,
  link, buttonLink, valueOf, go, summaryList, warningText, insetText, tag, longDate, confirmRemoval,
  refusalText,
} from '../view.js';
import { noticeText } from './notices.js';

await need('accounts', 'due');

const roleName = (role) => t(`accounts.role.${role}`);

// The code as it is to be written down: groups of four, in a large fixed-width type.
function codeBlock(code) {
  return h('p', { class: 'recovery-code', id: 'recovery-code', text: code });
}

// Puts the focus on a page drawn after a form was sent (not by the router), so that a screen
// reader says the new page.
function focusHeading() {
  const el = document.getElementById('page-heading');
  if (el) el.focus();
}

// Shown once, right after a recovery code is made (the vault created, a first sign-in to an
// account someone else made, a passphrase recovered), to its holder alone. `name`: the
// account's name, said so that the person knows it should others get accounts later.
export function recoveryCode({ code, name, done }) {
  const main = page('accounts.code.title');
  const f = formOf(submitButton(t('common.continue')));
  f.dataset.noDraft = 'true';
  main.append(
    heading(t('accounts.code.heading')),
    para(t('accounts.code.what'), 'body-l'),
    codeBlock(code),
    warningText(t('accounts.code.once')),
    h('ul', { class: 'list list-bullet' },
      h('li', { text: t('accounts.code.keep_paper') }),
      h('li', { text: t('accounts.code.keep_apart') }),
      h('li', { text: t('accounts.code.not_passphrase') })),
    name ? para(t('accounts.code.your_name', { name })) : null,
    f);
  onSubmit(f, async () => {
    await done();
    return [];
  }, {}, 'recovery-code');
  focusHeading();
  return main;
}

// /account: whose the vault is open as, and what they can do here.
export async function account() {
  const me = await api('GET', '/api/v1/account');
  const main = page('accounts.me.title');
  main.append(backLink('/'), heading(t('accounts.me.heading')),
    summaryList([
      { key: t('accounts.me.name'), value: me.name },
      { key: t('accounts.me.role'), value: roleName(me.role) },
      { key: t('accounts.me.fingerprint'), value: me.fingerprint },
    ]),
    para(t('accounts.me.fingerprint_what')),
    h('ul', { class: 'list' },
      h('li', {}, link('/account/passphrase', t('accounts.me.change_passphrase'))),
      me.role !== 'client' ? h('li', {}, link('/caseload', t('accounts.me.caseload'))) : null,
      me.role === 'admin' ? h('li', {}, link('/accounts/new', t('accounts.me.add'))) : null));
}

// /account/passphrase
export async function passphrase() {
  const main = page('accounts.passphrase.title');
  const f = formOf(
    textField({ id: 'current', label: t('accounts.passphrase.current'), type: 'password',
      autocomplete: 'current-password', width: 'l', spellcheck: false }),
    textField({ id: 'fresh', label: t('accounts.passphrase.fresh'), hint: t('accounts.passphrase.hint'),
      type: 'password', autocomplete: 'new-password', width: 'l', spellcheck: false }),
    textField({ id: 'fresh-again', label: t('accounts.passphrase.again'), type: 'password',
      autocomplete: 'new-password', width: 'l', spellcheck: false }),
    submitButton(t('accounts.passphrase.submit')));
  f.dataset.noDraft = 'true';
  main.append(backLink('/account'), heading(t('accounts.passphrase.heading')),
    para(t('accounts.passphrase.intro')), f);
  onSubmit(f, async () => {
    const current = f.elements.current.value;
    const fresh = f.elements.fresh.value;
    if (!current) return [{ field: 'current', text: t('accounts.passphrase.error_empty') }];
    if (new TextEncoder().encode(fresh).length < 8) return [{ field: 'fresh', text: t('accounts.passphrase.error_short') }];
    if (fresh !== f.elements['fresh-again'].value) return [{ field: 'fresh-again', text: t('accounts.passphrase.error_mismatch') }];
    try {
      await api('PUT', '/api/v1/account/passphrase', { passphrase: current, new_passphrase: fresh });
    } catch (err) {
      // A wrong current passphrase is said on it; a session that ended goes to the unlock page.
      if (err.reason === 'wrong_passphrase') return [{ field: 'current', text: t('accounts.passphrase.error_wrong') }];
      throw err;
    }
    f.reset();
    const done = page('accounts.passphrase.title');
    done.append(heading(t('accounts.passphrase.done')), para(t('accounts.passphrase.done_what')),
      buttonLink('/', t('accounts.back_home')));
    focusHeading();
    return [];
  }, { passphrase: 'current', new_passphrase: 'fresh' }, 'current');
}

// /accounts/new: an administrator makes an account for an advocate, a staff member, another
// administrator, or a client (who is then the one to decide who else sees their records).
export async function add() {
  const { clients } = await api('GET', '/api/v1/clients');
  const main = page('accounts.add.title');
  const clientChoice = selectField({ id: 'client', label: t('accounts.add.which_client'),
    options: [{ value: '', label: t('accounts.add.choose_client') }, ...clients.map((c) => ({ value: c.id, label: c.name }))] });
  const f = formOf(
    textField({ id: 'name', label: t('accounts.add.name'), hint: t('accounts.add.name_hint'), width: 'm',
      spellcheck: false }),
    radios({ id: 'role', legend: t('accounts.add.role'), options: [
      { value: 'advocate', label: roleName('advocate'), hint: t('accounts.role_hint.advocate') },
      { value: 'staff', label: roleName('staff'), hint: t('accounts.role_hint.staff') },
      { value: 'client', label: roleName('client'), hint: t('accounts.role_hint.client'),
        conditional: clients.length ? clientChoice : para(t('accounts.add.no_clients')) },
      { value: 'admin', label: roleName('admin'), hint: t('accounts.role_hint.admin') }] }),
    textField({ id: 'passphrase', label: t('accounts.add.passphrase'), hint: t('accounts.add.passphrase_hint'),
      type: 'password', autocomplete: 'new-password', width: 'l', spellcheck: false }),
    submitButton(t('accounts.add.submit')));
  f.dataset.noDraft = 'true';
  main.append(backLink('/account'), heading(t('accounts.add.heading')), para(t('accounts.add.intro')), f);
  onSubmit(f, async () => {
    const name = valueOf(f, 'name');
    const role = valueOf(f, 'role');
    const problems = [];
    if (!name) problems.push({ field: 'name', text: t('accounts.add.error_name') });
    if (!role) problems.push({ field: 'role', text: t('accounts.add.error_role') });
    if (role === 'client' && !valueOf(f, 'client')) problems.push({ field: 'client', text: t('accounts.add.error_client') });
    if (new TextEncoder().encode(f.elements.passphrase.value).length < 8) {
      problems.push({ field: 'passphrase', text: t('accounts.passphrase.error_short') });
    }
    if (problems.length) return problems;
    const made = await api('POST', '/api/v1/accounts', {
      name, role, passphrase: f.elements.passphrase.value, client_id: role === 'client' ? valueOf(f, 'client') : '',
    });
    f.reset();
    const done = page('accounts.made.title');
    done.append(heading(t('accounts.made.heading', { name: made.name })),
      summaryList([
        { key: t('accounts.me.name'), value: made.name },
        { key: t('accounts.me.role'), value: roleName(made.role) },
        { key: t('accounts.me.fingerprint'), value: made.fingerprint },
      ]),
      para(t('accounts.made.passphrase', { name: made.name })),
      para(t('accounts.made.code', { name: made.name })),
      role === 'client' && !made.client_key_sealed ? warningText(t('accounts.made.no_key', { name: made.name })) : null,
      buttonLink('/account', t('accounts.made.back')));
    focusHeading();
    return [];
  }, { name: 'name', role: 'role', passphrase: 'passphrase', client_id: 'client' }, 'name');
}

function accessRow(a, clientId, me) {
  const given = a.granted_by && a.granted_by !== a.account.name
    ? t('accounts.access.given_by', { name: a.granted_by, day: longDate(a.granted_at.slice(0, 10)) })
    : t('accounts.access.since', { day: longDate(a.granted_at.slice(0, 10)) });
  return h('li', { class: 'case-list-item' },
    h('h3', { class: 'heading-s' }, a.account.name, ' ', tag(roleName(a.account.role), 'grey'),
      a.account.name === me ? [' ', tag(t('accounts.access.you'), 'blue')] : null),
    para(given, 'body-s'),
    a.reason ? para(t('accounts.access.reason', { reason: a.reason }), 'body-s') : null,
    h('p', { class: 'body-s' }, t('accounts.access.fingerprint'), ' ',
      h('span', { class: 'fingerprint', text: a.account.fingerprint })),
    a.problem ? warningText(t('accounts.access.problem')) : null,
    a.account.name !== me ? h('p', { class: 'body' },
      link(`/people/${clientId}/access/${encodeURIComponent(a.account.name)}/remove`,
        t('accounts.access.remove', { name: a.account.name }))) : null);
}

// /people/:id/access: who may open this person's records, giving someone access, and the
// way to take it away again.
export async function access({ id }) {
  const enc = encodeURIComponent(id);
  const [person, { access: who }, { accounts }, me] = await Promise.all([
    api('GET', `/api/v1/clients/${enc}`), api('GET', `/api/v1/clients/${enc}/access`),
    api('GET', '/api/v1/accounts'), api('GET', '/api/v1/account')]);
  const main = page('accounts.access.title');
  const having = new Set(who.map((a) => a.account.name));
  const others = accounts.filter((a) => !having.has(a.name) && a.role !== 'client');
  main.append(backLink(`/people/${id}`),
    h('span', { class: 'caption-l', text: person.name }),
    heading(t('accounts.access.heading')), para(t('accounts.access.intro')),
    h('ul', { class: 'case-list' }, who.map((a) => accessRow(a, id, me.name))),
    h('p', { class: 'body' }, link(`/people/${id}/history`, t('accounts.access.history'))));
  main.append(h('h2', { class: 'heading-m', text: t('accounts.access.give_heading') }));
  if (others.length === 0) {
    main.append(para(t('accounts.access.nobody_else')));
    return;
  }
  const f = formOf(
    radios({ id: 'user', legend: t('accounts.access.give_who'), options: others.map((a) => ({
      value: a.name, label: t('accounts.person_role', { name: a.name, role: roleName(a.role) }),
      hint: t('accounts.access.fingerprint_hint', { fingerprint: a.fingerprint }) })) }),
    textField({ id: 'reason', label: t('accounts.access.give_reason'), hint: t('accounts.access.give_reason_hint'),
      optional: true, width: 'l' }),
    submitButton(t('accounts.access.give_submit')));
  f.dataset.noDraft = 'true';
  main.append(para(t('accounts.access.compare')), f);
  onSubmit(f, async () => {
    const user = valueOf(f, 'user');
    if (!user) return [{ field: 'user', text: t('accounts.access.error_who') }];
    await api('POST', `/api/v1/clients/${enc}/access`, { user, reason: valueOf(f, 'reason') });
    go(`/people/${id}/access`, { replace: true });
    return [];
  }, { user: 'user', reason: 'reason' }, 'user');
}

// /people/:id/access/:user/remove: taking someone's access away, saying plainly what that
// does and what it cannot do.
export async function remove({ id, user }) {
  const enc = encodeURIComponent(id);
  const person = await api('GET', `/api/v1/clients/${enc}`);
  const reason = textField({ id: 'reason', label: t('accounts.access.give_reason'),
    hint: t('accounts.access.give_reason_hint'), optional: true, width: 'l' });
  const main = confirmRemoval({
    messages: 'accounts.revoke', back: `/people/${id}/access`, after: `/people/${id}/access`,
    body: [para(t('accounts.revoke.what', { name: user, person: person.name })),
      para(t('accounts.revoke.new_key', { name: user }))],
    warning: t('accounts.revoke.unseen', { name: user }),
    remove: () => api('POST', `/api/v1/clients/${enc}/access/revoke`,
      { user, reason: main.querySelector('#reason').value.trim() }),
  });
  main.querySelector('h1').textContent = t('accounts.revoke.heading_named', { name: user });
  // An administrator acting for the person says why (it is kept, sealed, with the change).
  const form = main.querySelector('form');
  form.prepend(reason);
  form.dataset.noDraft = 'true';
}

// A moment as the person's own clock shows it ("5 December 2026, 09:14").
function localTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(document.documentElement.lang || 'en',
    { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

function historyWhat(e) {
  return e.read ? t('accounts.history.read', { what: e.what }) : t('accounts.history.changed', { what: e.what });
}

// /people/:id/history: every time someone opened or changed this person's records.
export async function history({ id }) {
  const enc = encodeURIComponent(id);
  const [person, log] = await Promise.all([api('GET', `/api/v1/clients/${enc}`), api('GET', `/api/v1/clients/${enc}/history`)]);
  const main = page('accounts.history.title');
  const download = h('button', { type: 'button', class: 'button secondary', text: t('accounts.history.download') });
  const failed = h('p', { class: 'error-message', role: 'alert' });
  download.addEventListener('click', async () => {
    failed.textContent = '';
    try {
      await fetchDownload(`/api/v1/clients/${enc}/history.csv`, 'recourse-access-history.csv');
    } catch (err) {
      if (err.status === 401) go(window.location.pathname, { replace: true });
      else failed.textContent = refusalText(err);
    }
  });
  main.append(backLink(`/people/${id}/access`), h('span', { class: 'caption-l', text: person.name }),
    heading(t('accounts.history.heading')), para(t('accounts.history.intro')),
    log.chain_ok ? para(t('accounts.history.intact'), 'body-s') : warningText(t('accounts.history.broken')));
  const rows = [...log.entries].reverse();
  main.append(h('table', { class: 'table' },
    h('caption', { class: 'visually-hidden', text: t('accounts.history.caption') }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: t('accounts.history.when') }),
      h('th', { scope: 'col', text: t('accounts.history.who') }),
      h('th', { scope: 'col', text: t('accounts.history.what') }),
      h('th', { scope: 'col', text: t('accounts.history.how') }))),
    h('tbody', {}, rows.map((e) => h('tr', {},
      h('th', { scope: 'row', class: 'table-row-head', text: localTime(e.at) }),
      h('td', { text: whoDid(e) }),
      h('td', { text: historyWhat(e) }),
      h('td', { text: e.via ? t(`accounts.via.${e.via === 'cli' ? 'cli' : 'browser'}`) : '' }))))),
  download, failed);
}

function whoDid(e) {
  if (!e.user) return t('accounts.history.before_accounts');
  if (!e.role) return t('accounts.history.gone', { name: e.user });
  return t('accounts.person_role', { name: e.user, role: roleName(e.role) });
}

function whenDue(days) {
  if (days === 0) return t('due.today');
  if (days < 0) return t('due.ago', { days: -days });
  return t('due.in', { days });
}

function dueList(items) {
  return h('ul', { class: 'case-list' }, items.map((d) => h('li', { class: 'case-list-item' },
    h('p', { class: 'timeline-when', text: `${longDate(d.date)} · ${whenDue(d.days_from_today)}` }),
    h('h3', { class: 'heading-s' }, link(d.kind === 'complaint_time_limit' ? `/cases/${d.case_id}`
      : d.kind.startsWith('complaint_') ? `/cases/${d.case_id}/complaint/after` : `/requests/${d.ref}`,
      noticeText(d.what))),
    para(t('due.whose', { name: d.client_name, therapist: d.therapist }), 'body-s'))));
}

// /caseload: across the people who gave this account access.
export async function caseload() {
  const load = await api('GET', '/api/v1/caseload');
  const main = page('accounts.caseload.title');
  main.append(backLink('/'), heading(t('accounts.caseload.heading')), para(t('accounts.caseload.intro')));
  if (load.damaged.length) main.append(warningText(t('due.damaged', { count: load.damaged.length })));
  if (load.clients.length === 0) {
    main.append(insetText(para(t('accounts.caseload.none'))));
    return;
  }
  main.append(h('table', { class: 'table' },
    h('caption', { class: 'visually-hidden', text: t('accounts.caseload.people') }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: t('accounts.caseload.person') }),
      h('th', { scope: 'col', text: t('accounts.caseload.open') }),
      h('th', { scope: 'col', text: t('accounts.caseload.due') }),
      h('th', { scope: 'col', text: t('accounts.caseload.overdue') }),
      h('th', { scope: 'col', text: t('accounts.caseload.waiting') }))),
    h('tbody', {}, load.clients.map((c) => h('tr', {},
      h('th', { scope: 'row', class: 'table-row-head' }, link(`/people/${c.id}/access`, c.name)),
      h('td', { text: String(c.open_cases) }),
      h('td', { text: String(c.due_this_week) }),
      h('td', {}, c.overdue ? tag(String(c.overdue), 'red') : '0'),
      h('td', { text: String(c.complaints_waiting) }))))));
  main.append(h('h2', { class: 'heading-m', text: t('accounts.caseload.overdue_heading') }),
    load.overdue.length ? dueList(load.overdue) : para(t('accounts.caseload.overdue_none')));
  main.append(h('h2', { class: 'heading-m', text: t('accounts.caseload.due_heading') }),
    load.due_soon.length ? dueList(load.due_soon) : para(t('accounts.caseload.due_none')));
  main.append(h('h2', { class: 'heading-m', text: t('accounts.caseload.waiting_heading') }),
    load.complaints_waiting.length
      ? h('ul', { class: 'case-list' }, load.complaints_waiting.map((w) => h('li', { class: 'case-list-item' },
        h('h3', { class: 'heading-s' }, link(`/cases/${w.case_id}`, t('accounts.caseload.waiting_item',
          { name: w.client_name, board: w.board || t('accounts.caseload.the_board') }))),
        para(t('accounts.caseload.waiting_since', { day: longDate(w.filed_on), count: w.days_waiting }), 'body-s'))))
      : para(t('accounts.caseload.waiting_none')));
}
