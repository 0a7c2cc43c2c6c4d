// Run by Bun (test/engines/run.mjs): bun test/engines/bun-entry.mjs DIST/index.js JOB.json RESULT.json
// Loads the built package, runs job.mjs, writes the results.
import { runJob } from './job.mjs';

const [distIndex, jobFile, outFile] = process.argv.slice(2);
const kolmo = await import(distIndex);
const job = JSON.parse(await Bun.file(jobFile).text());
const result = await runJob(kolmo, job, (s) => console.log(`  [bun] ${s}`));
result.engine = { name: 'Bun', version: Bun.version, revision: Bun.revision, userAgent: navigator.userAgent };
await Bun.write(outFile, JSON.stringify(result));
process.exit(0);
