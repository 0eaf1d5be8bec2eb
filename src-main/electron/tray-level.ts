/** Tray status levels; one icon per level (drawn by scripts/generate-icons.ts). */
export const TRAY_LEVELS = ['ok', 'warn', 'down', 'unknown'] as const;
export type TrayLevel = (typeof TRAY_LEVELS)[number];
