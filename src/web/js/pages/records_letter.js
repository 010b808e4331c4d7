// Get your records, the letter: the interview of the request's form (forms/records-request.json,
// records-amendment.json or disclosures-accounting.json, by what it asks for), one page at a
// time and saved on every page, Check your answers with what is still needed named, the
// letter to download, and "I have sent it". (The request's own page is records.js.)
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, submitButton, formOf, onSubmit, backLink, go, valueOf, summaryList,
  buttonLink, radios, textField, warningText, missingList, link, pdfLink,
} from '../view.js';
import { stepControls, answerText, submitStep, oneQuestion } from './interview.js';

await need('records', 'interview');

const enc = encodeURIComponent;

const formCache = new Map();
async function formOfRequest(r) {
  const formId = r.interview.form;
  if (!formCache.has(formId)) formCache.set(formId, await api('GET', `/api/v1/forms/${enc(formId)}`));
  return formCache.get(formId);
}

// The request and its form.
async function requestAndForm(id) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  return [await formOfRequest(r), r];
}

// What the request is, in the words of its pages: "Your records request", "Your correction
// request", ...
const kindOf = (r) => r.kind || 'access';

// The fields of a step the server shows for the answers so far.
function shownOf(r, stepId) {
  const st = r.interview.steps.find((s) => s.id === stepId);
  return new Set(st ? st.shown || [] : []);
}

function visibleSteps(form, r) {
  const shown = new Set(r.interview.steps.filter((s) => s.visible).map((s) => s.id));
  return form.steps.filter((s) => shown.has(s.id));
}

export async function step({ id, step: stepId }) {
  const [form, r] = await requestAndForm(id);
  const steps = visibleSteps(form, r);
  const at = steps.findIndex((s) => s.id === stepId);
  const st = form.steps.find((s) => s.id === stepId);
  if (!st) throw Object.assign(new Error('no such step'), { status: 404 });
  const returning = new URLSearchParams(window.location.search).get('return') === 'check';
  const back = returning || at < 0 ? `/requests/${id}/check` : at > 0 ? `/requests/${id}/step/${steps[at - 1].id}` : `/cases/${r.case_id}/records`;
  // The tab says the page's question (from the form, never an answer), as its heading does.
  const main = page('records.step.title', { step: oneQuestion(st) ? st.fields[0].label : st.title || form.title,
    what: t(`records.what.${kindOf(r)}`) });
  const f = formOf(...stepControls(st, r.interview.answers, shownOf(r, stepId)), submitButton(t('common.save_continue')));
  main.append(backLink(back),
    h('span', { class: 'caption-l', text: t('records.step.caption', { what: t(`records.what.${kindOf(r)}`), n: Math.max(at, 0) + 1, total: steps.length }) }),
    oneQuestion(st) ? null : heading(st.title || form.title), st.intro && !oneQuestion(st) ? para(st.intro) : null, f);
  submitStep(f, st, {
    save: (answers) => api('PATCH', `/api/v1/requests/${enc(id)}/answers`, { step: stepId, answers }),
    shownAfter: (saved) => visibleSteps(form, saved),
    stepPath: (next) => `/requests/${id}/step/${next}`,
    checkPath: `/requests/${id}/check`,
    returning,
  });
}

// Each answer a letter still needs, by name, with the way to it.
function neededOf(form, interview, stepHref) {
  const needed = [];
  for (const st of interview.steps) {
    const fs = form.steps.find((x) => x.id === st.id);
    for (const fid of st.missing || []) {
      // A field ("requester_address") or a part of one ("third_party.address").
      const [fieldId, part] = fid.split('.');
      const field = fs && fs.fields.find((x) => x.id === fieldId);
      const label = field ? field.label.replace(` ${t('common.optional')}`, '') : fid;
      const rule = field && part ? (field.parts || {})[part] : null;
      needed.push({
        label: part && field ? t('records.check.part', { field: label, part: t(`interview.person_${part}`) }) : label,
        why: rule ? rule.help : (field && field.required_if ? field.help : ''),
        href: stepHref(st.id) });
    }
  }
  return needed;
}

// The rows of a check page: every shown answer of the shown steps, with a Change link.
function answerRows(steps, interview, stepHref) {
  return steps.map((st) => {
    const state = interview.steps.find((x) => x.id === st.id);
    const shown = new Set(state ? state.shown || [] : []);
    return [h('h2', { class: 'heading-m', text: st.title }), summaryList(st.fields.filter((f) => f.type !== 'file' && shown.has(f.id)).map((f) => ({
      key: f.label.replace(` ${t('common.optional')}`, ''), value: answerText(f, interview.answers[f.id]), href: stepHref(st.id),
    })))];
  }).flat();
}

// Check your answers: every shown answer with a Change link that comes back here.
export async function check({ id }) {
  const [form, r] = await requestAndForm(id);
  // Everything is read before the page is drawn, so it appears whole, at once.
  const authorization = r.interview.missing === 0 && r.interview.answers.send_to === 'third_party'
    ? await authorizationNotes(r) : [];
  const main = page('records.check.title');
  main.append(backLink(`/cases/${r.case_id}/records`), heading(t('records.check.heading')), para(t('records.check.intro')));
  main.append(...answerRows(visibleSteps(form, r), r.interview, (st) => `/requests/${id}/step/${st}?return=check`));
  if (r.interview.missing > 0) {
    main.append(warningText(t('records.check.missing', { count: r.interview.missing })),
      missingList(neededOf(form, r.interview, (st) => `/requests/${id}/step/${st}?return=check`)));
    return;
  }
  main.append(h('h2', { class: 'heading-m', text: t('records.check.letter_heading') }),
    para(t('records.check.letter_intro')),
    pdfLink(`/api/v1/requests/${enc(id)}/letter.pdf`, `${r.interview.form}.pdf`, t('records.check.download')),
    ...authorization,
    para(t('records.check.next')),
    buttonLink(`/requests/${id}/sent`, t('records.check.sent')));
}

// A copy sent to someone else: the letter's last page is the person's authorization, to sign
// by hand (before a witness where a law of the therapist's place asks for one), and what each
// of those laws asks it to say, folded away.
async function authorizationNotes(r) {
  const { rights } = await api('GET', `/api/v1/cases/${enc(r.case_id)}/requests`);
  const consent = (rights.notes || []).filter((n) => n.topic === 'third_party_consent');
  const witness = consent.some((n) => (n.elements || []).includes('witness'));
  return [
    para(t('records.check.authorization')),
    witness ? warningText(t('records.check.witness')) : null,
    consent.length ? h('details', { class: 'details' },
      h('summary', { class: 'details-summary', text: t('records.check.authorization_law') }),
      h('div', { class: 'details-text' }, consent.map((n) => [
        h('h3', { class: 'heading-s', text: n.jurisdiction_name }),
        para(n.summary),
        para(t('common.source', { citation: n.citation }), 'body-s'),
        n.verified ? null : para(n.caution || t('records.request.unconfirmed_short'), 'body-s'),
      ]).flat())) : null,
  ];
}

const kVia = ['email', 'mail', 'portal', 'fax', 'in_person'];

export async function sent({ id }) {
  const r = await api('GET', `/api/v1/requests/${enc(id)}`);
  const main = page('records.sent.title');
  const f = formOf(
    textField({ id: 'on', label: t('records.sent.on'), hint: t('records.sent.on_hint'), type: 'date', value: r.sent_on || '' }),
    radios({ id: 'via', legend: t('records.sent.via'), value: r.events.find((e) => e.type === 'sent')?.via || '',
      options: kVia.map((v) => ({ value: v, label: t(`records.via.${v}`) })) }),
    submitButton(t('records.sent.submit')));
  main.append(backLink(`/requests/${id}/check`), heading(t('records.sent.heading')), para(t('records.sent.intro')), f);
  onSubmit(f, async () => {
    const problems = [];
    if (!valueOf(f, 'on')) problems.push({ field: 'on', text: t('records.sent.error_on') });
    if (!valueOf(f, 'via')) problems.push({ field: 'via', text: t('records.sent.error_via') });
    if (problems.length) return problems;
    await api('POST', `/api/v1/requests/${enc(id)}/events`, { type: 'sent', on: valueOf(f, 'on'), via: valueOf(f, 'via') });
    go(`/requests/${id}`);
    return [];
  }, { on: 'on', via: 'via' }, 'on');
}


// A later letter (a follow-up, a review, a statement of disagreement): its own questions,
// one page each and saved on every page, then its own check page with the letter. What the
// request's interview already asked is not asked again.
async function laterLetter(id, formId) {
  const [r, iv] = await Promise.all([api('GET', `/api/v1/requests/${enc(id)}`),
    api('GET', `/api/v1/requests/${enc(id)}/letter?form=${enc(formId)}`)]);
  if (!formCache.has(formId)) formCache.set(formId, await api('GET', `/api/v1/forms/${enc(formId)}`));
  return [r, iv, formCache.get(formId)];
}

function laterSteps(form, iv) {
  const shown = new Set(iv.steps.filter((s) => s.visible).map((s) => s.id));
  return form.steps.filter((s) => shown.has(s.id));
}

export async function laterStep({ id, form: formId, step: stepId }) {
  const [r, iv, form] = await laterLetter(id, formId);
  const steps = laterSteps(form, iv);
  const at = steps.findIndex((s) => s.id === stepId);
  const st = steps[at];
  if (!st) throw Object.assign(new Error('no such step'), { status: 404 });
  const base = `/requests/${id}/letters/${formId}`;
  const returning = new URLSearchParams(window.location.search).get('return') === 'check';
  const back = returning ? `${base}?seen=1` : at === 0 ? `/requests/${id}` : `${base}/step/${steps[at - 1].id}`;
  const state = iv.steps.find((x) => x.id === stepId);
  const main = page('records.step.title', { step: oneQuestion(st) ? st.fields[0].label : st.title || form.title, what: form.title });
  const f = formOf(...stepControls(st, iv.answers, new Set(state.shown || [])), submitButton(t('common.save_continue')));
  main.append(backLink(back),
    h('span', { class: 'caption-l', text: t('records.step.caption', { what: form.title, n: at + 1, total: steps.length }) }),
    oneQuestion(st) ? null : heading(st.title || form.title), st.intro && !oneQuestion(st) ? para(st.intro) : null, f);
  submitStep(f, st, {
    save: (answers) => api('PATCH', `/api/v1/requests/${enc(id)}/letter`, { form: formId, step: stepId, answers }),
    shownAfter: (saved) => laterSteps(form, saved),
    stepPath: (next) => `${base}/step/${next}`,
    checkPath: `${base}?seen=1`,
    returning,
  });
}

export async function laterCheck({ id, form: formId }) {
  const [r, iv, form] = await laterLetter(id, formId);
  const base = `/requests/${id}/letters/${formId}`;
  // Coming from the request, a letter that still needs answers starts at its first question
  // rather than with a warning; its check page is shown once its pages have been seen.
  if (iv.missing > 0 && !new URLSearchParams(window.location.search).has('seen')) {
    const first = iv.steps.find((s) => s.visible && (s.missing || []).length);
    if (first) {
      go(`${base}/step/${first.id}`, { replace: true });
      return;
    }
  }
  const main = page('records.later.title', { what: form.title });
  main.append(backLink(`/requests/${id}`),
    h('span', { class: 'caption-l', text: t('records.list.to', { name: r.custodian }) }),
    heading(form.title), form.description ? para(form.description) : null, para(t('records.later.intro')),
    ...answerRows(laterSteps(form, iv), iv, (st) => `${base}/step/${st}?return=check`));
  if (iv.missing > 0) {
    main.append(warningText(t('records.check.missing', { count: iv.missing })),
      missingList(neededOf(form, iv, (st) => `${base}/step/${st}?return=check`)));
  } else {
    main.append(h('h2', { class: 'heading-m', text: t('records.check.letter_heading') }),
      para(t('records.check.letter_intro')),
      pdfLink(`/api/v1/requests/${enc(id)}/letter.pdf?form=${enc(formId)}`, `${formId}.pdf`, t('records.check.download')),
      para(t('records.later.next')));
  }
  main.append(h('p', { class: 'body' }, link(`/requests/${id}`, t('records.later.back'))));
}
