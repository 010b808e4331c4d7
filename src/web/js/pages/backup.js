// Backups: one encrypted file holding the whole vault, downloaded to keep somewhere safe,
// and restored here (on a new computer before any vault exists, or in place of this one,
// which is kept beside it).
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { saveDownload, upload, setCsrf } from '../api.js';
import {
  page, heading, para, textField, submitButton, formOf, onSubmit, insetText, warningText, link, backLink, go,
} from '../view.js';

await need('backup');

function passphraseField(id, label, hint, autocomplete) {
  return textField({ id, label, hint, type: 'password', autocomplete, width: 'l', spellcheck: false });
}

// /backup: make a backup; the way to restore one.
export async function save() {
  const main = page('backup.save.title');
  const form = formOf(
    passphraseField('passphrase', t('backup.save.passphrase'), t('backup.save.passphrase_hint'), 'current-password'),
    submitButton(t('backup.save.submit')));
  form.dataset.noDraft = 'true';
  const done = h('div', { id: 'backup-done' });
  main.append(
    backLink('/'),
    heading(t('backup.save.heading')),
    para(t('backup.save.what'), 'body-l'),
    para(t('backup.save.where')),
    insetText(para(t('backup.save.locked'))),
    done,
    form,
    h('h2', { class: 'heading-m', text: t('backup.save.restore_heading') }),
    para(t('backup.save.restore_what')),
    h('p', { class: 'body' }, link('/backup/restore', t('backup.save.restore_link'))));
  onSubmit(form, async () => {
    const pass = form.elements.passphrase.value;
    if (pass.length === 0) return [{ field: 'passphrase', text: t('backup.save.error_empty') }];
    const button = form.querySelector('button');
    button.textContent = t('backup.save.working');
    let name;
    try {
      name = await saveDownload('/api/v1/vault/export', { passphrase: pass });
    } catch (err) {
      if (err.field === 'passphrase' && err.status === 401) {
        return [{ field: 'passphrase', text: t('backup.save.error_wrong') }];
      }
      throw err;
    } finally {
      button.textContent = t('backup.save.submit');
    }
    form.reset();
    done.replaceChildren(h('div', { class: 'notification', role: 'status', tabindex: '-1' },
      h('h2', { class: 'heading-s', text: t('backup.save.done_heading') }),
      para(t('backup.save.done', { name })),
      para(t('backup.save.done_move'))));
    done.firstChild.focus();
    return [];
  }, { passphrase: 'passphrase' }, 'passphrase');
}

// /backup/restore (a vault is open: the backup replaces it) and /restore (no vault yet).
export async function restore({ fresh, done } = {}) {
  const main = page('backup.restore.title');
  const fileGroup = h('div', { class: 'form-group', 'data-group-for': 'file' },
    h('label', { class: 'label', for: 'file', text: t('backup.restore.file') }),
    h('div', { class: 'hint', id: 'file-hint', text: t('backup.restore.file_hint') }),
    h('input', { class: 'file-upload', id: 'file', name: 'file', type: 'file', accept: '.recourse', 'aria-describedby': 'file-hint' }));
  const form = formOf(
    fileGroup,
    passphraseField('passphrase', t('backup.restore.passphrase'), t('backup.restore.passphrase_hint'), 'off'),
    submitButton(t(fresh ? 'backup.restore.submit' : 'backup.restore.submit_replace')));
  form.dataset.noDraft = 'true';
  main.append(
    backLink(fresh ? '/' : '/backup'),
    heading(t('backup.restore.heading')),
    para(t(fresh ? 'backup.restore.intro_fresh' : 'backup.restore.intro_replace'), 'body-l'));
  if (!fresh) {
    main.append(para(t('backup.restore.kept')), warningText(t('backup.restore.since')));
  }
  main.append(form);
  onSubmit(form, async () => {
    const file = form.elements.file.files && form.elements.file.files[0];
    const pass = form.elements.passphrase.value;
    const problems = [];
    if (!file) problems.push({ field: 'file', text: t('backup.restore.error_none') });
    else if (file.size === 0) problems.push({ field: 'file', text: t('backup.restore.error_empty', { name: file.name }) });
    if (pass.length === 0) problems.push({ field: 'passphrase', text: t('backup.restore.error_empty_passphrase') });
    if (problems.length) return problems;
    const button = form.querySelector('button');
    const label = button.textContent;
    button.textContent = t('backup.restore.working');
    let answer;
    try {
      answer = await upload('/api/v1/vault/import', file, { replace: fresh ? '' : 'yes' },
        { 'X-Recourse-Passphrase': encodeURIComponent(pass), 'Content-Type': 'application/octet-stream' });
    } catch (err) {
      if (err.status === 401 && err.field === 'passphrase') {
        return [{ field: 'passphrase', text: t('backup.restore.error_wrong') }];
      }
      if (err.status === 400 && err.field === 'file' && err.reason === 'backup_cut_short') {
        return [{ field: 'file', text: t('backup.restore.error_cut_short', { name: file.name }) }];
      }
      if (err.status === 400 && err.field === 'file') {
        return [{ field: 'file', text: t('backup.restore.error_damaged', { name: file.name }) }];
      }
      throw err;
    } finally {
      button.textContent = label;
    }
    form.reset();
    setCsrf(answer.csrf_token);
    if (done) await done();
    else go('/', { replace: true });
    return [];
  }, { file: 'file', passphrase: 'passphrase' }, 'file');
}
