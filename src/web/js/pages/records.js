// Get your records: a records request from the interview in forms/records-request.json,
// saved on every page, checked, made into a letter, marked as sent, then followed: its due
// date worked out from the law (and how), what happened since, and the next letter.
import { h } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, submitButton, formOf, onSubmit, link, backLink, go, valueOf, summaryList,
  buttonLink, tag, textField, textArea, selectField, warningText, longDate,
} from '../view.js';

const enc = encodeURIComponent;

function statusTag(status) {
  const colours = { draft: 'grey', awaiting: 'blue', extended: 'blue', overdue: 'red', partially_fulfilled: 'yellow',
    fulfilled: '', denied: 'red', escalated: 'blue', withdrawn: 'grey', closed: 'grey' };
  return tag(has(`records.status.${status}`) ? t(`records.status.${status}`) : status, colours[status]);
}

function dueText(r) {
  if (r.status === 'draft') return t('records.due.not_sent');
  if (r.due) {
    if (r.days_left < 0) return t('records.due.overdue', { date: longDate(r.due), days: -r.days_left });
    if (r.days_left === 0) return t('records.due.today', { date: longDate(r.due) });
    return t('records.due.by', { date: longDate(r.due), days: r.days_left });
  }
  return r.no_due_reason || '';
}

export async function list({ id }) {
  const [kase, { requests }] = await Promise.all([
    api('GET', `/api/v1/cases/${enc(id)}`), api('GET', `/api/v1/cases/${enc(id)}/requests`)]);
  const main = page('records.list.title');
  main.append(backLink(`/cases/${id}`),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: kase.provider.name }) }),
    heading(t('records.list.heading')), para(t('records.list.intro')), para(t('records.list.how')));
  if (requests.length) {
    main.append(h('ul', { class: 'case-list' }, requests.map((r) => h('li', { class: 'case-list-item' },
      h('h2', { class: 'heading-s' }, link(r.status === 'draft' ? `/requests/${r.id}/check` : `/requests/${r.id}`,
        t('records.list.to', { name: r.custodian }))),
      h('p', { class: 'body' }, statusTag(r.status), ' ', dueText(r))))));
  }
  const f = formOf(submitButton(t(requests.length ? 'records.list.start_another' : 'records.list.start')));
  main.append(f, h('p', { class: 'body' }, link(`/cases/${id}`, t('incidents.list.back_to_case'))));
  onSubmit(f, async () => {
    const r = await api('POST', `/api/v1/cases/${enc(id)}/requests`, {});
    go(`/requests/${r.id}/step/${r.interview.steps.find((x) => x.visible).id}`);
    return [];
  }, {}, 'page-heading');
}

const kEvents = ['acknowledged', 'extension_notice', 'fee_quoted', 'fee_paid', 'received_partial', 'received_complete',
  'denied', 'followup_sent', 'escalated', 'withdrawn', 'closed'];

function explanation(d) {
  const g = d.governing;
  const box = h('details', { class: 'details' },
    h('summary', { class: 'details-summary', text: t('records.request.how') }),
    h('div', { class: 'details-text' },
      para(t('records.request.rule', { law: g.law, place: g.jurisdiction })),
      g.citation ? para(t('board.source', { citation: g.citation }), 'body-s') : null,
      h('ul', { class: 'list list-bullet' }, g.explanation.map((line) => h('li', { text: line }))),
      g.skipped.length ? para(t('records.request.skipped', { count: g.skipped.length })) : null,
      g.skipped.length ? h('ul', { class: 'list list-bullet' }, g.skipped.map((s) => h('li', { text: `${longDate(s.date)}: ${s.reason}` }))) : null,
      d.others.length ? para(t('records.request.others')) : null,
      d.others.length ? h('ul', { class: 'list list-bullet' }, d.others.map((o) => h('li', {
        text: t('records.request.other', { law: o.law, place: o.jurisdiction, date: longDate(o.due) }) }))) : null));
  return box;
}

export async function show({ id }) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  const main = page('records.request.title');
  main.append(backLink(`/cases/${r.case_id}/records`),
    h('span', { class: 'caption-l', text: t('records.list.to', { name: r.custodian }) }),
    heading(t('records.request.heading')),
    h('p', { class: 'body-l' }, statusTag(r.status), ' ', dueText(r)));
  if (r.status === 'draft') {
    main.append(para(t('records.request.draft')), buttonLink(`/requests/${id}/check`, t('records.request.to_check')));
  }
  if (r.deadline) main.append(explanation(r.deadline));
  if (r.next.length) {
    main.append(h('h2', { class: 'heading-m', text: t('records.request.next_heading') }),
      h('ul', { class: 'case-list' }, r.next.map((n) => h('li', { class: 'case-list-item' },
        h('p', { class: 'body' }, h('strong', { text: n.label }), n.by ? ` ${t('records.request.next_by', { date: longDate(n.by) })}` : ''),
        n.note ? para(n.note, 'body-s') : null,
        n.form ? h('p', { class: 'body' }, h('a', { class: 'link', href: `/api/v1/requests/${enc(id)}/letter.pdf?form=${enc(n.form)}`,
          download: `${n.form}.pdf`, text: t('records.request.make_letter') })) : null))));
  }
  if (r.status !== 'draft') {
    const change = `/requests/${id}/details`;
    main.append(h('h2', { class: 'heading-m', text: t('records.request.details_heading') }), summaryList([
      { key: t('records.details.custodian_name'), value: r.custodian, href: change },
      { key: t('records.details.custodian_address'), value: r.custodian_address ? r.custodian_address.split('\n') : '', href: change },
      { key: t('records.details.custodian_email'), value: r.custodian_email, href: change },
      { key: t('records.details.reference'), value: r.reference, href: change },
      { key: t('records.details.sent_on'), value: r.sent_on ? longDate(r.sent_on) : '', href: change },
    ]));
  }
  main.append(h('h2', { class: 'heading-m', text: t('records.request.events_heading') }));
  if (r.events.length) {
    main.append(h('ol', { class: 'timeline' }, r.events.map((e) => h('li', { class: 'timeline-item' },
      h('p', { class: 'timeline-when', text: longDate(e.on) }),
      h('p', { class: 'body' }, t(`records.event.${e.type}`), e.via ? ` (${t(`records.via.${e.via}`)})` : ''),
      e.details ? para(e.details, 'body-s') : null))));
  } else {
    main.append(para(t('records.request.no_events')));
  }
  if (r.status !== 'draft') {
    const f = formOf(
      selectField({ id: 'type', label: t('records.request.event_type'),
        options: [{ value: '', label: t('records.request.event_choose') }, ...kEvents.map((e) => ({ value: e, label: t(`records.event.${e}`) }))] }),
      textField({ id: 'on', label: t('records.request.event_on'), type: 'date' }),
      textArea({ id: 'details', label: t('records.request.event_details'), optional: true, rows: 3 }),
      submitButton(t('records.request.event_submit')));
    main.append(h('h2', { class: 'heading-m', text: t('records.request.record_heading') }), f);
    onSubmit(f, async () => {
      const problems = [];
      if (!valueOf(f, 'type')) problems.push({ field: 'type', text: t('records.request.error_type') });
      if (!valueOf(f, 'on')) problems.push({ field: 'on', text: t('records.request.error_on') });
      if (problems.length) return problems;
      await api('POST', `/api/v1/requests/${enc(id)}/events`, { type: valueOf(f, 'type'), on: valueOf(f, 'on'), details: f.elements.details.value.trim() });
      await show({ id });
      return [];
    }, { type: 'type', on: 'on', details: 'details', via: 'type' }, 'type');
  }
  main.append(h('p', { class: 'body' }, link(`/requests/${id}/remove`, t('records.request.remove'))),
    h('p', { class: 'body' }, link(`/cases/${r.case_id}/records`, t('records.request.back'))));
}

export async function remove({ id }) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  const main = page('records.remove.title');
  const f = formOf(h('div', { class: 'button-group' },
    h('button', { type: 'submit', class: 'button warning', text: t('records.remove.confirm') }),
    link(`/requests/${id}`, t('records.remove.keep'))));
  main.append(backLink(`/requests/${id}`), heading(t('records.remove.heading')),
    para(t('records.remove.what', { name: r.custodian })), warningText(t('records.remove.warning')), f);
  onSubmit(f, async () => {
    await api('DELETE', `/api/v1/requests/${enc(id)}`);
    go(`/cases/${r.case_id}/records`, { replace: true });
    return [];
  }, {}, 'page-heading');
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
    submitButton(t('records.details.submit')));
  main.append(backLink(`/requests/${id}`),
    h('span', { class: 'caption-l', text: t('records.list.to', { name: r.custodian }) }),
    heading(t('records.details.heading')), para(t('records.details.intro')), f);
  onSubmit(f, async () => {
    const body = {
      custodian_name: f.elements.custodian_name.value.trim(),
      custodian_address: f.elements.custodian_address.value.trim(),
      custodian_email: f.elements.custodian_email.value.trim(),
      reference: f.elements.reference.value.trim(),
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
