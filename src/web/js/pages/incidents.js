// What happened: the timeline of a case, and each incident noted in short steps (what,
// when, where or how, what kind of harm, more), each saved as the person goes. Only the
// one-line summary is ever needed; the person's own words are kept exactly as written.
// The questions are forms/incident-log.json's (its steps what, where and more drawn as an
// interview page is); when it happened and the kinds of harm have pages of their own, as a
// date may be given in several ways and the kinds come from the harm taxonomy.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, textField, radios, checkboxes, submitButton, formOf, onSubmit,
  link, backLink, go, valueOf, checkedValues, summaryList, buttonLink, tag,
  confirmRemoval, pdfLink,
} from '../view.js';
import { finishedForm } from './finished.js';
import { whenText } from './when.js';
import { stepControls, readStep, answerText } from './interview.js';

await need('cases', 'incidents');

const enc = encodeURIComponent;

let formCache = null;
async function incidentForm() {
  if (!formCache) formCache = await api('GET', '/api/v1/forms/incident-log');
  return formCache;
}
const stepOf = (form, id) => form.steps.find((s) => s.id === id);
// The page after this one: the next step, or the entry's own page when the person came from
// its Change link (?return=check).
const returning = () => new URLSearchParams(window.location.search).get('return') === 'check';
const nextOr = (id, next) => (returning() ? `/incidents/${id}` : `/incidents/${id}/${next}`);
const backOr = (id, previous) => (returning() ? `/incidents/${id}` : previous);
const fieldOf = (form, id) => form.steps.flatMap((s) => s.fields).find((f) => f.id === id);
const labelOf = (field) => field.label.replace(` ${t('common.optional')}`, '');

// A step of the form as a page: its title as the heading (or its only question), its intro,
// the incident's answers in its controls.
function formStep(main, step, incident, back) {
  const f = formOf(...stepControls(step, incident || {}), submitButton(t('common.save_continue')));
  const single = step.fields.length === 1;
  main.append(backLink(back), single ? null : heading(step.title), step.intro ? para(step.intro) : null, f);
  return f;
}

function approximate(i) {
  return i.date_precision === 'approximate' || (i.date_text && i.date_precision !== 'exact');
}

export async function list({ id }) {
  const [kase, { incidents }] = await Promise.all([
    api('GET', `/api/v1/cases/${enc(id)}`), api('GET', `/api/v1/cases/${enc(id)}/incidents`)]);
  const main = page('incidents.list.title');
  main.append(backLink(`/cases/${id}`),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: kase.provider.name }) }),
    heading(t('incidents.list.heading')), para(t('incidents.list.intro')),
    buttonLink(`/cases/${id}/incidents/new`, t('incidents.list.add')));
  if (incidents.length === 0) {
    main.append(para(t('incidents.list.none')));
  } else {
    main.append(h('h2', { class: 'heading-m', text: t('incidents.list.timeline') }),
      h('ol', { class: 'timeline' }, incidents.map((i) => h('li', { class: 'timeline-item' },
        h('p', { class: 'timeline-when' }, whenText(i), approximate(i) ? [' ', tag(t('incidents.approximate'), 'grey')] : null),
        h('h3', { class: 'heading-s' }, link(`/incidents/${i.id}`, i.summary)),
        i.harm_labels.length ? para(i.harm_labels.join(' · '), 'body-s') : null))),
      pdfLink(`/api/v1/cases/${enc(id)}/timeline.pdf`, 'timeline.pdf', t('incidents.list.download')),
      para(t('incidents.list.download_hint'), 'body-s'));
  }
  await finishedForm(main, id, 'incidents');
  main.append(h('p', { class: 'body' }, link(`/cases/${id}`, t('common.back_to_case'))));
}

// Step 1, new: the summary and (if they want) their own words; saving makes the incident.
export async function add({ id }) {
  const [form] = await Promise.all([incidentForm(), api('GET', `/api/v1/cases/${enc(id)}`)]);
  renderWhat({ form, backHref: `/cases/${id}/incidents`, incident: null, onSave: async (body) => {
    const made = await api('POST', `/api/v1/cases/${enc(id)}/incidents`, body);
    // Back from the next step returns to this incident's own "what" page, not a blank one.
    window.history.replaceState(null, '', `/incidents/${made.id}/what`);
    go(`/incidents/${made.id}/when`);
  } });
}

export async function what({ id }) {
  const [form, i] = await Promise.all([incidentForm(), api('GET', `/api/v1/incidents/${enc(id)}`)]);
  renderWhat({ form, backHref: `/incidents/${id}`, incident: i, onSave: async (body) => {
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, { ...body, version: i.version });
    go(nextOr(id, 'when'));
  } });
}

function renderWhat({ form, backHref, incident, onSave }) {
  const main = page('incidents.what.title');
  const f = formStep(main, stepOf(form, 'what'), incident, backHref);
  onSubmit(f, async () => {
    const answers = readStep(f, stepOf(form, 'what'));
    if (!answers.summary) return [{ field: 'summary', text: t('incidents.what.error_summary') }];
    // Their own words exactly as written: not trimmed.
    await onSave({ summary: answers.summary, narrative: answers.narrative });
    return [];
  }, { summary: 'summary', narrative: 'narrative' }, 'summary');
}

export async function when({ id }) {
  const i = await api('GET', `/api/v1/incidents/${enc(id)}`);
  const main = page('incidents.when.title');
  let choice = '';
  if (i.date_precision === 'exact') choice = 'exact';
  else if (i.date_precision === 'range' || i.date_precision === 'recurring') choice = 'range';
  else if (i.date_precision === 'approximate') choice = 'approximate';
  const f = formOf(
    radios({ id: 'when', legend: t('incidents.when.heading'), asHeading: true, hint: t('incidents.when.hint'), value: choice,
      options: [
        { value: 'exact', label: t('incidents.when.exact'),
          conditional: textField({ id: 'exact-date', label: t('incidents.when.date'), type: 'date', value: i.date_precision === 'exact' ? i.date : '' }) },
        { value: 'approximate', label: t('incidents.when.approximate'),
          conditional: textField({ id: 'approximate-text', label: t('incidents.when.approximate_text'),
            hint: t('incidents.when.approximate_hint'), value: i.date_text || '', width: 'm' }) },
        { value: 'range', label: t('incidents.when.range'),
          conditional: h('div', {},
            textField({ id: 'range-start', label: t('incidents.when.range_start'), type: 'date', value: choice === 'range' ? i.date : '' }),
            textField({ id: 'range-end', label: t('incidents.when.range_end'), type: 'date', value: choice === 'range' ? (i.date_end || '') : '' }),
            checkboxes({ id: 'recurring', legend: t('incidents.when.recurring_legend'), values: i.date_precision === 'recurring' ? ['yes'] : [],
              options: [{ value: 'yes', label: t('incidents.when.recurring') }] })) },
        { value: 'unknown', label: t('incidents.when.unknown') },
      ] }),
    submitButton(t('common.save_continue')));
  main.append(backLink(backOr(id, `/incidents/${id}/what`)), f);
  // A refusal of the day is shown on the box the person filled: the day, or a period's start.
  const fields = { date: 'exact-date', date_end: 'range-end', date_text: 'approximate-text', precision: 'when' };
  onSubmit(f, async () => {
    const c = valueOf(f, 'when');
    fields.date = c === 'range' ? 'range-start' : 'exact-date';
    let body;
    if (c === 'exact') {
      const d = valueOf(f, 'exact-date');
      if (!d) return [{ field: 'exact-date', text: t('incidents.when.error_date') }];
      body = { date: d, date_end: '', date_text: '', precision: 'exact' };
    } else if (c === 'approximate') {
      const words = valueOf(f, 'approximate-text');
      if (!words) return [{ field: 'approximate-text', text: t('incidents.when.error_words') }];
      body = { date: '', date_text: words, precision: 'approximate' };
    } else if (c === 'range') {
      const s = valueOf(f, 'range-start');
      const e = valueOf(f, 'range-end');
      const problems = [];
      if (!s) problems.push({ field: 'range-start', text: t('incidents.when.error_start') });
      if (!e) problems.push({ field: 'range-end', text: t('incidents.when.error_end') });
      if (problems.length) return problems;
      body = { date: s, date_end: e, date_text: '', precision: checkedValues(f, 'recurring').length ? 'recurring' : 'range' };
    } else if (c === 'unknown') {
      body = { date: '', date_text: '', precision: 'unknown' };
    } else {
      // Nothing chosen: the date can wait; go on without changing anything.
      go(nextOr(id, 'where'));
      return [];
    }
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, { ...body, version: i.version });
    go(nextOr(id, 'where'));
    return [];
  }, fields, 'when');
}

// Where or how it happened: one question, from the form.
export async function where({ id }) {
  const [form, i] = await Promise.all([incidentForm(), api('GET', `/api/v1/incidents/${enc(id)}`)]);
  const main = page('incidents.where.title');
  const step = stepOf(form, 'where');
  const f = formStep(main, step, i, backOr(id, `/incidents/${id}/when`));
  onSubmit(f, async () => {
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, { channel: readStep(f, step).channel || '', version: i.version });
    go(nextOr(id, 'harms'));
    return [];
  }, { channel: 'channel' }, 'channel');
}

export async function harms({ id }) {
  const [i, { harm_kinds: kinds }] = await Promise.all([
    api('GET', `/api/v1/incidents/${enc(id)}`), api('GET', '/api/v1/harm-kinds')]);
  const main = page('incidents.harms.title');
  const f = formOf(
    checkboxes({ id: 'harm-kinds', name: 'harm_kinds', legend: t('incidents.harms.heading'), asHeading: true, optional: true,
      hint: t('incidents.harms.hint'), values: i.harm_kinds,
      options: kinds.map((k) => ({ value: k.id, label: k.label, hint: k.description })) }),
    submitButton(t('common.save_continue')));
  main.append(backLink(backOr(id, `/incidents/${id}/where`)), f);
  onSubmit(f, async () => {
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, { harm_kinds: checkedValues(f, 'harm_kinds'), version: i.version });
    go(`/incidents/${id}`);
    return [];
  }, { harm_kinds: 'harm-kinds' }, 'harm-kinds');
}

export async function more({ id }) {
  const [form, i] = await Promise.all([incidentForm(), api('GET', `/api/v1/incidents/${enc(id)}`)]);
  const main = page('incidents.more.title');
  const step = stepOf(form, 'more');
  const f = formStep(main, step, i, `/incidents/${id}`);
  onSubmit(f, async () => {
    const answers = readStep(f, step);
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, { impact: answers.impact, witnesses: answers.witnesses, version: i.version });
    go(`/incidents/${id}`);
    return [];
  }, { impact: 'impact', witnesses: 'witnesses' }, 'impact');
}

// One incident, every answer with a Change link.
export async function check({ id }) {
  const [form, i] = await Promise.all([incidentForm(), api('GET', `/api/v1/incidents/${enc(id)}`)]);
  const main = page('incidents.check.title');
  const row = (fieldId, page_) => {
    const field = fieldOf(form, fieldId);
    return { key: labelOf(field), value: answerText(field, i[fieldId]), href: `/incidents/${id}/${page_}?return=check` };
  };
  main.append(backLink(`/cases/${i.case_id}/incidents`), heading(t('incidents.check.heading')),
    summaryList([
      row('summary', 'what'),
      row('narrative', 'what'),
      { key: t('incidents.check.when'), value: whenText(i), href: `/incidents/${id}/when?return=check` },
      row('channel', 'where'),
      { key: t('incidents.check.harms'), value: i.harm_labels.length ? i.harm_labels : '', href: `/incidents/${id}/harms?return=check` },
      row('impact', 'more'),
      row('witnesses', 'more'),
    ]),
    para(t('incidents.check.saved')),
    buttonLink(`/cases/${i.case_id}/incidents`, t('incidents.check.done')),
    h('p', { class: 'body' }, link(`/incidents/${id}/remove`, t('incidents.check.remove'))));
}

export async function remove({ id }) {
  const i = await api('GET', `/api/v1/incidents/${enc(id)}`);
  confirmRemoval({
    messages: 'incidents.remove', back: `/incidents/${id}`, after: `/cases/${i.case_id}/incidents`,
    body: [para(t('incidents.remove.what', { summary: i.summary }))],
    remove: () => api('DELETE', `/api/v1/incidents/${enc(id)}`),
  });
}
