/** The alarms feature's public face: the banner (with its sound and title flash) and an incident's escalation panel. */
export { AlarmBanner, type AlarmBannerProps } from './AlarmBanner.tsx';
export { EscalationPanel } from './EscalationPanel.tsx';
