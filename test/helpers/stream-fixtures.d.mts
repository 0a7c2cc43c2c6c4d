export function fixtureInputs(): Record<string, { bytes: Uint8Array; frameSize?: number }>;
export const FIXTURE_DIR: URL;
export function fixtureFile(name: string, level: number): string;
