// "Have you finished this section?" at the foot of What happened and Evidence (GOV.UK's
// task list pattern): only the person can say they have written down all they want to.
// Their answer sets the task's status on the case page; they can change it at any time.
import { t, need } from '../i18n.js';
import { api } from '../api.js';
import { radios, submitButton, formOf, onSubmit, valueOf, go } from '../view.js';

await need('finished');

export async function finishedForm(main, caseId, task) {
  const o = await api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}/overview`);
  const now = o.tasks.find((x) => x.id === task);
  const id = `${task}-finished`;
  const f = formOf(
    radios({ id, name: 'finished', legend: t('finished.legend'), hint: t(`finished.hint_${task}`),
      value: now && now.status === 'completed' ? 'yes' : '',
      options: [{ value: 'yes', label: t('finished.yes') }, { value: 'no', label: t('finished.no') }] }),
    submitButton(t('common.continue')));
  f.dataset.noDraft = 'true';
  main.append(f);
  onSubmit(f, async () => {
    const answer = valueOf(f, 'finished');
    if (!answer) return [{ field: id, text: t('finished.error') }];
    await api('PUT', `/api/v1/cases/${encodeURIComponent(caseId)}/tasks`, { task, completed: answer === 'yes' });
    go(`/cases/${caseId}`);
    return [];
  }, { task: id, completed: id }, id);
}
