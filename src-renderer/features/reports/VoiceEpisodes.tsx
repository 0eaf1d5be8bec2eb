/**
 * Voice-quality episodes of the period (issue 17): runs of test calls with the same
 * fault, as the sentence a carrier reads ("one-way audio 14:02–14:40 on Trunk X, 12 test
 * calls, 0 % media received"). Part of the page, so the printed PDF carries it too.
 */
import { useTranslation } from 'react-i18next';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import { formatTime } from './model/format.ts';

export function VoiceEpisodes(props: { report: PeriodReport }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const episodes = props.report.voiceEpisodes;
  if (episodes.length === 0) return <p className="muted">{t('reports.voice.none')}</p>;
  const lineName = new Map(props.report.lines.map((l) => [l.lineId, l.name]));
  return (
    <ul className="voice-episodes" data-testid="voice-episodes">
      {episodes.map((ep) => {
        const args = {
          fault: t(`reports.term.voiceFault.${ep.verdict}`),
          from: formatTime(ep.from, lng),
          to: formatTime(ep.to, lng),
          line: lineName.get(ep.lineId) ?? ep.lineId,
          count: ep.calls,
          media: ep.mediaReceivedPct === null ? '' : new Intl.NumberFormat(lng).format(ep.mediaReceivedPct),
        };
        return (
          <li key={`${ep.lineId}:${ep.from}`}>
            {t(ep.mediaReceivedPct === null ? 'reports.voice.episodeNoMedia' : 'reports.voice.episode', args)}
            {ep.worstMos !== null && (
              <span className="muted">
                {' '}
                · {t('reports.voice.worstMos', { mos: new Intl.NumberFormat(lng).format(ep.worstMos) })}
              </span>
            )}
            {!ep.ended && <strong> · {t('reports.voice.ongoing')}</strong>}
          </li>
        );
      })}
    </ul>
  );
}
