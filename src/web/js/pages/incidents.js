// What happened: the timeline of a case, and each incident noted in short steps (what,
// when, what kind of harm), each saved as the person goes. Only the one-line summary is
// ever needed; the person's own words are kept exactly as written.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, textField, textArea, radios, checkboxes, submitButton, formOf, onSubmit,
  link, backLink, go, valueOf, checkedValues, summaryList, buttonLink, tag, longDate,
  confirmRemoval,
} from '../view.js';
import { finishedForm } from './finished.js';
import { whenText } from './when.js';

await need('cases', 'incidents');

const enc = encodeURIComponent;

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
      h('p', { class: 'body' }, h('a', { class: 'link', href: `/api/v1/cases/${enc(id)}/timeline.pdf`, download: 'timeline.pdf',
        text: t('incidents.list.download') })));
  }
  await finishedForm(main, id, 'incidents');
  main.append(h('p', { class: 'body' }, link(`/cases/${id}`, t('common.back_to_case'))));
}

// Step 1, new: the summary and (if they want) their own words; saving makes the incident.
export async function add({ id }) {
  await api('GET', `/api/v1/cases/${enc(id)}`);
  renderWhat({ backHref: `/cases/${id}/incidents`, incident: null, onSave: async (body) => {
    const made = await api('POST', `/api/v1/cases/${enc(id)}/incidents`, body);
    // Back from the next step returns to this incident's own "what" page, not a blank one.
    window.history.replaceState(null, '', `/incidents/${made.id}/what`);
    go(`/incidents/${made.id}/when`);
  } });
}

export async function what({ id }) {
  const i = await api('GET', `/api/v1/incidents/${enc(id)}`);
  renderWhat({ backHref: `/incidents/${id}`, incident: i, onSave: async (body) => {
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, body);
    go(`/incidents/${id}/when`);
  } });
}

function renderWhat({ backHref, incident, onSave }) {
  const main = page('incidents.what.title');
  const f = formOf(
    textField({ id: 'summary', label: t('incidents.what.summary'), hint: t('incidents.what.summary_hint'),
      value: incident ? incident.summary : '', width: 'full' }),
    textArea({ id: 'narrative', label: t('incidents.what.narrative'), hint: t('incidents.what.narrative_hint'),
      value: incident ? incident.narrative : '', optional: true, rows: 8 }),
    submitButton(t('common.save_continue')));
  main.append(backLink(backHref), heading(t('incidents.what.heading')), para(t('incidents.what.intro')), f);
  onSubmit(f, async () => {
    const summary = valueOf(f, 'summary');
    if (!summary) return [{ field: 'summary', text: t('incidents.what.error_summary') }];
    // Their own words exactly as written: not trimmed.
    await onSave({ summary, narrative: f.elements.narrative.value });
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
  main.append(backLink(`/incidents/${id}/what`), f);
  onSubmit(f, async () => {
    const c = valueOf(f, 'when');
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
      go(`/incidents/${id}/harms`);
      return [];
    }
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, body);
    go(`/incidents/${id}/harms`);
    return [];
  }, { date: 'exact-date', date_end: 'range-end', date_text: 'approximate-text', precision: 'when' }, 'when');
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
  main.append(backLink(`/incidents/${id}/when`), f);
  onSubmit(f, async () => {
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, { harm_kinds: checkedValues(f, 'harm_kinds') });
    go(`/incidents/${id}`);
    return [];
  }, { harm_kinds: 'harm-kinds' }, 'harm-kinds');
}

export async function more({ id }) {
  const i = await api('GET', `/api/v1/incidents/${enc(id)}`);
  const main = page('incidents.more.title');
  const f = formOf(
    textArea({ id: 'impact', label: t('incidents.more.impact'), hint: t('incidents.more.impact_hint'), value: i.impact, optional: true }),
    textArea({ id: 'witnesses', label: t('incidents.more.witnesses'), hint: t('incidents.more.witnesses_hint'), value: i.witnesses, optional: true, rows: 3 }),
    submitButton(t('common.save_continue')));
  main.append(backLink(`/incidents/${id}`), heading(t('incidents.more.heading')), para(t('incidents.more.intro')), f);
  onSubmit(f, async () => {
    await api('PATCH', `/api/v1/incidents/${enc(id)}`, { impact: f.elements.impact.value, witnesses: f.elements.witnesses.value });
    go(`/incidents/${id}`);
    return [];
  }, { impact: 'impact', witnesses: 'witnesses' }, 'impact');
}

// One incident, every answer with a Change link.
export async function check({ id }) {
  const i = await api('GET', `/api/v1/incidents/${enc(id)}`);
  const main = page('incidents.check.title');
  main.append(backLink(`/cases/${i.case_id}/incidents`), heading(t('incidents.check.heading')),
    summaryList([
      { key: t('incidents.check.summary'), value: i.summary, href: `/incidents/${id}/what` },
      { key: t('incidents.check.narrative'), value: i.narrative || '', href: `/incidents/${id}/what` },
      { key: t('incidents.check.when'), value: whenText(i), href: `/incidents/${id}/when` },
      { key: t('incidents.check.harms'), value: i.harm_labels.length ? i.harm_labels : '', href: `/incidents/${id}/harms` },
      { key: t('incidents.check.impact'), value: i.impact || '', href: `/incidents/${id}/more` },
      { key: t('incidents.check.witnesses'), value: i.witnesses || '', href: `/incidents/${id}/more` },
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
