// Opening the app: making the vault, unlocking it, the page before the first case that
// explains the quick exit, and the pages for when something cannot be shown.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api, setCsrf } from '../api.js';
import {
  page, heading, para, textField, submitButton, formOf, onSubmit, buttonLink, insetText, link, refusalText,
} from '../view.js';

await need('start');

export async function welcome({ done }) {
  const main = page('start.welcome.title');
  const form = formOf(
    textField({ id: 'passphrase', label: t('start.welcome.passphrase'), hint: t('start.welcome.passphrase_hint'),
      type: 'password', autocomplete: 'new-password', width: 'l', spellcheck: false }),
    textField({ id: 'passphrase-again', label: t('start.welcome.passphrase_again'), type: 'password',
      autocomplete: 'new-password', width: 'l', spellcheck: false }),
    submitButton(t('start.welcome.submit')));
  form.dataset.noDraft = 'true';
  main.append(
    heading(t('start.welcome.heading')),
    para(t('start.welcome.what'), 'body-l'),
    para(t('start.welcome.private')),
    h('h2', { class: 'heading-m', text: t('start.welcome.passphrase_heading') }),
    para(t('start.welcome.choose')),
    insetText(para(t('start.welcome.no_recovery'))),
    form,
    h('p', { class: 'body' }, link('/restore', t('start.welcome.restore'))));
  onSubmit(form, async () => {
    const p1 = form.elements.passphrase.value;
    const p2 = form.elements['passphrase-again'].value;
    if (p1.length === 0) return [{ field: 'passphrase', text: t('start.welcome.error_empty') }];
    if (new TextEncoder().encode(p1).length < 8) return [{ field: 'passphrase', text: t('start.welcome.error_short') }];
    if (p1 !== p2) return [{ field: 'passphrase-again', text: t('start.welcome.error_mismatch') }];
    const button = form.querySelector('button');
    button.textContent = t('start.welcome.working');
    let r;
    try {
      r = await api('POST', '/api/v1/vault', { passphrase: p1 });
      setCsrf(r.csrf_token);
    } finally {
      button.textContent = t('start.welcome.submit');
    }
    form.reset();
    // The recovery code, shown this once, before anything else.
    (await import('./accounts.js')).recoveryCode({ code: r.recovery_code, name: r.account && r.account.name, done });
    return [];
  }, { passphrase: 'passphrase' }, 'passphrase');
}

// Signing in: the passphrase, and the name too when several people have accounts here.
export async function unlock({ done, needsUser }) {
  const main = page('start.unlock.title');
  const form = formOf(
    needsUser ? textField({ id: 'user', label: t('start.unlock.user'), hint: t('start.unlock.user_hint'),
      autocomplete: 'username', width: 'm', spellcheck: false }) : null,
    textField({ id: 'passphrase', label: t('start.unlock.passphrase'), type: 'password',
      autocomplete: 'current-password', width: 'l', spellcheck: false }),
    submitButton(t('start.unlock.submit')));
  form.dataset.noDraft = 'true';
  const forgot = h('button', { type: 'button', class: 'button-link', text: t('start.unlock.forgot') });
  forgot.addEventListener('click', () => recover({ done, needsUser }));
  main.append(heading(t('start.unlock.heading')), para(t('start.unlock.intro')), form,
    h('p', { class: 'body' }, forgot));
  onSubmit(form, async () => {
    const user = needsUser ? form.elements.user.value.trim() : '';
    const pass = form.elements.passphrase.value;
    const problems = [];
    if (needsUser && !user) problems.push({ field: 'user', text: t('start.unlock.error_user') });
    if (pass.length === 0) problems.push({ field: 'passphrase', text: t('start.unlock.error_empty') });
    if (problems.length) return problems;
    let r;
    try {
      r = await api('POST', '/api/v1/session', user ? { user, passphrase: pass } : { passphrase: pass });
      setCsrf(r.csrf_token);
    } catch (err) {
      if (err.status === 401) return [{ field: 'passphrase', text: t('start.unlock.error_wrong') }];
      // Someone made a second account since this page was drawn: ask for the name too.
      if (err.reason === 'user_needed' && !needsUser) {
        unlock({ done, needsUser: true });
        return [];
      }
      throw err;
    }
    form.reset();
    // A recovery code made at this sign-in (the first to an account someone else made, or
    // the upgrade of a vault made before accounts): shown once, to its holder.
    if (r.recovery_code) {
      (await import('./accounts.js')).recoveryCode({ code: r.recovery_code, name: r.account && r.account.name, done });
    } else {
      await done();
    }
    return [];
  }, { passphrase: 'passphrase', user: needsUser ? 'user' : 'passphrase' }, 'passphrase');
}

// A forgotten passphrase: the recovery code and a new passphrase; then the new code, once.
export async function recover({ done, needsUser }) {
  const main = page('start.recover.title');
  const form = formOf(
    needsUser ? textField({ id: 'user', label: t('start.unlock.user'), hint: t('start.unlock.user_hint'),
      autocomplete: 'username', width: 'm', spellcheck: false }) : null,
    textField({ id: 'code', label: t('start.recover.code'), hint: t('start.recover.code_hint'),
      autocomplete: 'off', width: 'l', spellcheck: false }),
    textField({ id: 'passphrase', label: t('start.recover.new_passphrase'), hint: t('start.welcome.passphrase_hint'),
      type: 'password', autocomplete: 'new-password', width: 'l', spellcheck: false }),
    textField({ id: 'passphrase-again', label: t('start.welcome.passphrase_again'), type: 'password',
      autocomplete: 'new-password', width: 'l', spellcheck: false }),
    submitButton(t('start.recover.submit')));
  form.dataset.noDraft = 'true';
  const back = h('button', { type: 'button', class: 'button-link', text: t('start.recover.back') });
  back.addEventListener('click', () => unlock({ done, needsUser }));
  main.append(heading(t('start.recover.heading')), para(t('start.recover.intro')),
    insetText(para(t('start.recover.no_code'))), form, h('p', { class: 'body' }, back));
  onSubmit(form, async () => {
    const user = needsUser ? form.elements.user.value.trim() : '';
    const code = form.elements.code.value.trim().toUpperCase();
    const p1 = form.elements.passphrase.value;
    const problems = [];
    if (needsUser && !user) problems.push({ field: 'user', text: t('start.unlock.error_user') });
    if (!code) problems.push({ field: 'code', text: t('start.recover.error_code') });
    if (new TextEncoder().encode(p1).length < 8) problems.push({ field: 'passphrase', text: t('start.welcome.error_short') });
    else if (p1 !== form.elements['passphrase-again'].value) {
      problems.push({ field: 'passphrase-again', text: t('start.welcome.error_mismatch') });
    }
    if (problems.length) return problems;
    let r;
    try {
      r = await api('POST', '/api/v1/session/recover', { user, recovery_code: code, new_passphrase: p1 });
    } catch (err) {
      // A wrong code is said on the code, never taken for a locked vault.
      if (err.status === 401) return [{ field: 'code', text: refusalText(err) }];
      throw err;
    }
    setCsrf(r.csrf_token);
    form.reset();
    (await import('./accounts.js')).recoveryCode({ code: r.recovery_code, name: r.account && r.account.name, done });
    return [];
  }, { user: needsUser ? 'user' : 'code', recovery_code: 'code', new_passphrase: 'passphrase' }, 'code');
}

// Before the first case: how to leave quickly, and what the quick exit does not do.
export async function beforeYouStart() {
  const main = page('start.before.title');
  main.append(
    heading(t('start.before.heading')),
    para(t('start.before.intro'), 'body-l'),
    h('ul', { class: 'list list-bullet' },
      h('li', { text: t('start.before.button') }),
      h('li', { text: t('start.before.shift') })),
    para(t('start.before.what_happens')),
    h('h2', { class: 'heading-m', text: t('start.before.history_heading') }),
    para(t('start.before.history')),
    para(t('start.before.private_window')),
    para(t('start.before.lock')),
    buttonLink('/cases/new', t('start.before.continue')));
}

export function notFound() {
  const main = page('start.not_found.title');
  main.append(heading(t('start.not_found.heading')), para(t('start.not_found.body')),
    h('p', { class: 'body' }, link('/', t('start.not_found.home'))));
}

// Something the server refused while drawing a page (a case that was removed, say).
export function problem(err) {
  const main = page('start.problem.title');
  main.append(heading(t(err.status === 404 ? 'start.not_found.heading' : 'start.problem.heading')),
    para(err.status === 404 ? t('start.not_found.body') : t('start.problem.body')),
    h('p', { class: 'body' }, link('/', t('start.not_found.home'))));
}
