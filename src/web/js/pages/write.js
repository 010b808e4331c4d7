// Beyond the board, only if the person wants it: other places they can turn (from the law
// data, each with its source and marked when unconfirmed), and letters to the therapist —
// asking for a closing session or referrals after an abrupt ending, or a concern in their own
// words. Nothing here is required or suggested as a step before anything else; nothing is
// stored but what is typed while typing (the draft), and the letter is made to download.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api, fetchDownload } from '../api.js';
import {
  page, heading, para, formOf, onSubmit, link, backLink, buttonLink, insetText, textField,
  textArea, radios, valueOf, submitButton,
} from '../view.js';

await need('write', 'cases');

const enc = encodeURIComponent;

function caption(o) {
  return h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: o.case.provider.name }) });
}

async function load(id) {
  const [o, r] = await Promise.all([api('GET', `/api/v1/cases/${enc(id)}/overview`),
    api('GET', `/api/v1/cases/${enc(id)}/routes`)]);
  return { o, r };
}

// A fact from the law data: its words, then where they come from, and when it could not be
// confirmed, what the person should check.
function sourced(citation, verified, caution) {
  return [para(t('common.source', { citation }), 'body-s'),
    verified ? null : para(caution ? t('write.unconfirmed', { caution }) : t('write.unconfirmed_plain'), 'body-s')];
}

export async function elsewhere({ id }) {
  const { o, r } = await load(id);
  const main = page('write.elsewhere.title');
  main.append(backLink(`/cases/${id}`), caption(o), heading(t('write.elsewhere.heading')),
    para(t('write.elsewhere.intro')));
  if (r.practice) {
    main.append(h('h2', { class: 'heading-m', text: r.practice }), para(t('write.elsewhere.practice')));
  }
  for (const kind of ['association', 'insurance', 'criminal', 'other']) {
    const routes = r.routes.filter((x) => x.kind === kind);
    if (!routes.length) continue;
    main.append(h('h2', { class: 'heading-m', text: t(`write.kind.${kind}`) }));
    if (kind === 'criminal') main.append(insetText(para(t('write.elsewhere.criminal_choice'))));
    for (const x of routes) {
      main.append(h('h3', { class: 'heading-s', text: x.name }), para(x.summary),
        x.how ? para(t('write.elsewhere.how', { how: x.how })) : null,
        x.time_limit ? para(t('write.elsewhere.time_limit', { limit: x.time_limit })) : null,
        x.url ? para(t('write.elsewhere.website', { url: x.url }), 'body-s') : null,
        x.because_of.length ? para(t('write.elsewhere.because', { kinds: x.because_of.join('; ') }), 'body-s') : null,
        ...sourced(x.citation, x.verified, x.caution));
    }
  }
  if (!r.routes.length && !r.practice) main.append(para(t('write.elsewhere.none')));
  if (r.held_back > 0) main.append(para(t('write.elsewhere.held_back')));
  main.append(h('h2', { class: 'heading-m', text: t('write.elsewhere.write_heading') }),
    para(t('write.elsewhere.write_intro')),
    h('p', { class: 'body' }, link(`/cases/${id}/write`, t('write.choose.heading'))),
    buttonLink(`/cases/${id}`, t('common.back_to_case'), true));
}

export async function choose({ id }) {
  const { o } = await load(id);
  const main = page('write.choose.title');
  main.append(backLink(`/cases/${id}`), caption(o), heading(t('write.choose.heading')),
    para(t('write.choose.intro')),
    h('ul', { class: 'list' },
      h('li', {}, link(`/cases/${id}/write/ending`, t('write.ending.heading')),
        para(t('write.choose.ending_hint'), 'body-s')),
      h('li', {}, link(`/cases/${id}/write/concern`, t('write.concern.heading')),
        para(t('write.choose.concern_hint'), 'body-s'))),
    para(t('write.choose.details', { name: o.client.name })));
}

// The person's contact details, empty: they go to the therapist only when typed here.
function contactFields() {
  return [
    textArea({ id: 'requester-address', label: t('write.contact.address'), hint: t('write.contact.hint'), optional: true, rows: 3 }),
    textField({ id: 'requester-email', label: t('write.contact.email'), hint: t('write.contact.hint'), optional: true, width: 'l' }),
  ];
}

function withContact(f, body) {
  const address = valueOf(f, 'requester-address');
  const email = valueOf(f, 'requester-email');
  if (address) body.requester_address = { line1: address.replace(/\s*\n\s*/g, ', ') };
  if (email) body.requester_email = email;
  return body;
}

const kContactMap = { requester_address: 'requester-address', requester_email: 'requester-email' };

// Makes the letter from the form's answers (in the request's body) and says which
// characters, if any, it had to write as codes.
function downloadOn(f, path, name, body, fieldMap, first) {
  const note = h('div', { class: 'pdf-note', role: 'status' });
  onSubmit(f, async () => {
    const problems = body.check ? body.check() : [];
    if (problems.length) return problems;
    note.replaceChildren();
    const unshown = await fetchDownload(path, name, body.values());
    note.append(insetText(para(t('write.made')),
      unshown.length ? para(t('common.pdf_unshown')) : null,
      unshown.length ? para(unshown.join(' ')) : null));
    return [];
  }, fieldMap, first);
  return note;
}

export async function ending({ id }) {
  const { o, r } = await load(id);
  const main = page('write.ending.title');
  main.append(backLink(`/cases/${id}/write`), caption(o), heading(t('write.ending.heading')),
    para(t('write.ending.intro')));
  const standard = (e) => [h('h3', { class: 'heading-s', text: `${e.code} ${e.section} (${e.title})` }),
    para(e.plain), e.verified ? null : para(t('write.ending.not_checked'), 'body-s')];
  const own = r.ending.filter((e) => e.own);
  const others = r.ending.filter((e) => !e.own);
  if (own.length) {
    main.append(h('h2', { class: 'heading-m', text: t('write.ending.own_heading') }), ...own.flatMap(standard));
  }
  if (others.length) {
    // Other professions' codes, folded away when the therapist's own are shown.
    const list = others.flatMap(standard);
    main.append(own.length
      ? h('details', { class: 'details' }, h('summary', { class: 'details-summary', text: t('write.ending.others') }),
        h('div', { class: 'details-text' }, list))
      : h('div', {}, h('h2', { class: 'heading-m', text: t('write.ending.codes_heading') }), list));
  }
  const askOptions = ['both', 'closing_session', 'referrals'].map((v) => ({ value: v, label: t(`write.ending.ask.${v}`) }));
  const f = formOf(
    h('h2', { class: 'heading-m', text: t('write.ending.letter_heading') }),
    radios({ id: 'ask-for', legend: t('write.ending.ask_legend'), options: askOptions }),
    textField({ id: 'reply-by', label: t('write.ending.reply_by'), hint: t('write.ending.reply_by_hint'), type: 'date' }),
    r.ending_citable
      ? radios({ id: 'mention-code', legend: t('write.ending.mention_code'), hint: t('write.ending.mention_code_hint'),
        value: 'no', options: [{ value: 'yes', label: t('write.yes') }, { value: 'no', label: t('write.no') }] })
      : para(t('write.ending.no_citable'), 'body-s'),
    textArea({ id: 'own-words', label: t('write.ending.own_words'), hint: t('write.own_words_hint'), optional: true, rows: 4 }),
    ...contactFields(),
    submitButton(t('write.make')));
  const note = downloadOn(f, `/api/v1/cases/${enc(id)}/ending-letter.pdf`, 'ending-request.pdf', {
    check: () => {
      const problems = [];
      if (!valueOf(f, 'ask-for')) problems.push({ field: 'ask-for', text: t('write.ending.error_ask') });
      if (!valueOf(f, 'reply-by')) problems.push({ field: 'reply-by', text: t('write.ending.error_reply_by') });
      return problems;
    },
    values: () => {
      const body = { ask_for: valueOf(f, 'ask-for'), reply_by: valueOf(f, 'reply-by') };
      if (valueOf(f, 'mention-code') === 'yes') body.mention_code = true;
      const words = valueOf(f, 'own-words');
      if (words) body.anything_to_add = words;
      return withContact(f, body);
    },
  }, { ask_for: 'ask-for', reply_by: 'reply-by', mention_code: 'mention-code', anything_to_add: 'own-words', answers: 'ask-for', ...kContactMap }, 'ask-for');
  main.append(f, note, para(t('write.send_yourself')),
    buttonLink(`/cases/${id}`, t('common.back_to_case'), true));
}

export async function concern({ id }) {
  const { o } = await load(id);
  const main = page('write.concern.title');
  main.append(backLink(`/cases/${id}/write`), caption(o), heading(t('write.concern.heading')),
    para(t('write.concern.intro')));
  const f = formOf(
    textArea({ id: 'concern', label: t('write.concern.words'), hint: t('write.concern.words_hint'), rows: 10 }),
    radios({ id: 'mention-board', legend: t('write.concern.mention_board'), hint: t('write.concern.mention_board_hint'),
      value: 'no', options: [{ value: 'yes', label: t('write.yes') }, { value: 'no', label: t('write.no') }] }),
    ...contactFields(),
    submitButton(t('write.make')));
  const note = downloadOn(f, `/api/v1/cases/${enc(id)}/concern-letter.pdf`, 'concern-letter.pdf', {
    check: () => (valueOf(f, 'concern') ? [] : [{ field: 'concern', text: t('write.concern.error_words') }]),
    values: () => withContact(f, { concern: valueOf(f, 'concern'), mention_board: valueOf(f, 'mention-board') === 'yes' }),
  }, { concern: 'concern', mention_board: 'mention-board', answers: 'concern', ...kContactMap }, 'concern');
  main.append(f, note, para(t('write.send_yourself')),
    buttonLink(`/cases/${id}`, t('common.back_to_case'), true));
}
