/**
 * Signing benchmark: one three-page document (invisible signature and with the vector seal), and a
 * batch of 100 three-page documents, side by side with @signpdf (signer-p12 + placeholder-pdf-lib)
 * on the same documents and the same PKCS#12 key. Prints a table; the last line is JSON.
 */
import { createOrganisationCa, issuePersonCertificate, openPkcs12Signer, signBatch, signPdf, verifyPdf } from '../src/signing';
import { signWithSignpdf, threePagePdf } from './support/signing';

const BATCH = 100;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const ca = createOrganisationCa({ name: '市政府办公室' });
  const password = 'bench-password';
  const person = issuePersonCertificate({ ca, commonName: '赵敏', unit: '市政府办公室', password });
  const documents = await Promise.all(Array.from({ length: BATCH }, (_, index) => threePagePdf(`Notice ${index + 1}`)));
  const single = documents[0]!;
  const seal = { page: 3, x: 142, y: 50, graphic: { type: 'officialSeal' as const, unitName: '市政府办公室', bottomText: '公文专用章' } };

  // Ours: the key is unlocked once (as in a batch), then each signature is measured alone.
  const signer = openPkcs12Signer(person.p12, password);
  for (let i = 0; i < 20; i += 1) await signPdf(single, signer, { appearance: i % 2 ? seal : undefined });
  const invisibleTimes: number[] = [];
  const sealedTimes: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    let start = performance.now();
    await signPdf(single, signer, { reason: '用印' });
    invisibleTimes.push(performance.now() - start);
    start = performance.now();
    await signPdf(single, signer, { reason: '用印', appearance: seal });
    sealedTimes.push(performance.now() - start);
  }
  signer.close();

  // Ours, batch of 100: includes opening the PKCS#12 (the one password entry).
  let start = performance.now();
  const batchSigner = openPkcs12Signer(person.p12, password);
  const results = await signBatch(documents.map((pdf, index) => ({ id: String(index), pdf })), batchSigner, { signOptions: { reason: '用印', appearance: seal } });
  const oursBatchMs = performance.now() - start;
  if (results.some((result) => !result.ok)) throw new Error('our batch had failures');
  const firstOurs = results[0];
  if (!firstOurs?.ok || !(await verifyPdf(firstOurs.pdf, { trustedRoots: ca.certificatePem })).ok) throw new Error('our output does not verify');

  // Verification of a document with three signatures (what the server does on every upload).
  let threeSigned: Buffer = single;
  for (let i = 0; i < 3; i += 1) threeSigned = await signPdf(threeSigned, openPkcs12Signer(person.p12, password), { reason: `step ${i + 1}` });
  const verifyTimes: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    const t = performance.now();
    const verification = await verifyPdf(threeSigned, { trustedRoots: ca.certificatePem });
    verifyTimes.push(performance.now() - t);
    if (!verification.ok) throw new Error('three-signature document does not verify');
  }

  // @signpdf: single (median of 10 after 3 warm-ups) and the same batch.
  for (let i = 0; i < 3; i += 1) await signWithSignpdf(single, person.p12, password);
  const signpdfTimes: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    const t = performance.now();
    await signWithSignpdf(single, person.p12, password);
    signpdfTimes.push(performance.now() - t);
  }
  start = performance.now();
  const signpdfOutputs: Buffer[] = [];
  for (const pdf of documents) signpdfOutputs.push(await signWithSignpdf(pdf, person.p12, password));
  const signpdfOutput = signpdfOutputs[0];
  const signpdfBatchMs = performance.now() - start;
  const signpdfVerifies = signpdfOutput ? (await verifyPdf(signpdfOutput, { trustedRoots: ca.certificatePem })).signatures[0]?.checks.signature.ok : false;

  const figures = {
    singleInvisibleMs: round(median(invisibleTimes)),
    singleSealedMs: round(median(sealedTimes)),
    batch100Ms: round(oursBatchMs, 0),
    signpdfSingleMs: round(median(signpdfTimes)),
    signpdfBatch100Ms: round(signpdfBatchMs, 0),
    batchSpeedup: round(signpdfBatchMs / oursBatchMs, 1),
    verifyThreeSignaturesMs: round(median(verifyTimes)),
    singleSpeedup: round(median(signpdfTimes) / median(invisibleTimes), 1),
    signpdfOutputVerifiesWithOurVerifier: Boolean(signpdfVerifies),
  };
  console.log('signing, three-page A4 documents, RSA-2048 PKCS#12 key');
  console.log('| what | XieTong | @signpdf | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| one signature (median, ms) | ${figures.singleInvisibleMs} (with seal ${figures.singleSealedMs}) | ${figures.signpdfSingleMs} | ${figures.singleSpeedup}× |`);
  console.log(`| batch of ${BATCH} (ms, total) | ${figures.batch100Ms} (with seal) | ${figures.signpdfBatch100Ms} (invisible) | ${figures.batchSpeedup}× |`);
  console.log(`verify a document with three signatures (median): ${figures.verifyThreeSignaturesMs} ms`);
  console.log(`targets: single < 10 ms: ${figures.singleInvisibleMs < 10 ? 'met' : 'MISSED'}; batch ≥ 10× @signpdf: ${figures.batchSpeedup >= 10 ? 'met' : 'MISSED'}`);
  console.log(JSON.stringify({ bench: 'signing', ...figures }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
