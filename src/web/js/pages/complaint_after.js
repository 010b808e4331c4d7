// After the complaint is filed: when and how it went and the board's reference, where it
// stands, what the person can do next (with the board's own published rules and their
// sources), what has happened so far, and a way to note each new step. Nothing here is
// required: every step is the person's to record or not.
import { h } from '../dom.js';
import { t, has, need } from '../i18n.js';
import { api, fetchDownload } from '../api.js';
import {
  page, heading, para, formOf, onSubmit, link, backLink, go, summaryList, buttonLink,
  warningText, insetText, textField, textArea, radios, valueOf, longDate, submitButton,
  confirmRemoval,
} from '../view.js';
import { noticeText } from './notices.js';

await need('after', 'cases');

const enc = encodeURIComponent;

async function load(id) {
  const [o, c] = await Promise.all([api('GET', `/api/v1/cases/${enc(id)}/overview`),
    api('GET', `/api/v1/cases/${enc(id)}/complaint/tracking`)]);
  return { o, c };
}

// A recorded step in words: what it was, with its outcome or reply date.
function stepWords(e) {
  let words = t(`after.type.${e.type}`);
  if (e.outcome) words += `: ${t(`after.outcome.${e.outcome}`)}`;
  if (e.reply_by) words += ` ${t('after.reply_by_words', { date: longDate(e.reply_by) })}`;
  return words;
}

function filingForm(c, id) {
  const f = formOf(
    textField({ id: 'filed-on', label: t('after.filing.on'), hint: t('after.filing.on_hint'), type: 'date',
      value: c.filed_on || '' }),
    radios({ id: 'filed-via', legend: t('after.filing.via'), optional: true, value: c.filed_via,
      options: c.channels.map((v) => ({ value: v, label: t(`after.via.${v}`) })) }),
    textField({ id: 'reference', label: t('after.filing.reference'), hint: t('after.filing.reference_hint'),
      optional: true, value: c.board_reference, width: 'l' }),
    submitButton(t('common.save_continue')));
  onSubmit(f, async () => {
    const on = valueOf(f, 'filed-on');
    if (!on) return [{ field: 'filed-on', text: t('after.filing.error_on') }];
    // The version seen: a change made meanwhile by someone else is refused, keeping this.
    const body = { filed_on: on, board_reference: valueOf(f, 'reference') };
    if (c.complaint_id) body.version = c.version;
    const via = valueOf(f, 'filed-via');
    if (via) body.filed_via = via;
    await api('PUT', `/api/v1/cases/${enc(id)}/complaint/filing`, body);
    go(`/cases/${id}/complaint/after`);
    return [];
  }, { filed_on: 'filed-on', filed_via: 'filed-via', board_reference: 'reference', case_id: 'filed-on', version: 'filed-on' }, 'filed-on');
  return f;
}

// The letter asking where things stand, with the person's own words if they add any (sent
// in the request's body, never in its address).
function statusLetterForm(id) {
  const note = h('div', { class: 'pdf-note', role: 'status' });
  const f = formOf(
    textArea({ id: 'own-words', label: t('after.letter.words'), hint: t('after.letter.words_hint'), optional: true, rows: 3 }),
    submitButton(t('after.status_letter')));
  onSubmit(f, async () => {
    note.replaceChildren();
    const unshown = await fetchDownload(`/api/v1/cases/${enc(id)}/complaint/status-letter.pdf`,
      'complaint-status-inquiry.pdf', { anything_to_add: valueOf(f, 'own-words') });
    if (unshown.length) note.append(insetText(para(t('common.pdf_unshown')), para(unshown.join(' ')), para(t('common.pdf_unshown_after'))));
    return [];
  }, { anything_to_add: 'own-words' }, 'own-words');
  return h('div', {}, para(t('after.status_letter_hint'), 'body-s'), f, note);
}

export async function after({ id }) {
  const { o, c } = await load(id);
  const main = page('after.title');
  main.append(backLink(`/cases/${id}`),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: o.case.provider.name }) }),
    heading(t('after.heading')));
  if (!c.filed_on) {
    main.append(para(t('after.not_filed')), filingForm(c, id));
    return;
  }
  main.append(summaryList([
    { key: t('after.sent_to'), value: c.board || t('after.board_unknown') },
    { key: t('after.sent_on'), value: c.filed_via ? t('after.sent_on_via', { date: longDate(c.filed_on), via: t(`after.via.${c.filed_via}`) })
      : longDate(c.filed_on), href: `/cases/${id}/complaint/after/filing` },
    { key: t('after.reference'), value: c.board_reference || t('after.no_reference'), href: `/cases/${id}/complaint/after/filing` },
    { key: t('after.status'), value: t(`after.status.${c.status}`) },
  ]));

  if (c.next.length) {
    main.append(h('h2', { class: 'heading-m', text: t('after.next_heading') }));
    for (const s of c.next) {
      const block = [para(noticeText(s.what))];
      if (s.citation && !s.what.text.includes(s.citation)) block.push(para(t('common.source', { citation: s.citation }), 'body-s'));
      if (!s.verified && s.caution) block.push(para(t('after.unconfirmed', { caution: s.caution }), 'body-s'));
      if (s.form === 'complaint-status-inquiry') block.push(statusLetterForm(id));
      main.append(s.deadline ? insetText(...block) : h('div', { class: 'after-step' }, block));
    }
  }

  main.append(h('h2', { class: 'heading-m', text: t('after.happened_heading') }));
  if (c.events.length === 0) main.append(para(t('after.nothing_yet')));
  else {
    main.append(summaryList(c.events.map((e) => ({
      key: longDate(e.on),
      value: e.details ? [stepWords(e), e.details] : stepWords(e),
      href: `/cases/${id}/complaint/after/steps/${e.id}/remove`,
      action: t('after.remove_link'),
      changeLabel: `${stepWords(e)}, ${longDate(e.on)}`,
    }))));
  }
  main.append(buttonLink(`/cases/${id}/complaint/after/add`, t('after.add_button')));

  if (c.board_facts.length) {
    main.append(h('h2', { class: 'heading-m', text: t('after.board_heading') }));
    for (const f of c.board_facts) {
      main.append(h('h3', { class: 'heading-s', text: t(`after.fact.${f.key}`) }), para(f.text),
        para(t('common.source', { citation: f.citation }), 'body-s'),
        !f.verified && f.caution ? para(t('after.unconfirmed', { caution: f.caution }), 'body-s') : null);
    }
  }
  main.append(buttonLink(`/cases/${id}`, t('common.back_to_case'), true));
}

export async function filing({ id }) {
  const { c } = await load(id);
  const main = page('after.filing.title');
  main.append(backLink(`/cases/${id}/complaint/after`), heading(t('after.filing.heading')), filingForm(c, id));
}

export async function add({ id }) {
  const { c } = await load(id);
  const main = page('after.add.title');
  main.append(backLink(`/cases/${id}/complaint/after`));
  if (!c.filed_on) {
    main.append(heading(t('after.add.heading')), para(t('after.not_filed')), filingForm(c, id));
    return;
  }
  const outcome = radios({ id: 'outcome', legend: t('after.add.outcome'),
    options: c.outcomes.map((v) => ({ value: v, label: t(`after.outcome.${v}`) })) });
  const replyBy = textField({ id: 'reply-by', label: t('after.add.reply_by'), hint: t('after.add.reply_by_hint'),
    type: 'date', optional: true });
  const f = formOf(
    radios({ id: 'type', legend: t('after.add.type'), asHeading: true,
      options: c.event_types.map((v) => ({
        value: v, label: t(`after.type.${v}`), hint: has(`after.type_hint.${v}`) ? t(`after.type_hint.${v}`) : undefined,
        conditional: v === 'outcome' ? outcome : v === 'info_requested' ? replyBy : undefined,
      })) }),
    textField({ id: 'on', label: t('after.add.on'), hint: t('after.add.on_hint'), type: 'date' }),
    textArea({ id: 'details', label: t('after.add.details'), hint: t('after.add.details_hint'), optional: true, rows: 4 }),
    submitButton(t('after.add.submit')));
  main.append(f);
  onSubmit(f, async () => {
    const type = valueOf(f, 'type');
    const on = valueOf(f, 'on');
    const problems = [];
    if (!type) problems.push({ field: 'type', text: t('after.add.error_type') });
    if (!on) problems.push({ field: 'on', text: t('after.add.error_on') });
    if (type === 'outcome' && !valueOf(f, 'outcome')) problems.push({ field: 'outcome', text: t('after.add.error_outcome') });
    if (problems.length) return problems;
    const body = { type, on, details: valueOf(f, 'details') };
    if (type === 'outcome') body.outcome = valueOf(f, 'outcome');
    if (type === 'info_requested' && valueOf(f, 'reply-by')) body.reply_by = valueOf(f, 'reply-by');
    await api('POST', `/api/v1/cases/${enc(id)}/complaint/events`, body);
    go(`/cases/${id}/complaint/after`);
    return [];
  }, { type: 'type', on: 'on', reply_by: 'reply-by', outcome: 'outcome', details: 'details', case_id: 'on' }, 'type');
}

export async function remove({ id, step }) {
  const { c } = await load(id);
  const e = c.events.find((x) => x.id === step);
  if (!e) throw Object.assign(new Error('no such step'), { status: 404 });
  confirmRemoval({
    messages: 'after.remove', back: `/cases/${id}/complaint/after`, after: `/cases/${id}/complaint/after`,
    body: [para(t('after.remove.what', { what: stepWords(e), date: longDate(e.on) }))],
    remove: () => api('DELETE', `/api/v1/complaint-events/${enc(step)}`),
  });
}
