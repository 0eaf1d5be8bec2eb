/** Public face of the facility config feature. */
export { loadFacilityConfigFile, watchFacilityConfigFile, MAX_CONFIG_BYTES } from './facility-config-file.ts';
export { fileConfigSource, staticConfigSource, noConfigSource, type FacilityConfigSource } from './config-source.ts';
export { CONFIG_FILE_NAME, defaultConfigFile, telephonyLaunchOptions } from './config-location.ts';
export { checkConfigAtStart, type ConfigAtStart } from './config-at-start.ts';
