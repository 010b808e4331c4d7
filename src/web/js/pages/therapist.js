// About the therapist: who they are, their license and where it was issued, chosen from the
// kinds and places Recourse knows; then the board that licenses them.
import { h } from '../dom.js';
import { t, has, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, textField, textArea, selectField, submitButton, formOf, onSubmit, link,
  backLink, go, valueOf, warningText, insetText, buttonLink,
} from '../view.js';
import { noticeText } from './notices.js';

await need('board', 'therapist');

// How a board takes complaints, in words ("online, by post").
function methodWords(methods) {
  return methods.map((m) => (has(`board.method.${m}`) ? t(`board.method.${m}`) : m)).join(', ');
}

const kUnknown = '';

// About the therapist, in three short pages, each saved as the person goes on: who they
// are; their license (type, where, number), which finds the board, shown at once; then
// where they worked, and back to the case.
// Each page asks a few questions that belong together; anything may be left for later.
const enc = encodeURIComponent;

// Saves this page's part of the therapist and goes on. `fields` maps the API's names to
// this page's inputs; `version` is the case's as the page showed it, so a change someone
// else saved meanwhile is not overwritten.
function savePage(f, id, version, read, fields, next) {
  onSubmit(f, async () => {
    const provider = read();
    if ('name' in provider && !provider.name) return [{ field: 'name', text: t('therapist.error_name') }];
    await api('PATCH', `/api/v1/cases/${enc(id)}`, { provider, version });
    go(next);
    return [];
  }, fields, Object.values(fields)[0]);
}

function pageFrame(key, back, f, intro = true) {
  const titleKey = `therapist.${key}.title`;
  const main = page(titleKey);
  main.append(backLink(back), h('span', { class: 'caption-l', text: t('therapist.caption') }),
    heading(t(`therapist.${key}.heading`)), intro ? para(t(`therapist.${key}.intro`)) : null, f);
}

export async function form({ id }) {
  const kase = await api('GET', `/api/v1/cases/${enc(id)}`);
  const p = kase.provider;
  const f = formOf(
    textField({ id: 'name', label: t('therapist.name'), value: p.name, width: 'l' }),
    textField({ id: 'credentials', label: t('therapist.credentials'), hint: t('therapist.credentials_hint'),
      value: p.credentials, optional: true, width: 'm' }),
    submitButton(t('common.save_continue')));
  pageFrame('who', `/cases/${id}`, f);
  savePage(f, id, kase.version, () => ({ name: valueOf(f, 'name'), credentials: valueOf(f, 'credentials') }),
    { 'provider.name': 'name', 'provider.credentials': 'credentials' }, `/cases/${id}/therapist/license`);
}

export async function license({ id }) {
  const [kase, { license_types: types }, { jurisdictions }] = await Promise.all([
    api('GET', `/api/v1/cases/${enc(id)}`),
    api('GET', '/api/v1/license-types'),
    api('GET', '/api/v1/jurisdictions'),
  ]);
  const p = kase.provider;
  // Each type in plain words, with up to three of the short titles people see after a name.
  const short = (lt) => lt.aliases.filter((a) => /^[A-Z][A-Za-z-]{1,6}$/.test(a)).slice(0, 3);
  const typeOptions = [{ value: kUnknown, label: t('therapist.license_type_unknown') },
    ...types.map((lt) => ({ value: lt.id,
      label: short(lt).length ? t('therapist.license_type_option', { label: lt.label, aliases: short(lt).join(', ') }) : lt.label }))];
  // A type typed at the command line ("LMFT") is shown as the type it stands for.
  const typeValue = types.find((lt) => lt.id === p.license_type
    || lt.aliases.some((a) => a.toLowerCase() === (p.license_type || '').toLowerCase()));
  // One the list does not name (typed at the command line) is shown as it was entered, so
  // it can be seen, kept or cleared.
  if (p.license_type && !typeValue) typeOptions.push({ value: p.license_type, label: t('therapist.as_entered', { value: p.license_type }) });
  const placeOptions = [{ value: kUnknown, label: t('therapist.jurisdiction_unknown') },
    // Only places that license therapists (not a national baseline), and the one the case has.
    ...jurisdictions.filter((j) => j.licenses || j.id === p.jurisdiction).map((j) => ({ value: j.id, label: j.name }))];
  if (p.jurisdiction && !jurisdictions.some((j) => j.id === p.jurisdiction)) {
    placeOptions.push({ value: p.jurisdiction, label: t('therapist.as_entered', { value: p.jurisdiction }) });
  }
  const f = formOf(
    selectField({ id: 'license-type', label: t('therapist.license_type'), hint: t('therapist.license_type_hint'),
      options: typeOptions, value: typeValue ? typeValue.id : p.license_type || kUnknown }),
    selectField({ id: 'jurisdiction', label: t('therapist.jurisdiction'), hint: t('therapist.jurisdiction_hint'),
      options: placeOptions, value: p.jurisdiction || kUnknown }),
    textField({ id: 'license-number', label: t('therapist.license_number'), hint: t('therapist.license_number_hint'),
      value: p.license_number, optional: true, width: 'm' }),
    submitButton(t('common.save_continue')));
  pageFrame('license', `/cases/${id}/therapist`, f);
  // Only a choice made here replaces what is stored (a type the list knows by another name,
  // "LMFT", stays as it was entered unless changed); "I do not know" clears it.
  const shownType = valueOf(f, 'license-type');
  const shownPlace = valueOf(f, 'jurisdiction');
  savePage(f, id, kase.version, () => {
    const provider = { license_number: valueOf(f, 'license-number') };
    if (valueOf(f, 'license-type') !== shownType) provider.license_type = valueOf(f, 'license-type');
    if (valueOf(f, 'jurisdiction') !== shownPlace) provider.jurisdiction = valueOf(f, 'jurisdiction');
    return provider;
  }, {
    'provider.license_type': 'license-type', 'provider.jurisdiction': 'jurisdiction',
    'provider.license_number': 'license-number',
  }, `/cases/${id}/board`);
}

export async function practice({ id }) {
  const kase = await api('GET', `/api/v1/cases/${enc(id)}`);
  const p = kase.provider;
  const f = formOf(
    textField({ id: 'practice', label: t('therapist.practice'), hint: t('therapist.practice_hint'),
      value: p.practice, optional: true, width: 'l' }),
    textArea({ id: 'address', label: t('therapist.address'), hint: t('therapist.address_hint'), value: p.address, optional: true, rows: 4 }),
    submitButton(t('common.save_continue')));
  pageFrame('practice', `/cases/${id}/board`, f);
  savePage(f, id, kase.version, () => ({ practice: valueOf(f, 'practice'), address: valueOf(f, 'address') }),
    { 'provider.practice': 'practice', 'provider.address': 'address' }, `/cases/${id}`);
}

function boardCard(b) {
  const rows = [];
  if (b.complaint_methods.length) {
    rows.push(h('p', { class: 'body', text: t('board.methods', { methods: methodWords(b.complaint_methods) }) }));
  }
  if (b.complaint_requirements) rows.push(para(b.complaint_requirements));
  const contact = [];
  if (b.address_lines.length) {
    contact.push(h('dt', { text: t('board.address') }),
      h('dd', {}, h('address', { class: 'address' }, b.address_lines.map((l) => h('span', { class: 'address-line', text: l })))));
  }
  if (b.phone) contact.push(h('dt', { text: t('board.phone') }), h('dd', { text: b.phone }));
  if (b.email) contact.push(h('dt', { text: t('board.email') }), h('dd', { text: b.email }));
  if (b.website) contact.push(h('dt', { text: t('board.website') }), h('dd', { text: b.website }));
  if (b.complaint_url) contact.push(h('dt', { text: t('board.complaint_page') }), h('dd', { text: b.complaint_url }));
  const card = h('section', { class: 'board', 'aria-labelledby': `board-${b.id}` },
    h('h2', { class: 'heading-m', id: `board-${b.id}`, text: b.name }),
    para(b.kind === 'licensing_board' ? t('board.where', { place: b.jurisdiction })
      : t(`board.kind.${b.kind}`, { place: b.region || b.jurisdiction }), 'body-s'),
    rows,
    contact.length ? h('dl', { class: 'contact-list' }, contact) : null);
  if (b.time_limit) {
    card.append(h('h3', { class: 'heading-s', text: t('board.time_limit') }), para(b.time_limit.summary),
      b.time_limit.citation ? para(t('common.source', { citation: b.time_limit.citation }), 'body-s') : null);
    if (!b.time_limit.verified) {
      card.append(insetText(para(t('board.not_confirmed', { caution: b.time_limit.caution || '' }))));
    }
  }
  // What it does with a complaint and by when; what protects the person who complains.
  for (const [key, fact] of [['board.process', b.process], ['board.protection', b.complainant_protection]]) {
    if (!fact) continue;
    card.append(h('h3', { class: 'heading-s', text: t(key) }), para(fact.summary),
      fact.citation ? para(t('common.source', { citation: fact.citation }), 'body-s') : null);
    if (!fact.verified) card.append(insetText(para(t('board.not_confirmed', { caution: fact.caution || '' }))));
  }
  if (!b.verified) card.append(insetText(para(t('board.not_confirmed', { caution: b.caution || '' }))));
  return card;
}

export async function board({ id }) {
  const o = await api('GET', `/api/v1/cases/${encodeURIComponent(id)}/overview`);
  const main = page('board.title');
  main.append(backLink(`/cases/${id}/therapist/license`), heading(t('board.heading')));
  const b = o.board;
  if (b.found.length === 0) {
    main.append(para(t(`board.missing_${b.missing}`)));
    if (b.missing === 'no_board') main.append(insetText(para(t('board.ask_health_department'))));
    main.append(h('p', { class: 'body' }, link(`/cases/${id}/therapist/license`, t('board.change_license'))));
  } else {
    main.append(para(t(b.found.length > 1 ? 'board.intro_many' : 'board.intro')));
    for (const card of b.found) main.append(boardCard(card));
    for (const w of b.warnings) main.append(warningText(noticeText(w)));
  }
  main.append(para(t('board.next')), buttonLink(`/cases/${id}/therapist/practice`, t('common.continue')),
    h('p', { class: 'body' }, link(`/cases/${id}`, t('common.back_to_case'))));
}
