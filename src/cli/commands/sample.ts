import fs from 'node:fs';
import { sampleBytes } from '../../index.js';
import type { Args } from '../args.js';

// `kolmo sample`: text drawn from the model, written to standard output as it comes.

export async function runSample(a: Args): Promise<void> {
  const prompt = a.promptFile !== undefined ? new Uint8Array(fs.readFileSync(a.promptFile)) : a.prompt;
  for await (const chunk of sampleBytes({
    prompt,
    maxBytes: a.maxBytes,
    temperature: a.temperature,
    topK: a.topK,
    topP: a.topP,
    minP: a.minP,
    seed: a.seed,
    level: a.level,
  })) {
    // Raw bytes straight to stdout as they come (a terminal reassembles UTF-8).
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
}
