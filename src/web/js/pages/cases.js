// A person's cases: the list, starting one, the case's page of tasks, and removing one.
import { h } from '../dom.js';
import { t, has, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, textField, radios, submitButton, formOf, onSubmit, buttonLink, link,
  backLink, tag, go, valueOf, warningText,
  confirmRemoval,
} from '../view.js';
import { noticeText } from './notices.js';

await need('cases', 'tasks');

export async function home() {
  const [{ clients }, { cases }] = await Promise.all([api('GET', '/api/v1/clients'), api('GET', '/api/v1/cases')]);
  const main = page('cases.home.title');
  main.append(heading(t('cases.home.heading')));
  if (cases.length === 0) {
    main.append(para(t('cases.home.none'), 'body-l'), para(t('cases.home.what_a_case_is')),
      buttonLink('/before-you-start', t('cases.home.start_first')),
      h('p', { class: 'body' }, link('/backup', t('cases.home.backup'))),
      h('p', { class: 'body' }, link('/account', t('cases.home.account'))));
    return;
  }
  const names = new Map(clients.map((c) => [c.id, c.name]));
  main.append(para(t('cases.home.intro')),
    h('ul', { class: 'case-list' }, cases.map((k) => h('li', { class: 'case-list-item' },
      h('h2', { class: 'heading-s' }, link(`/cases/${k.id}`, t('cases.home.case_about', { name: k.provider.name }))),
      clients.length > 1 ? para(t('cases.home.case_for', { name: names.get(k.client_id) || '' }), 'body-s') : null))),
    buttonLink('/cases/new', t('cases.home.start_another'), true),
    h('p', { class: 'body' }, link('/due', t('cases.home.due'))),
    h('p', { class: 'body' }, link('/backup', t('cases.home.backup'))));
  if (clients.length === 1) {
    main.append(h('p', { class: 'body' }, link(`/people/${clients[0].id}`, t('cases.home.about_you'))));
  }
  main.append(h('p', { class: 'body' }, link('/account', t('cases.home.account'))));
}

export async function newCase() {
  const { clients } = await api('GET', '/api/v1/clients');
  const main = page('cases.new.title');
  const fields = [];
  if (clients.length === 0) {
    fields.push(textField({ id: 'your-name', label: t('cases.new.your_name'), hint: t('cases.new.your_name_hint'),
      autocomplete: 'name', width: 'l' }));
  } else if (clients.length > 1) {
    fields.push(radios({ id: 'client', legend: t('cases.new.who'), options: [
      ...clients.map((c) => ({ value: c.id, label: c.name })),
      { value: 'new', label: t('cases.new.someone_else'),
        conditional: textField({ id: 'your-name', label: t('cases.new.their_name'), width: 'l' }) }] }));
  }
  fields.push(textField({ id: 'therapist-name', label: t('cases.new.therapist_name'),
    hint: t('cases.new.therapist_name_hint'), width: 'l' }));
  const form = formOf(...fields, submitButton(t('common.continue')));
  main.append(backLink('/'), heading(t('cases.new.heading')), para(t('cases.new.intro')), form);
  onSubmit(form, async () => {
    const problems = [];
    let clientId = clients.length === 1 ? clients[0].id : valueOf(form, 'client');
    const needName = clients.length === 0 || clientId === 'new';
    const yourName = valueOf(form, 'your-name');
    if (clients.length > 1 && !clientId) problems.push({ field: 'client', text: t('cases.new.error_who') });
    if (needName && !yourName) problems.push({ field: 'your-name', text: t('cases.new.error_your_name') });
    const therapistName = valueOf(form, 'therapist-name');
    if (!therapistName) problems.push({ field: 'therapist-name', text: t('cases.new.error_therapist_name') });
    if (problems.length) return problems;
    if (needName) {
      const c = await api('POST', '/api/v1/clients', { name: yourName });
      clientId = c.id;
    }
    const k = await api('POST', '/api/v1/cases', { client_id: clientId, provider: { name: therapistName } });
    go(`/cases/${k.id}`);
    return [];
  }, { name: 'your-name', 'provider.name': 'therapist-name' }, 'therapist-name');
}

const kTaskLinks = {
  therapist: (id) => `/cases/${id}/therapist`,
  incidents: (id) => `/cases/${id}/incidents`,
  evidence: (id) => `/cases/${id}/evidence`,
  records: (id) => `/cases/${id}/records`,
  complaint: (id, task) => (task.status === 'completed' ? `/cases/${id}/complaint/after` : `/cases/${id}/complaint`),
};

function statusTag(task) {
  const colours = { not_started: 'grey', in_progress: 'blue', completed: '', cannot_start: 'grey' };
  return tag(t(`tasks.status.${task.status}`), colours[task.status]);
}

export async function taskList({ id }) {
  const o = await api('GET', `/api/v1/cases/${encodeURIComponent(id)}/overview`);
  const main = page('cases.tasks.title');
  const items = o.tasks.map((task) => {
    const href = kTaskLinks[task.id] && task.status !== 'cannot_start' ? kTaskLinks[task.id](id, task) : '';
    let hintKey = `tasks.${task.id}.hint`;
    if (task.status === 'cannot_start' && task.missing) hintKey = `tasks.${task.id}.missing_${task.missing}`;
    else if (task.count > 0 && has(`${hintKey}_some`)) hintKey = `${hintKey}_some`;
    const hintId = `task-${task.id}-hint`;
    const statusId = `task-${task.id}-status`;
    return h('li', { class: `task-list-item${href ? ' task-list-item-link' : ''}` },
      h('div', { class: 'task-list-name' },
        href ? h('a', { class: 'link task-list-link', href, 'data-nav': true, 'aria-describedby': `${hintId} ${statusId}`,
          text: t(`tasks.${task.id}.name`) }) : h('span', { text: t(`tasks.${task.id}.name`) }),
        has(hintKey) ? h('div', { class: 'task-list-hint', id: hintId, text: t(hintKey, { count: task.count }) }) : null),
      h('div', { class: 'task-list-status', id: statusId }, statusTag(task)));
  });
  main.append(
    backLink('/'),
    h('span', { class: 'caption-l', text: t('cases.tasks.caption', { name: o.case.provider.name }) }),
    heading(t('cases.tasks.heading')),
    para(t('cases.tasks.intro')),
    h('ul', { class: 'task-list' }, items));
  for (const w of o.board.warnings) main.append(warningText(noticeText(w)));
  main.append(
    h('h2', { class: 'heading-m', text: t('cases.tasks.more_heading') }),
    h('ul', { class: 'list' },
      h('li', {}, link(`/people/${o.client.id}`, t('cases.tasks.about_you'))),
      h('li', {}, link(`/cases/${id}/complaint/after`, t('cases.tasks.after_complaint'))),
      h('li', {}, link(`/cases/${id}/elsewhere`, t('cases.tasks.elsewhere'))),
      h('li', {}, link(`/cases/${id}/write`, t('cases.tasks.write'))),
      h('li', {}, link('/due', t('cases.home.due'))),
      h('li', {}, link(`/cases/${id}/remove`, t('cases.tasks.remove')))));
}

export async function remove({ id }) {
  const o = await api('GET', `/api/v1/cases/${encodeURIComponent(id)}/overview`);
  confirmRemoval({
    messages: 'cases.remove', back: `/cases/${id}`, after: '/',
    body: [para(t('cases.remove.what', { name: o.case.provider.name }))],
    warning: t('cases.remove.warning'),
    remove: () => api('DELETE', `/api/v1/cases/${encodeURIComponent(id)}`),
  });
}
