/** The phone status feature's public face: strip, board page, fallback banner (also for the lock screen). */
export { PhoneStatus, isReportShortcut } from './PhoneStatus.tsx';
export { StatusBoard } from './StatusBoard.tsx';
export { PhonesPage } from './PhonesPage.tsx';
export { FallbackBanner } from './FallbackBanner.tsx';
export { useLineBoard, useNow } from './use-line-board.ts';
export { clockTime, formatDuration, relativeTime } from './model/relative-time.ts';
