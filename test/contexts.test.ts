// The state behind some of the predictor's contexts (assembly/cm/xml.ts, cm/byte-classes.ts):
// what they report after a given text, through the development module's probes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { devCodecInstance } from './helpers/dev-wasm.js';

type ContextExports = {
  memory: WebAssembly.Memory;
  inputPtr(): number;
  xmlContextAfter(n: number): number;
  byteClassOf(c: number): number;
  classesAfter(n: number, which: number): number;
};

const x = devCodecInstance() as unknown as ContextExports;

function load(text: string | Uint8Array): number {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  new Uint8Array(x.memory.buffer, x.inputPtr(), bytes.length).set(bytes);
  return bytes.length;
}
const xmlAfter = (text: string) => x.xmlContextAfter(load(text)) >>> 0;
const classesAfter = (text: string, which: number) => x.classesAfter(load(text), which) >>> 0;

describe('XML elements (cm/xml.ts)', () => {
  it('reports nothing until an end tag has closed the element it names', () => {
    expect(xmlAfter('<a><b>text')).toBe(0);
    expect(xmlAfter('if (a < b && c > d) { x = y >> 2; }\n#include <stdio.h>\nvector<int> v;\n')).toBe(0);
    expect(xmlAfter('<a><b>t</b>')).not.toBe(0);
  });

  it('is the innermost open element, whatever came before it', () => {
    const inA = xmlAfter('<a><b>t</b>');
    expect(xmlAfter('<a><c x="1">other</c>')).toBe(inA);
    expect(xmlAfter('<q>u</q><a><br/>')).toBe(inA); // "/>" opens nothing
    expect(xmlAfter('<b><a>t</a>')).not.toBe(inA);
    expect(xmlAfter('<a><b>t</b><c ')).not.toBe(inA); // inside a tag
  });

  it('closes the unclosed elements inside an end tag\'s own (HTML), and ignores an end tag that closes nothing open', () => {
    const inY = xmlAfter('<b>t</b><y>');
    expect(xmlAfter('<x><b>t</b><p>u<br>v</x><y>')).toBe(inY);
    expect(xmlAfter('<b>t</b><y></z>')).toBe(inY);
  });

  it('stays bounded on any bytes, and many unclosed elements do not hide the innermost', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      x.xmlContextAfter(load(bytes));
    }), { numRuns: 200 });
    expect(xmlAfter('<b>t</b>' + '<p>'.repeat(500) + '<y>')).toBe(xmlAfter('<b>t</b><y>'));
  });
});

describe('byte classes (cm/byte-classes.ts)', () => {
  it('gives each byte its class', () => {
    const cls = (s: string) => x.byteClassOf(s.charCodeAt(0));
    expect([cls('7'), cls('q'), cls('Q'), cls(' '), cls('\n'), cls(','), cls('\t'), cls(';')]).toEqual([1, 2, 3, 4, 5, 6, 6, 6]);
    expect([cls('.'), cls('-'), cls(':'), cls('/'), cls('"'), cls("'"), cls('<'), cls('>'), cls('('), cls(')'), cls('_'), cls('#')])
      .toEqual([7, 8, 9, 10, 11, 11, 12, 12, 13, 13, 14, 15]);
    for (let c = 128; c < 256; c++) expect(x.byteClassOf(c)).toBe(15);
  });

  it('keeps the classes of the last eight bytes and of the last eight runs, and the current run\'s length', () => {
    expect(classesAfter('ab1', 0).toString(16)).toBe('221');
    expect(classesAfter('ab1', 1).toString(16)).toBe('21');
    expect(classesAfter('ab1', 2)).toBe(1);
    expect(classesAfter('Year 2024', 0).toString(16)).toBe('22241111');
    expect(classesAfter('Year 2024', 1).toString(16)).toBe('3241');
    expect(classesAfter('Year 2024', 2)).toBe(4);
    expect(classesAfter('x'.repeat(300), 2)).toBe(255);
    expect(classesAfter('', 1)).toBe(0);
  });
});
