// What is due: every date across every case, soonest first, each naming whose case it is,
// and all of them as a calendar file.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import { api } from '../api.js';
import { page, heading, para, link, backLink, tag, longDate, warningText } from '../view.js';
import { noticeText } from './notices.js';

await need('due');

function when(days) {
  if (days === 0) return t('due.today');
  if (days < 0) return t('due.ago', { days: -days });
  return t('due.in', { days });
}

export async function list() {
  const { deadlines, damaged } = await api('GET', '/api/v1/deadlines');
  const main = page('due.title');
  main.append(backLink('/'), heading(t('due.heading')), para(t('due.intro')));
  // Something that could not be read is said, never silently missing from the list.
  if (damaged && damaged.length) main.append(warningText(t('due.damaged', { count: damaged.length })));
  if (deadlines.length === 0) {
    main.append(para(t('due.none')));
    return;
  }
  main.append(h('ol', { class: 'timeline' }, deadlines.map((d) => {
    const href = d.kind === 'complaint_time_limit' ? `/cases/${d.case_id}`
      : d.kind.startsWith('complaint_') ? `/cases/${d.case_id}/complaint/after` : `/requests/${d.ref}`;
    return h('li', { class: 'timeline-item' },
      h('p', { class: 'timeline-when' }, `${longDate(d.date)} · ${when(d.days_from_today)}`,
        d.days_from_today < 0 && d.kind !== 'complaint_step' ? [' ', tag(t('due.passed'), 'red')] : null),
      h('h2', { class: 'heading-s' }, link(href, noticeText(d.what))),
      para(d.case_title ? t('due.whose_titled', { name: d.client_name, title: d.case_title })
        : t('due.whose', { name: d.client_name, therapist: d.therapist }), 'body-s'),
      d.what.args && d.what.args.citation ? para(t('common.source', { citation: d.what.args.citation }), 'body-s') : null,
      d.verified ? null : para(t('due.not_confirmed'), 'body-s'));
  })),
  h('p', { class: 'body' }, h('a', { class: 'link', href: '/api/v1/deadlines.ics', download: 'recourse-deadlines.ics',
    text: t('due.calendar') })),
  para(t('due.calendar_hint'), 'body-s'));
}
