// The AudioWorkletGlobalScope names that pcm-worklet.js uses (TypeScript's lib has no such scope);
// for the type check only (docs/web.md).
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare const sampleRate: number;
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;
