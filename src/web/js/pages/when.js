// When an incident happened, in words (shared by the pages that name incidents).
import { t, need } from '../i18n.js';
import { longDate } from '../view.js';

await need('when');

// When it happened, in words, and whether that is a best guess.
export function whenText(i) {
  const start = longDate(i.date);
  const end = longDate(i.date_end);
  let when = '';
  switch (i.date_precision) {
    case 'exact': when = start; break;
    case 'approximate': when = start ? t('when.around', { date: start }) : ''; break;
    case 'range': when = t('when.range', { start, end }); break;
    case 'recurring': when = end ? t('when.recurring', { start, end }) : t('when.recurring_from', { start }); break;
    default: when = '';
  }
  if (i.date_text) when = when ? `${i.date_text} (${when})` : i.date_text;
  return when || t('when.none');
}
