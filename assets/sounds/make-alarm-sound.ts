/**
 * Writes `alarm.wav`, the console's alarm: a two-tone siren (high, low, repeated) the
 * renderer loops until someone acknowledges. Generated rather than downloaded so its
 * origin and licence are plain; run `node assets/sounds/make-alarm-sound.ts` to remake it.
 *
 * 16 kHz, 16-bit mono PCM: every browser and Electron plays it without a codec, and two
 * seconds stay small (~64 KB). Each tone starts and ends with a short ramp so the loop
 * and the tone changes do not click.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SAMPLE_RATE = 16_000;
/** Two tones a fourth apart, like a European two-tone siren, high enough to cut through a room. */
const TONES_HZ = [988, 740] as const;
const TONE_SECONDS = 0.25;
const CYCLES = 4;
const RAMP_SECONDS = 0.01;
const AMPLITUDE = 0.6;

export function alarmSamples(): Int16Array {
  const perTone = Math.round(SAMPLE_RATE * TONE_SECONDS);
  const ramp = Math.round(SAMPLE_RATE * RAMP_SECONDS);
  const samples = new Int16Array(perTone * TONES_HZ.length * CYCLES);
  let i = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    for (const hz of TONES_HZ) {
      for (let n = 0; n < perTone; n++) {
        const envelope = Math.min(1, n / ramp, (perTone - 1 - n) / ramp);
        // A little third harmonic makes it harsher (more audible) than a pure sine.
        const phase = (2 * Math.PI * hz * n) / SAMPLE_RATE;
        const wave = 0.8 * Math.sin(phase) + 0.2 * Math.sin(3 * phase);
        samples[i++] = Math.round(wave * envelope * AMPLITUDE * 32_767);
      }
    }
  }
  return samples;
}

export function wavFile(samples: Int16Array, sampleRate = SAMPLE_RATE): Buffer {
  const dataBytes = samples.length * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // PCM fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  const body = Buffer.from(samples.buffer, samples.byteOffset, dataBytes);
  return Buffer.concat([header, body]);
}

export const ALARM_FILE = fileURLToPath(new URL('./alarm.wav', import.meta.url));

if (import.meta.main) {
  writeFileSync(ALARM_FILE, wavFile(alarmSamples()));
  console.log(`wrote ${ALARM_FILE}`);
}
