// About you: what letters need so that an office can find the file and answer — name,
// postal address, date of birth (optional), email, phone. Editable at any time.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api } from '../api.js';
import {
  page, heading, para, textField, textArea, submitButton, formOf, onSubmit, backLink, valueOf, go, link,
  confirmRemoval,
} from '../view.js';

await need('people');

export async function about({ id }) {
  const c = await api('GET', `/api/v1/clients/${encodeURIComponent(id)}`);
  const main = page('people.title');
  const back = c.cases.length === 1 ? `/cases/${c.cases[0].id}` : '/';
  const f = formOf(
    textField({ id: 'name', label: t('people.name'), hint: t('people.name_hint'), value: c.name, autocomplete: 'name', width: 'l' }),
    textArea({ id: 'address', label: t('people.address'), hint: t('people.address_hint'), value: c.address, optional: true, rows: 4 }),
    textField({ id: 'date-of-birth', label: t('people.date_of_birth'), hint: t('people.date_of_birth_hint'), type: 'date',
      value: c.date_of_birth, optional: true }),
    textField({ id: 'email', label: t('people.email'), value: c.email, type: 'email', autocomplete: 'email', optional: true, width: 'l',
      spellcheck: false }),
    textField({ id: 'phone', label: t('people.phone'), value: c.phone, type: 'tel', autocomplete: 'tel', optional: true, width: 'm' }),
    submitButton(t('common.save')));
  const missing = [];
  // What letters need to be answerable (the records-request form's required_if).
  if (!c.address) missing.push(t(c.email ? 'people.missing_address' : 'people.missing_contact'));
  main.append(backLink(back), heading(t('people.heading')), para(t('people.intro')),
    missing.length ? h('div', { class: 'inset-text' }, missing.map((m) => para(m))) : null, f,
    h('p', { class: 'body' }, link(`/people/${id}/access`, t('people.access'))),
    h('p', { class: 'body' }, link(`/people/${id}/remove`, t('people.remove.link'))));
  onSubmit(f, async () => {
    const name = valueOf(f, 'name');
    if (!name) return [{ field: 'name', text: t('people.error_name') }];
    await api('PATCH', `/api/v1/clients/${encodeURIComponent(id)}`, {
      name, address: f.elements.address.value.trim(), date_of_birth: valueOf(f, 'date-of-birth'),
      email: valueOf(f, 'email'), phone: valueOf(f, 'phone'), version: c.version,
    });
    go(back);
    return [];
  }, { name: 'name', address: 'address', date_of_birth: 'date-of-birth', email: 'email', phone: 'phone' }, 'name');
}

// /people/:id/remove: a person and everything of theirs, after a confirmation that says
// what goes.
export async function remove({ id }) {
  const c = await api('GET', `/api/v1/clients/${encodeURIComponent(id)}`);
  const main = confirmRemoval({
    messages: 'people.remove', back: `/people/${id}`, after: '/',
    body: [para(c.cases.length ? t('people.remove.what_cases', { name: c.name, count: c.cases.length })
      : t('people.remove.what', { name: c.name }))],
    warning: t('people.remove.warning'),
    remove: () => api('DELETE', `/api/v1/clients/${encodeURIComponent(id)}`),
  });
  main.querySelector('form').before(h('p', { class: 'body' }, link('/backup', t('people.remove.backup'))));
}
