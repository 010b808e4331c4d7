// Get your records: a records request from the interview in forms/records-request.json,
// saved on every page, checked, made into a letter, marked as sent, then followed: its due
// date worked out from the law (and how), what happened since, and the next letter.
import { h } from '../dom.js';
import { t, has, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, submitButton, formOf, onSubmit, link, backLink, go, valueOf, summaryList,
  buttonLink, tag, textField, textArea, selectField, radios, longDate,
  warningText, weekday,
} from '../view.js';
import { noticeText, nextStepText, eventLabel } from './notices.js';

await need('cases', 'records', 'unit');

const enc = encodeURIComponent;

function statusTag(status) {
  const colours = { draft: 'grey', awaiting: 'blue', extended: 'blue', overdue: 'red', partially_fulfilled: 'yellow',
    fulfilled: '', denied: 'red', escalated: 'blue', withdrawn: 'grey', closed: 'grey' };
  return tag(has(`records.status.${status}`) ? t(`records.status.${status}`) : status, colours[status]);
}

// Whether the rule behind the due date could not be checked against the law's own text.
function unconfirmed(r) {
  return Boolean(r.due && r.deadline && r.deadline.governing && r.deadline.governing.verified === false);
}

// When the answer is due, while one is awaited; a request answered, refused, withdrawn,
// closed or taken to the enforcing body waits for nothing more from them.
function dueText(r) {
  if (r.status === 'draft') return t('records.due.not_sent');
  if (['fulfilled', 'denied', 'withdrawn', 'closed', 'escalated'].includes(r.status)) return '';
  if (r.due) {
    if (r.days_left < 0) return t('records.due.overdue', { date: longDate(r.due), days: -r.days_left });
    if (r.days_left === 0) return t('records.due.today', { date: longDate(r.due) });
    return t('records.due.by', { date: longDate(r.due), days: r.days_left });
  }
  return noticeText(r.no_due);
}

// What else the law says that a person asking should know (an electronic copy; that they
// may not be punished for asking or complaining), each with its law, folded away.
function rightNotes(rights) {
  if (!rights.notes.length) return null;
  return h('details', { class: 'details' },
    h('summary', { class: 'details-summary', text: t('records.list.rights') }),
    h('div', { class: 'details-text' }, rights.notes.map((n) => [
      h('h3', { class: 'heading-s', text: t(`records.list.rights_${n.topic}`, { place: n.jurisdiction_name }) }),
      para(n.summary),
      para(t('common.source', { citation: n.citation }), 'body-s'),
      n.verified ? null : para(n.caution || t('records.request.unconfirmed_short'), 'body-s'),
    ]).flat()));
}

export async function list({ id }) {
  const [kase, { requests, rights, damaged }] = await Promise.all([
    api('GET', `/api/v1/cases/${enc(id)}`), api('GET', `/api/v1/cases/${enc(id)}/requests`)]);
  const main = page('records.list.title');
  main.append(backLink(`/cases/${id}`),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: kase.provider.name }) }),
    heading(t('records.list.heading')), para(t('records.list.intro')), para(t('records.list.how')),
    damaged && damaged.length ? warningText(t('records.list.damaged', { count: damaged.length })) : null);
  if (requests.length) {
    main.append(h('ul', { class: 'case-list' }, requests.map((r) => h('li', { class: 'case-list-item' },
      h('h2', { class: 'heading-s' }, link(r.status === 'draft' ? `/requests/${r.id}/check` : `/requests/${r.id}`,
        t('records.list.to', { name: r.custodian }))),
      r.kind && r.kind !== 'access' ? para(t(`records.kind.${r.kind}`), 'body-s') : null,
      h('p', { class: 'body' }, statusTag(r.status), ' ', dueText(r)),
      unconfirmed(r) ? para(t('records.request.unconfirmed_short'), 'body-s') : null))));
  }
  main.append(buttonLink(`/cases/${id}/records/new`, t(requests.length ? 'records.list.start_another' : 'records.list.start')),
    rightNotes(rights),
    h('p', { class: 'body' }, link(`/cases/${id}`, t('common.back_to_case'))));
}

// What to ask for: a copy, a correction, or a list of who the records went to. Each is
// offered where a law Recourse knows gives it, with that law named; one no law of the place
// gives is said plainly rather than offered.
export async function choose({ id }) {
  const [kase, { rights }] = await Promise.all([
    api('GET', `/api/v1/cases/${enc(id)}`), api('GET', `/api/v1/cases/${enc(id)}/requests`)]);
  const known = Boolean(rights.jurisdiction);
  const offered = rights.kinds.filter((k) => !known || k.laws.length || k.kind === 'access');
  const missing = rights.kinds.filter((k) => !offered.includes(k));
  const lawWords = (k) => k.laws.map((l) => t(l.verified ? 'records.choose.law' : 'records.choose.law_unconfirmed',
    { law: l.law, place: l.jurisdiction_name })).join(' ');
  const main = page('records.choose.title');
  // A copy sent straight to someone else (a new therapist) is a copy too, under the same law.
  // A health plan's records of claims go to the plan, which the person names here.
  const plan = textField({ id: 'plan', label: t('records.choose.plan'), hint: t('records.choose.plan_hint'), width: 'l' });
  const options = offered.flatMap((k) => {
    const o = { value: k.kind, label: t(`records.choose.${k.kind}`),
      hint: [t(`records.choose.${k.kind}_hint`), lawWords(k)].filter(Boolean).join(' '),
      conditional: k.kind === 'claims' ? plan : undefined };
    return k.kind === 'access'
      ? [o, { value: 'send_copy', label: t('records.choose.send_copy'), hint: t('records.choose.send_copy_hint') }]
      : [o];
  });
  const f = formOf(
    radios({ id: 'kind', legend: t('records.choose.heading'), asHeading: true, hint: t('records.choose.hint'), options }),
    submitButton(t('common.continue')));
  main.append(backLink(`/cases/${id}/records`),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: kase.provider.name }) }), f);
  if (!known) main.append(para(t('records.choose.no_place'), 'body-s'));
  for (const k of missing) {
    main.append(para(t(`records.choose.${k.kind}_not_here`, { place: rights.jurisdiction_name }), 'body-s'));
  }
  onSubmit(f, async () => {
    const kind = valueOf(f, 'kind');
    if (!kind) return [{ field: 'kind', text: t('records.choose.error_kind') }];
    if (kind === 'claims' && !valueOf(f, 'plan')) return [{ field: 'plan', text: t('records.choose.error_plan') }];
    const r = await api('POST', `/api/v1/cases/${enc(id)}/requests`,
      kind === 'send_copy' ? { kind: 'access', send_to: 'third_party' }
        : kind === 'claims' ? { kind, custodian_name: valueOf(f, 'plan') } : { kind });
    go(`/requests/${r.id}/step/${r.interview.steps.find((x) => x.visible).id}`);
    return [];
  }, { kind: 'kind', custodian_name: 'plan' }, 'kind');
}

// What can be recorded after a request is sent, by what it asked for.
const kEvents = {
  access: ['acknowledged', 'extension_notice', 'fee_quoted', 'fee_paid', 'received_partial', 'received_complete',
    'denied', 'followup_sent', 'escalated', 'withdrawn', 'closed'],
  claims: ['acknowledged', 'extension_notice', 'fee_quoted', 'fee_paid', 'received_partial', 'received_complete',
    'denied', 'followup_sent', 'escalated', 'withdrawn', 'closed'],
  amendment: ['acknowledged', 'extension_notice', 'amended', 'denied', 'disagreement_sent', 'followup_sent',
    'escalated', 'withdrawn', 'closed'],
  accounting: ['acknowledged', 'extension_notice', 'fee_quoted', 'fee_paid', 'received_complete', 'denied',
    'followup_sent', 'escalated', 'withdrawn', 'closed'],
};

// A day that did not count, and why: a weekend, a public holiday, or the clock stopped.
function skippedText(s) {
  const date = longDate(s.date);
  const why = s.kind === 'holiday' ? t('records.request.skipped_holiday', { date, name: s.name })
    : s.kind === 'paused' ? t('records.request.skipped_paused', { date })
      : t('records.request.skipped_weekend', { date, weekday: weekday(s.date) });
  return s.moves_due ? t('records.request.skipped_moves_due', { why }) : why;
}

function explanation(d) {
  const g = d.governing;
  const counted = d.others.filter((o) => !o.informative);
  const shownOnly = d.others.filter((o) => o.informative);
  const steps = [
    t('records.request.explain_rule', { days: t(`unit.${g.day_type}`, { count: g.count }), starts_on: g.starts_on }),
    t('records.request.explain_start', { date: longDate(g.start) }),
    g.day_type === 'calendar_month' ? t('records.request.explain_months', { count: g.count })
      : g.counted_from ? t('records.request.explain_counted', { count: g.days_counted, from: longDate(g.counted_from), to: longDate(g.counted_to) }) : null,
    g.extension ? noticeText(g.extension) : null,
    g.due_before_extension ? t('records.request.explain_before_extension', { date: longDate(g.due_before_extension) }) : null,
    t('records.request.explain_due', { date: longDate(g.due) }),
  ].filter(Boolean);
  const box = h('details', { class: 'details' },
    h('summary', { class: 'details-summary', text: t('records.request.how') }),
    h('div', { class: 'details-text' },
      para(t('records.request.rule', { law: g.law, place: g.jurisdiction })),
      g.citation ? para(t('common.source', { citation: g.citation }), 'body-s') : null,
      g.url ? para(t('records.request.law_at', { url: g.url }), 'body-s') : null,
      g.last_verified ? para(t('records.request.explain_checked', { date: longDate(g.last_verified) }), 'body-s') : null,
      h('ul', { class: 'list list-bullet' }, steps.map((line) => h('li', { text: line }))),
      g.skipped.length ? para(t('records.request.skipped', { count: g.skipped.length })) : null,
      g.skipped.length ? h('ul', { class: 'list list-bullet' }, g.skipped.map((s) => h('li', { text: skippedText(s) }))) : null,
      counted.length ? para(t('records.request.others')) : null,
      counted.length ? h('ul', { class: 'list list-bullet' }, counted.map((o) => h('li', {
        text: t('records.request.other', { law: o.law, place: o.jurisdiction, date: longDate(o.due) }) }))) : null,
      // Time limits that turn on something you may not know (a summary, electronic records):
      // said apart, as they never set the due date.
      shownOnly.length ? para(t('records.request.conditional')) : null,
      shownOnly.length ? h('ul', { class: 'list list-bullet' }, shownOnly.map((o) => h('li', {
        text: t('records.request.conditional_item', { applies_to: o.applies_to, law: o.citation, date: longDate(o.due) }) }))) : null));
  return box;
}

export async function show({ id }) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  const main = page('records.request.title');
  main.append(backLink(`/cases/${r.case_id}/records`),
    h('span', { class: 'caption-l', text: t('records.list.to', { name: r.custodian }) }),
    // A correction or a list of disclosures says so.
    heading(r.kind && r.kind !== 'access' ? t(`records.kind.${r.kind}`) : t('records.request.heading')),
    h('p', { class: 'body-l' }, statusTag(r.status), ' ', dueText(r)),
    unconfirmed(r) ? warningText(r.deadline.governing.caution
      ? t('records.request.unconfirmed', { caution: r.deadline.governing.caution })
      : t('records.request.unconfirmed_short')) : null);
  if (r.status === 'draft') {
    main.append(para(t('records.request.draft')), buttonLink(`/requests/${id}/check`, t('records.request.to_check')));
  }
  if (r.deadline) main.append(explanation(r.deadline));
  if (r.next.length) {
    main.append(h('h2', { class: 'heading-m', text: t('records.request.next_heading') }),
      h('ul', { class: 'case-list' }, r.next.map((n) => {
        const step = nextStepText(n);
        return h('li', { class: 'case-list-item' },
        h('p', { class: 'body' }, h('strong', { text: step.label }), n.by ? ` ${t('records.request.next_by', { date: longDate(n.by) })}` : ''),
        step.note ? para(step.note, 'body-s') : null,
        n.verified === false ? para(t('records.request.unconfirmed_short'), 'body-s') : null,
        // The first letter is made from Check your answers; a later one has its own
        // questions and check page.
        n.form && n.form !== r.interview.form
          ? h('p', { class: 'body' }, link(`/requests/${id}/letters/${n.form}`, t('records.request.write_letter'))) : null);
      })));
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
      h('p', { class: 'body' }, eventLabel(r.kind, e.type), e.via ? ` (${t(`records.via.${e.via}`)})` : ''),
      e.details ? para(e.details, 'body-s') : null,
      h('p', { class: 'body-s timeline-actions' },
        eventLink(`/requests/${id}/events/${e.id}`, 'common.change', e, r.kind),
        ' ', eventLink(`/requests/${id}/events/${e.id}/remove`, 'records.event_change.remove_link', e, r.kind))))));
  } else {
    main.append(para(t('records.request.no_events')));
  }
  if (r.status !== 'draft') {
    const f = formOf(
      selectField({ id: 'type', label: t('records.request.event_type'),
        options: [{ value: '', label: t('records.request.event_choose') },
          ...(kEvents[r.kind] || kEvents.access).map((e) => ({ value: e, label: eventLabel(r.kind, e) }))] }),
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

// "Change" or "Remove" for one event, its hidden words naming which (for screen readers,
// which list links out of their place).
function eventLink(href, key, e, kind) {
  return h('a', { class: 'link', href, 'data-nav': true }, t(key),
    h('span', { class: 'visually-hidden', text: ` ${eventLabel(kind, e.type)}, ${longDate(e.on)}` }));
}
