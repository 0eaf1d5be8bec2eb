/**
 * The alarm sound, looped for as long as this is mounted (the banner mounts it while any
 * alarm stands). A browser may refuse to play before anyone has touched the page; then
 * a button says so and starts the sound with one press. Electron's window allows it.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import alarmSoundUrl from '../../../assets/sounds/alarm.wav';

export function AlarmSound() {
  const { t } = useTranslation();
  const audioRef = useRef<HTMLAudioElement>(null);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    audio.play().catch(() => setBlocked(true));
    return () => {
      audio.pause();
      audio.currentTime = 0;
    };
  }, []);

  const start = () => {
    void audioRef.current?.play().then(() => setBlocked(false));
  };

  return (
    <>
      <audio ref={audioRef} src={alarmSoundUrl} loop preload="auto" data-testid="alarm-sound" />
      {blocked && (
        <button type="button" className="alarm-sound-blocked" onClick={start}>
          <span aria-hidden="true">♪ </span>
          {t('alarm.enableSound')}
        </button>
      )}
    </>
  );
}
