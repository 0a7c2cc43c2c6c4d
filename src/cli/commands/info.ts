import fs from 'node:fs';
import { hasDecoder, packPackageName } from '../../decoders.js';
import { info, levelIdsHex, LEVEL_NAMES } from '../../index.js';

// `kolmo info FILE`: the members, levels, model ids and frame layout of a .kz file.

export function printInfo(file: string): void {
  const i = info(fs.readFileSync(file));
  const layout = (m: { multiFrame: boolean; frames: unknown[]; frameSize: number | null }) =>
    m.multiFrame ? `${m.frames.length} frames of ${m.frameSize} bytes` : 'single frame';
  const model = (level: number, id: string) =>
    `${id}${
      levelIdsHex[level] === id
        ? ' (this build)'
        : hasDecoder(level, id)
          ? ' (a decoder pack)'
          : ` (this build has ${levelIdsHex[level] ?? 'none'}: it cannot decode this stream; npm install ${packPackageName(id)})`
    }`;
  const several = i.members.length > 1;
  const lines = [
    `file:          ${file}`,
    `format:        version ${i.formatVersion}, ${several ? `${i.members.length} members (concatenated streams), ${i.frames.length} frames` : layout(i)}`,
  ];
  if (!several) {
    lines.push(`level:         ${i.level}: ${LEVEL_NAMES[i.level] ?? 'unknown'}`, `model id:      ${model(i.level, i.modelId)}`);
  }
  lines.push(
    `raw bytes:     ${i.rawLength}`,
    `stored bytes:  ${i.compressedLength}`,
    `bits per byte: ${Number.isNaN(i.bitsPerByte) ? '-' : i.bitsPerByte.toFixed(4)}`,
  );
  if (i.frames.some((f) => f.stored)) lines.push(`stored raw:    ${i.frames.filter((f) => f.stored).length} frame(s)`);
  if (several) {
    i.members.forEach((m, k) => {
      lines.push(
        `member ${k}:${' '.repeat(Math.max(1, 7 - String(k).length))}at byte ${m.offset}, level ${m.level}, model id ${model(m.level, m.modelId)}, ` +
          `${layout(m)}, ${m.rawLength} raw bytes in ${m.compressedLength}`,
      );
    });
  }
  process.stdout.write(lines.join('\n') + '\n');
}
