export function lcgBytes(seed: number, n: number): Uint8Array;
export const PARAGRAPH: string;
export function jsonDocument(): string;
export function pcmSamples(samples: number, channels: number, header: number): Uint8Array;
export function x86Code(n: number): Uint8Array;
export function x86Code64(n: number): { bytes: Uint8Array; targets: number[] };
export function goldenInputs(): Record<string, { bytes: Uint8Array; frameSize?: number }>;
