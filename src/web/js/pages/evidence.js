// Evidence: files kept for a case. Each upload is sealed as it arrives and fingerprinted
// (SHA-256); the list shows each fingerprint and when it was taken in, the files can be
// checked against them at any time, and each original downloads back unchanged.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api, upload } from '../api.js';
import {
  page, heading, para, textField, textArea, selectField, submitButton, formOf, onSubmit, link,
  backLink, go, valueOf, buttonLink, insetText, longDate,
  confirmRemoval,
} from '../view.js';
import { whenText } from './when.js';
import { finishedForm } from './finished.js';

await need('cases', 'evidence');

const enc = encodeURIComponent;

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return t('evidence.size_mb', { n: (bytes / (1024 * 1024)).toFixed(1) });
  if (bytes >= 1024) return t('evidence.size_kb', { n: (bytes / 1024).toFixed(1) });
  return t('evidence.size_bytes', { n: bytes });
}

function dateTimeText(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(document.documentElement.lang || 'en',
    { dateStyle: 'long', timeStyle: 'short' }).format(d);
}

function item(e, incidents, checked) {
  const about = incidents.find((i) => i.id === e.incident_id);
  const rows = [
    [t('evidence.added'), dateTimeText(e.intake_at)],
    [t('evidence.kind'), `${t(`evidence.type.${e.media_type.replace(/[^a-z]/g, '_')}`)} · ${sizeText(e.size_bytes)}`],
  ];
  if (e.date) rows.push([t('evidence.from'), longDate(e.date)]);
  if (about) rows.push([t('evidence.about'), `${about.summary} (${whenText(about)})`]);
  const state = checked && checked.get(e.id);
  return h('li', { class: 'evidence-item' },
    h('h3', { class: 'heading-s', text: e.original_name }),
    e.description ? para(e.description) : null,
    h('dl', { class: 'contact-list' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]),
      h('dt', { text: t('evidence.fingerprint') }), h('dd', {}, h('code', { class: 'fingerprint', text: e.sha256 }))),
    state ? para(state.intact ? t('evidence.intact') : t('evidence.damaged'),
      state.intact ? 'body check-ok' : 'body check-bad') : null,
    h('p', { class: 'body' },
      h('a', { class: 'link', href: `/api/v1/evidence/${enc(e.id)}/file`, download: e.original_name },
        t('evidence.download'), h('span', { class: 'visually-hidden', text: ` ${e.original_name}` })),
      ' · ',
      h('a', { class: 'link', href: `/evidence/${enc(e.id)}/change`, 'data-nav': true },
        t('common.change'), h('span', { class: 'visually-hidden', text: ` ${e.original_name}` })),
      ' · ',
      h('a', { class: 'link', href: `/evidence/${enc(e.id)}/remove`, 'data-nav': true },
        t('evidence.remove'), h('span', { class: 'visually-hidden', text: ` ${e.original_name}` }))));
}

export async function list({ id }, checked) {
  const [kase, ev, { incidents }] = await Promise.all([
    api('GET', `/api/v1/cases/${enc(id)}`), api('GET', `/api/v1/cases/${enc(id)}/evidence`),
    api('GET', `/api/v1/cases/${enc(id)}/incidents`)]);
  const main = page('evidence.list.title');
  main.append(backLink(`/cases/${id}`),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: kase.provider.name }) }),
    heading(t('evidence.list.heading')), para(t('evidence.list.intro')),
    buttonLink(`/cases/${id}/evidence/new`, t('evidence.list.add')));
  if (ev.evidence.length === 0) {
    main.append(para(t('evidence.list.none')));
  } else {
    if (checked) {
      const bad = [...checked.values()].filter((c) => !c.intact).length;
      main.append(h('div', { class: bad ? 'error-summary' : 'notification', role: 'status', tabindex: '-1', id: 'check-result' },
        para(bad ? t('evidence.check.problems', { count: bad }) : t('evidence.check.all_intact', { count: checked.size }))));
    }
    main.append(h('h2', { class: 'heading-m', text: t('evidence.list.kept', { count: ev.evidence.length }) }),
      h('ul', { class: 'evidence-list' }, ev.evidence.map((e) => item(e, incidents, checked))));
    const checkForm = formOf(h('button', { type: 'submit', class: 'button secondary', text: t('evidence.check.button') }));
    main.append(para(t('evidence.check.intro')), checkForm);
    onSubmit(checkForm, async () => {
      const r = await api('GET', `/api/v1/cases/${enc(id)}/evidence/check`);
      await list({ id }, new Map(r.checked.map((c) => [c.id, c])));
      const result = document.getElementById('check-result');
      if (result) result.focus();
      return [];
    }, {}, 'page-heading');
  }
  await finishedForm(main, id, 'evidence');
  main.append(h('p', { class: 'body' }, link(`/cases/${id}`, t('common.back_to_case'))));
}

// What is said about a file, as a form: its description, the day it is from and the incident
// it shows. `e` fills it in when correcting.
function aboutFields(incidents, e = {}) {
  return [
    textArea({ id: 'description', label: t('evidence.add.description'), hint: t('evidence.add.description_hint'),
      optional: true, rows: 3, value: e.description || '' }),
    textField({ id: 'date', label: t('evidence.add.date'), hint: t('evidence.add.date_hint'), type: 'date',
      optional: true, value: e.date || '' }),
    incidents.length ? selectField({ id: 'incident', label: t('evidence.add.incident'), optional: true, value: e.incident_id || '',
      options: [{ value: '', label: t('evidence.add.incident_none') },
        ...incidents.map((i) => ({ value: i.id, label: `${i.summary} (${whenText(i)})` }))] }) : null,
  ];
}

// /evidence/:id/change: correcting what is said about a file (never the file itself).
export async function change({ id }) {
  const e = await api('GET', `/api/v1/evidence/${enc(id)}`);
  const { incidents } = await api('GET', `/api/v1/cases/${enc(e.case_id)}/incidents`);
  const main = page('evidence.change.title');
  const f = formOf(...aboutFields(incidents, e), submitButton(t('common.save_changes')));
  main.append(backLink(`/cases/${e.case_id}/evidence`),
    h('span', { class: 'caption-l', text: e.original_name }),
    heading(t('evidence.change.heading')), para(t('evidence.change.intro')), f);
  onSubmit(f, async () => {
    await api('PATCH', `/api/v1/evidence/${enc(id)}`, {
      description: f.elements.description.value.trim(), date: valueOf(f, 'date'),
      incident_id: f.elements.incident ? valueOf(f, 'incident') : '', version: e.version,
    });
    go(`/cases/${e.case_id}/evidence`);
    return [];
  }, { description: 'description', date: 'date', incident_id: 'incident' }, 'description');
}

export async function add({ id }) {
  const [ev, { incidents }] = await Promise.all([
    api('GET', `/api/v1/cases/${enc(id)}/evidence`), api('GET', `/api/v1/cases/${enc(id)}/incidents`)]);
  const main = page('evidence.add.title');
  const fileGroup = h('div', { class: 'form-group', 'data-group-for': 'file' },
    h('h1', { class: 'label-wrapper' }, h('label', { class: 'label label-l', for: 'file', text: t('evidence.add.file') })),
    h('div', { class: 'hint', id: 'file-hint', text: t('evidence.add.file_hint', { max: ev.max_size }) }),
    h('input', { class: 'file-upload', id: 'file', name: 'file', type: 'file', 'aria-describedby': 'file-hint' }));
  const f = formOf(
    fileGroup,
    ...aboutFields(incidents),
    insetText(para(t('evidence.add.kept'))),
    submitButton(t('evidence.add.submit')));
  main.append(backLink(`/cases/${id}/evidence`), f);
  onSubmit(f, async () => {
    const input = f.elements.file;
    const file = input.files && input.files[0];
    if (!file) return [{ field: 'file', text: t('evidence.add.error_none') }];
    if (file.size === 0) return [{ field: 'file', text: t('evidence.add.error_empty', { name: file.name }) }];
    if (file.size > ev.max_bytes) return [{ field: 'file', text: t('evidence.add.error_large', { name: file.name, max: ev.max_size }) }];
    const button = f.querySelector('button[type=submit]');
    button.textContent = t('evidence.add.sending');
    try {
      await upload(`/api/v1/cases/${enc(id)}/evidence`, file, {
        name: file.name, description: f.elements.description.value.trim(), date: valueOf(f, 'date'),
        incident_id: f.elements.incident ? valueOf(f, 'incident') : '',
      });
    } finally {
      button.textContent = t('evidence.add.submit');
    }
    go(`/cases/${id}/evidence`);
    return [];
  }, { file: 'file', name: 'file', description: 'description', date: 'date', incident_id: 'incident' }, 'file');
}

export async function remove({ id }) {
  const e = await api('GET', `/api/v1/evidence/${enc(id)}`);
  confirmRemoval({
    messages: 'evidence.remove', back: `/cases/${e.case_id}/evidence`, after: `/cases/${e.case_id}/evidence`,
    body: [para(t('evidence.remove.what', { name: e.original_name }))],
    warning: t('evidence.remove.warning'),
    remove: () => api('DELETE', `/api/v1/evidence/${enc(id)}`),
  });
}
