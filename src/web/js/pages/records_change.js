// Changing a records request after it was made: correcting or removing one recorded event,
// correcting who holds the records and the day the letter was sent, and removing the
// request. Its own module, so the request's own pages (records.js) carry none of it.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, submitButton, formOf, onSubmit, link, backLink, go, valueOf,
  textField, textArea, radios, longDate, confirmRemoval,
} from '../view.js';
import { eventLabel } from './notices.js';

await need('records');

const enc = encodeURIComponent;

async function requestAndEvent(id, eventId) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  const e = r.events.find((x) => x.id === eventId);
  if (!e) throw Object.assign(new Error('not found'), { status: 404, code: 'not_found' });
  return [r, e];
}

const kVia = ['email', 'mail', 'portal', 'fax', 'in_person'];

// /requests/:id/events/:event: correcting one recorded event (its day, how it was sent, the
// notes, a follow-up's reply time); its kind stays, so a wrong kind is removed instead.
export async function eventChange({ id, event }) {
  const [r, e] = await requestAndEvent(id, event);
  const main = page('records.event_change.title');
  const sending = e.type === 'sent' || e.type === 'followup_sent';
  const f = formOf(
    textField({ id: 'on', label: t('records.event_change.on'), hint: t('records.event_change.on_hint'), type: 'date', value: e.on }),
    sending ? radios({ id: 'via', legend: t('records.sent.via'), value: e.via || '', optional: e.type !== 'sent',
      options: kVia.map((v) => ({ value: v, label: t(`records.via.${v}`) })) }) : null,
    e.type === 'followup_sent' ? textField({ id: 'reply_within_days', label: t('records.event_change.reply'),
      hint: t('records.event_change.reply_hint'), value: e.reply_within_days ? String(e.reply_within_days) : '',
      optional: true, inputmode: 'numeric', width: 'xs' }) : null,
    textArea({ id: 'details', label: t('records.request.event_details'), value: e.details || '', optional: true, rows: 3 }),
    submitButton(t('common.save_changes')));
  main.append(backLink(`/requests/${id}`),
    h('span', { class: 'caption-l', text: t('records.list.to', { name: r.custodian }) }),
    heading(t('records.event_change.heading')),
    para(t('records.event_change.what', { what: eventLabel(r.kind, e.type), date: longDate(e.on) })),
    para(t('records.event_change.intro')), f,
    h('p', { class: 'body' }, link(`/requests/${id}/events/${event}/remove`, t('records.event_change.remove'))));
  onSubmit(f, async () => {
    const body = { on: valueOf(f, 'on'), details: f.elements.details.value.trim(), version: e.version };
    const problems = [];
    if (!body.on) problems.push({ field: 'on', text: t('records.request.error_on') });
    if (sending) body.via = valueOf(f, 'via');
    if (e.type === 'sent' && !body.via) problems.push({ field: 'via', text: t('records.sent.error_via') });
    if (f.elements.reply_within_days) {
      const days = f.elements.reply_within_days.value.trim();
      if (days && !/^[0-9]{1,3}$/.test(days)) problems.push({ field: 'reply_within_days', text: t('records.event_change.error_reply') });
      else if (days) body.reply_within_days = Number(days);
    }
    if (problems.length) return problems;
    await api('PATCH', `/api/v1/request-events/${enc(event)}`, body);
    go(`/requests/${id}`);
    return [];
  }, { on: 'on', via: 'via', details: 'details', reply_within_days: 'reply_within_days' }, 'on');
}

// /requests/:id/events/:event/remove
export async function eventRemove({ id, event }) {
  const [r, e] = await requestAndEvent(id, event);
  confirmRemoval({
    messages: 'records.event_remove', back: `/requests/${id}`, after: `/requests/${id}`,
    body: [para(t('records.event_remove.what', { what: eventLabel(r.kind, e.type), date: longDate(e.on) }))],
    warning: t('records.event_remove.warning'),
    remove: () => api('DELETE', `/api/v1/request-events/${enc(event)}`),
  });
}

export async function remove({ id }) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  confirmRemoval({
    messages: 'records.remove', back: `/requests/${id}`, after: `/cases/${r.case_id}/records`,
    body: [para(t('records.remove.what', { name: r.custodian }))],
    warning: t('records.remove.warning'),
    remove: () => api('DELETE', `/api/v1/requests/${enc(id)}`),
  });
}

// /requests/:id/details: correcting who holds the records, their reference and the day the
// letter was sent (the due date is worked out again from it).
export async function details({ id }) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  const main = page('records.details.title');
  const f = formOf(
    textField({ id: 'custodian_name', label: t('records.details.custodian_name'), value: r.custodian, width: 'l', autocomplete: 'organization' }),
    textArea({ id: 'custodian_address', label: t('records.details.custodian_address'), value: r.custodian_address, optional: true, rows: 4 }),
    textField({ id: 'custodian_email', label: t('records.details.custodian_email'), value: r.custodian_email, optional: true, type: 'email', width: 'l', spellcheck: false }),
    textField({ id: 'reference', label: t('records.details.reference'), hint: t('records.details.reference_hint'), value: r.reference, optional: true, width: 'm' }),
    r.sent_on ? textField({ id: 'sent_on', label: t('records.details.sent_on'), hint: t('records.details.sent_on_hint'), value: r.sent_on, type: 'date' }) : null,
    submitButton(t('common.save_changes')));
  main.append(backLink(`/requests/${id}`),
    h('span', { class: 'caption-l', text: t('records.list.to', { name: r.custodian }) }),
    heading(t('records.details.heading')), para(t('records.details.intro')), f);
  onSubmit(f, async () => {
    const body = {
      custodian_name: f.elements.custodian_name.value.trim(),
      custodian_address: f.elements.custodian_address.value.trim(),
      custodian_email: f.elements.custodian_email.value.trim(),
      reference: f.elements.reference.value.trim(),
      version: r.version,
    };
    const problems = [];
    if (!body.custodian_name) problems.push({ field: 'custodian_name', text: t('records.details.error_name') });
    if (f.elements.sent_on) {
      body.sent_on = valueOf(f, 'sent_on');
      if (!body.sent_on) problems.push({ field: 'sent_on', text: t('records.details.error_sent_on') });
    }
    if (problems.length) return problems;
    await api('PATCH', `/api/v1/requests/${enc(id)}`, body);
    go(`/requests/${id}`);
    return [];
  }, { custodian_name: 'custodian_name', custodian_address: 'custodian_address', custodian_email: 'custodian_email',
    reference: 'reference', sent_on: 'sent_on' }, 'custodian_name');
}
