export function lcgBytes(seed: number, n: number): Uint8Array;
export const PARAGRAPH: string;
export function jsonDocument(): string;
export function goldenInputs(): Record<string, { bytes: Uint8Array; frameSize?: number }>;
