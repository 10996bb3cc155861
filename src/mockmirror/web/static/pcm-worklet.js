// @ts-check
// Audio worklet: mono samples at the context's rate -> 16 kHz Int16 chunks of 100 ms, posted to
// the page. Resampling here (not with AudioContext({sampleRate})) works in Chromium and Firefox.
class PcmChunker extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / 16000;
    this.pos = 0;
    this.out = new Int16Array(1600);
    this.n = 0;
  }
  /** @param {Float32Array[][]} inputs */
  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    let level = 0;
    for (let i = 0; i < input.length; i++) level += input[i] * input[i];
    this.port.postMessage({ level: Math.sqrt(level / input.length) });
    while (this.pos < input.length) {
      const i = Math.floor(this.pos);
      const frac = this.pos - i;
      const a = input[i], b = i + 1 < input.length ? input[i + 1] : a;
      const v = Math.max(-1, Math.min(1, a + (b - a) * frac));
      this.out[this.n++] = v < 0 ? v * 32768 : v * 32767;
      if (this.n === this.out.length) {
        this.port.postMessage({ pcm: this.out.buffer }, [this.out.buffer]);
        this.out = new Int16Array(1600);
        this.n = 0;
      }
      this.pos += this.ratio;
    }
    this.pos -= input.length;
    return true;
  }
}
registerProcessor("pcm-chunker", PcmChunker);
