import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALARM_FILE, alarmSamples, wavFile } from '../../../assets/sounds/make-alarm-sound.ts';

describe('the shipped alarm sound', () => {
  const file = readFileSync(ALARM_FILE);

  it('is what its generator script writes, so the two never drift apart', () => {
    expect(file.equals(wavFile(alarmSamples()))).toBe(true);
  });

  it('is a 16-bit mono PCM WAV of two seconds that browsers play without a codec', () => {
    expect(file.toString('ascii', 0, 4)).toBe('RIFF');
    expect(file.toString('ascii', 8, 12)).toBe('WAVE');
    expect(file.readUInt16LE(20)).toBe(1); // PCM
    expect(file.readUInt16LE(22)).toBe(1); // mono
    expect(file.readUInt16LE(34)).toBe(16);
    const seconds = file.readUInt32LE(40) / (file.readUInt32LE(24) * 2);
    expect(seconds).toBe(2);
  });

  it('is loud but never clips, and starts and ends silent so the loop does not click', () => {
    const samples = alarmSamples();
    const peak = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak).toBeGreaterThan(10_000);
    expect(peak).toBeLessThan(32_767);
    expect(samples[0]).toBe(0);
    expect(Math.abs(samples[samples.length - 1]!)).toBeLessThan(200);
  });
});
