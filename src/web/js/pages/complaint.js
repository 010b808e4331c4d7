// Complain to the board: the board and its time limit (a warning, never a refusal), the
// complaint's interview drawn from the board's form and prefilled from the case, Check your
// answers, then the packet to download and how to send it.
import { h } from '../dom.js';
import { t, has, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, submitButton, formOf, onSubmit, link, backLink, go, summaryList, buttonLink,
  warningText, insetText, textField, valueOf, longDate, missingList, pdfLink, refusalText,
} from '../view.js';
import { noticeText } from './notices.js';
import { stepControls, submitStep, answerText, oneQuestion } from './interview.js';

await need('board', 'cases', 'complaint');

// How the board takes complaints, in words ("online, by post"). (The board's page has the
// same; importing it would load that page's words here too.)
function methodWords(methods) {
  return methods.map((m) => (has(`board.method.${m}`) ? t(`board.method.${m}`) : m)).join(', ');
}

const enc = encodeURIComponent;

// The form's steps the server shows for these answers (its review lists them), in order.
function shownSteps(form, c) {
  const shown = new Set(c.steps.map((s) => s.id));
  return form.steps.filter((s) => shown.has(s.id));
}

async function load(id) {
  const c = await api('GET', `/api/v1/cases/${enc(id)}/complaint`);
  const form = await api('GET', `/api/v1/forms/${enc(c.form)}`);
  return { c, form, steps: shownSteps(form, c) };
}

export async function start({ id }) {
  const [o, { c, steps }] = await Promise.all([api('GET', `/api/v1/cases/${enc(id)}/overview`), load(id)]);
  const main = page('complaint.start.title');
  main.append(backLink(`/cases/${id}`),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: o.case.provider.name }) }),
    heading(t('complaint.start.heading')));
  const board = o.board.found[0];
  if (board) {
    main.append(para(t('complaint.start.board', { board: board.name, place: board.jurisdiction })));
    if (board.complaint_methods.length) main.append(para(t('board.methods', { methods: methodWords(board.complaint_methods) })));
    if (board.time_limit) {
      main.append(para(t('complaint.start.time_limit', { limit: board.time_limit.summary })),
        board.time_limit.citation ? para(t('common.source', { citation: board.time_limit.citation }), 'body-s') : null);
    }
  }
  for (const w of c.warnings) main.append(warningText(noticeText(w)));
  main.append(para(t('complaint.start.what')),
    h('ul', { class: 'list list-bullet' },
      h('li', { text: t('complaint.start.incidents', { count: c.incidents }) }),
      h('li', { text: t('complaint.start.exhibits', { count: c.exhibits }) })),
    insetText(para(t('complaint.start.choice'))),
    buttonLink(`/cases/${id}/complaint/step/${steps[0].id}`, t(c.missing === 0 ? 'complaint.start.again' : 'complaint.start.go')));
  if (c.missing === 0) main.append(h('p', { class: 'body' }, link(`/cases/${id}/complaint/check`, t('complaint.start.to_check'))));
}

export async function step({ id, step: stepId }) {
  const { c, form, steps } = await load(id);
  const at = steps.findIndex((s) => s.id === stepId);
  const st = form.steps.find((s) => s.id === stepId);
  if (!st) throw Object.assign(new Error('no such step'), { status: 404 });
  const returning = new URLSearchParams(window.location.search).get('return') === 'check';
  const back = returning ? `/cases/${id}/complaint/check` : at > 0 ? `/cases/${id}/complaint/step/${steps[at - 1].id}` : `/cases/${id}/complaint`;
  const main = page('complaint.step.title', { step: oneQuestion(st) ? st.fields[0].label : st.title || form.title });
  const reviewed = c.steps.find((s) => s.id === stepId);
  const f = formOf(...stepControls(st, c.answers, new Set(reviewed ? reviewed.fields.map((x) => x.id) : [])),
    submitButton(t('common.save_continue')));
  main.append(backLink(back),
    h('span', { class: 'caption-l', text: t('complaint.step.caption', { n: Math.max(at, 0) + 1, total: steps.length }) }),
    // A page of one question has that question as its heading (GOV.UK "question pages").
    oneQuestion(st) ? null : heading(st.title || form.title), st.intro && !oneQuestion(st) ? para(st.intro) : null, f);
  submitStep(f, st, {
    save: (answers) => api('PATCH', `/api/v1/cases/${enc(id)}/complaint`, { answers }),
    shownAfter: (saved) => shownSteps(form, saved),
    stepPath: (next) => `/cases/${id}/complaint/step/${next}`,
    checkPath: `/cases/${id}/complaint/check`,
    returning,
  });
}

export async function check({ id }) {
  const { c, form } = await load(id);
  const main = page('complaint.check.title');
  main.append(backLink(`/cases/${id}/complaint`), heading(t('complaint.check.heading')), para(t('complaint.check.intro')));
  for (const rs of c.steps) {
    const fs = form.steps.find((s) => s.id === rs.id);
    // Each answer in the page's words (yes or no, days, choices by their labels) from the
    // form; the server's own text only for a field the form does not list.
    const shown = (f) => {
      const def = fs && fs.fields.find((x) => x.id === f.id);
      if (def) return answerText(def, c.answers[f.id]);
      return f.value.includes('\n') ? f.value.split('\n') : f.value;
    };
    main.append(h('h2', { class: 'heading-m', text: rs.title }), summaryList(rs.fields.map((f) => ({
      key: f.label.replace(` ${t('common.optional')}`, ''), value: shown(f),
      href: fs ? `/cases/${id}/complaint/step/${fs.id}?return=check` : undefined,
    }))));
  }
  for (const w of c.warnings) main.append(warningText(noticeText(w)));
  if (c.missing > 0) {
    const needed = [];
    for (const rs of c.steps) {
      const fs = form.steps.find((s) => s.id === rs.id);
      for (const f of rs.fields) {
        if (f.required && !f.value) {
          needed.push({ label: f.label.replace(` ${t('common.optional')}`, ''),
            href: fs ? `/cases/${id}/complaint/step/${fs.id}?return=check` : `/cases/${id}/complaint` });
        }
      }
    }
    main.append(warningText(t('complaint.check.missing', { count: c.missing })), missingList(needed));
    return;
  }
  const f = formOf(submitButton(t('complaint.check.confirm')));
  main.append(h('h2', { class: 'heading-m', text: t('complaint.check.packet_heading') }),
    para(t('complaint.check.packet_intro', { incidents: c.incidents, exhibits: c.exhibits })), f);
  onSubmit(f, async () => {
    await api('PATCH', `/api/v1/cases/${enc(id)}/complaint`, { answers: {} });
    go(`/cases/${id}/complaint/packet`);
    return [];
  }, {}, 'page-heading');
}

export async function packet({ id }) {
  const o = await api('GET', `/api/v1/cases/${enc(id)}/overview`);
  const main = page('complaint.packet.title');
  const board = o.board.found[0];
  main.append(backLink(`/cases/${id}/complaint/check`), heading(t('complaint.packet.heading')),
    para(t('complaint.packet.intro')),
    pdfLink(`/api/v1/cases/${enc(id)}/complaint.pdf`, 'complaint-packet.pdf', t('complaint.packet.download')),
    h('h2', { class: 'heading-m', text: t('complaint.packet.send_heading') }));
  if (board) {
    main.append(para(t('complaint.packet.send_to', { board: board.name })));
    if (board.complaint_methods.length) main.append(para(t('board.methods', { methods: methodWords(board.complaint_methods) })));
    if (board.address_lines.length) main.append(h('address', { class: 'address body' }, board.address_lines.map((l) => h('span', { class: 'address-line', text: l }))));
    if (board.complaint_url) main.append(para(t('complaint.packet.online', { url: board.complaint_url })));
  }
  main.append(para(t('complaint.packet.keep')));

  // Sending is the person's own act: they note the day here, which completes the task.
  const c = await api('GET', `/api/v1/cases/${enc(id)}/complaint`);
  main.append(h('h2', { class: 'heading-m', text: t('complaint.sent.heading') }));
  if (c.sent_on) main.append(insetText(para(t('complaint.sent.done', { date: longDate(c.sent_on) }))));
  else main.append(para(t('complaint.sent.intro')));
  const f = formOf(
    textField({ id: 'sent_on', label: t('complaint.sent.on'), hint: t('complaint.sent.on_hint'), type: 'date', value: c.sent_on || '' }),
    h('div', { class: 'button-group' },
      h('button', { type: 'submit', class: 'button', text: t('complaint.sent.submit') }),
      c.sent_on ? h('button', { type: 'button', class: 'button secondary', id: 'not-sent', text: t('complaint.sent.undo') }) : null));
  f.dataset.noDraft = 'true';
  main.append(f, buttonLink(`/cases/${id}`, t('common.back_to_case'), true));
  onSubmit(f, async () => {
    const on = valueOf(f, 'sent_on');
    if (!on) return [{ field: 'sent_on', text: t('complaint.sent.error_on') }];
    await api('PUT', `/api/v1/cases/${enc(id)}/complaint/sent`, { on });
    go(`/cases/${id}`);
    return [];
  }, { on: 'sent_on' }, 'sent_on');
  const undo = f.querySelector('#not-sent');
  if (undo) {
    undo.addEventListener('click', async () => {
      try {
        await api('PUT', `/api/v1/cases/${enc(id)}/complaint/sent`, { on: null });
      } catch (err) {
        // Refused (steps after sending are noted): said here, nothing changed.
        f.before(warningText(refusalText(err)));
        return;
      }
      go(window.location.pathname, { replace: true });
    });
  }
}
