/**
 * The console's alarm tone: three short beeps made with the Web Audio API,
 * so no audio file ships. Browsers start an AudioContext only after a user
 * gesture; until then the banner shows without sound.
 */
let context: AudioContext | null = null;

const BEEP_HZ = 880;
const BEEP_SECONDS = 0.18;
const GAP_SECONDS = 0.12;
const BEEPS = 3;

export function playAlarmTone(): void {
  if (typeof window.AudioContext !== 'function') return;
  context ??= new AudioContext();
  const audio = context;
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  const start = audio.currentTime;
  for (let index = 0; index < BEEPS; index++) {
    const at = start + index * (BEEP_SECONDS + GAP_SECONDS);
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = BEEP_HZ;
    // A short ramp instead of a hard edge: no click at the start and end of each beep.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.2, at + 0.01);
    gain.gain.setValueAtTime(0.2, at + BEEP_SECONDS - 0.01);
    gain.gain.linearRampToValueAtTime(0, at + BEEP_SECONDS);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + BEEP_SECONDS);
  }
}
