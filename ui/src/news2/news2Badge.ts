import type { News2Parameter, News2Score } from '../../../kernel/clinical/news2.ts';
import { h, setText } from '../dom.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { fmt, t } from '../i18n/locale.ts';
import { vitalLabel } from '../vitalLabels.ts';

const bandKey: Record<News2Score['band'], MessageKey> = {
  low: 'news2.band.low',
  lowMedium: 'news2.band.lowMedium',
  medium: 'news2.band.medium',
  high: 'news2.band.high',
};

/** How a missing parameter is named: the monitors' labels, and two of NEWS2's own. */
function parameterName(parameter: News2Parameter): string {
  if (parameter === 'supplementalOxygen') return t('news2.parameter.supplementalOxygen');
  if (parameter === 'consciousness') return t('news2.parameter.consciousness');
  return vitalLabel(parameter);
}

/**
 * NEWS2 in words and colour (docs/ui.md#news2): the total, "≥" when
 * parameters are missing (the least the full score can be), the band, and
 * which parameters are missing. The band is said, never only coloured.
 */
export function news2Badge(): { element: HTMLElement; update(score: News2Score | undefined): void } {
  const total = h('strong', { class: 'news2__total' });
  const band = h('span', { class: 'news2__band' });
  const missing = h('span', { class: 'news2__missing' });
  const element = h('p', { class: 'news2', attrs: { 'aria-live': 'polite' } }, total, band, missing);
  return {
    element,
    update(score) {
      const observed = score && score.missing.length < 7;
      element.dataset.band = observed ? score.band : 'none';
      element.dataset.complete = String(Boolean(score?.complete));
      if (!observed) {
        setText(total, t('news2.label'));
        setText(band, t('news2.none'));
        setText(missing, '');
        return;
      }
      const value = fmt.number(score.total, 0);
      setText(
        total,
        t('news2.score', { total: score.complete ? value : t('news2.atLeast', { total: value }) }),
      );
      setText(band, t(bandKey[score.band]));
      setText(
        missing,
        score.complete ? '' : t('news2.missing', { list: score.missing.map(parameterName).join(', ') }),
      );
    },
  };
}
