import { DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID } from '@modelarts-kit/emulator';
import { signRequest } from '@modelarts-kit/client';
import { loadOfficialSigner } from '../lib/official-sdk.js';
import { metricOf, pairRatio, runInterleaved, type Variant } from '../lib/rounds.js';
import { type ScenarioResult, target } from '../lib/report.js';
import type { Settings } from '../settings.js';

const ENDPOINT = 'https://modelarts.cn-north-4.myhuaweicloud.com';
const PATH = `/v1/${DEFAULT_PROJECT_ID}/data-annotations/282/tags/show`;

function imageIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i * 2654435761).toString(16).padStart(32, '0').slice(-32));
}

interface Shape {
  label: string;
  ids: string[];
}

/**
 * µs per signature of one tags/show request, each signer fed the request the
 * way its own client hands it over: ours gets the exact body string that will
 * be sent; the official AKSKSigner gets the request object its HcClient builds
 * (body as an object, which it JSON.stringifies to hash). Both read the clock
 * for X-Sdk-Date on every signature, as in production.
 */
export async function signingScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { signatures, rounds, warmup } = settings.signing;
  const official = loadOfficialSigner();
  const credential = official.basicCredentials(DEFAULT_CREDENTIALS.accessKey, DEFAULT_CREDENTIALS.secretKey, DEFAULT_PROJECT_ID);
  const shapes: Shape[] = [
    { label: '1 image ID', ids: imageIds(1) },
    { label: '100 image IDs', ids: imageIds(100) },
  ];

  let sink = 0;
  const variants: Variant[] = [];
  for (const shape of shapes) {
    const body = JSON.stringify({ image_id: shape.ids });
    const data = { image_id: shape.ids };
    const ours = (): void => {
      const headers = signRequest(
        {
          method: 'POST',
          url: `${ENDPOINT}${PATH}`,
          headers: { 'content-type': 'application/json', 'x-project-id': DEFAULT_PROJECT_ID },
          body,
        },
        DEFAULT_CREDENTIALS,
      );
      sink += headers.authorization!.length;
    };
    const theirs = (): void => {
      // The request object as HttpRequestBuilder leaves it after BaseCredentials.processAuthRequest.
      const request = {
        endpoint: `${ENDPOINT}${PATH}`,
        url: PATH,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Project-Id': DEFAULT_PROJECT_ID, 'User-Agent': 'huaweicloud-usdk-nodejs/3.0' },
        queryParams: {},
        pathParams: {},
        data,
      };
      const headers = official.sign(request, credential);
      sink += headers.Authorization!.length;
    };
    for (const [name, sign] of [
      [`ours (signRequest), ${shape.label}`, ours],
      [`official (AKSKSigner), ${shape.label}`, theirs],
    ] as const) {
      for (let i = 0; i < warmup; i++) sign();
      variants.push({
        name,
        async run() {
          const t0 = performance.now();
          for (let i = 0; i < signatures; i++) sign();
          const ms = performance.now() - t0;
          return { usPerSignature: (ms * 1000) / signatures, signaturesPerSecond: signatures / (ms / 1000) };
        },
      });
    }
  }
  const results = await runInterleaved(variants, rounds, (r, sample) =>
    settings.log(`  round ${r + 1}/${rounds}: ${[...sample].map(([n, s]) => `${n} ${s.usPerSignature!.toFixed(2)} us`).join(', ')}`),
  );
  if (sink === 0) throw new Error('no signature was produced');

  const ratios = shapes.map((shape) =>
    pairRatio(
      results,
      `official / ours, ${shape.label}`,
      `official (AKSKSigner), ${shape.label}`,
      `ours (signRequest), ${shape.label}`,
      'usPerSignature',
    ),
  );
  const rows = variants.map((v) => {
    const us = metricOf(results, v.name, 'usPerSignature');
    return { name: v.name, usPerSignature: us, signaturesPerSecond: metricOf(results, v.name, 'signaturesPerSecond') };
  });
  return {
    id: '2',
    title: 'Signing cost: SDK-HMAC-SHA256 signatures of a tags/show request',
    status: 'ok',
    method: [
      `${signatures.toLocaleString('en-US')} signatures per signer per round, ${rounds} interleaved rounds, after ${warmup.toLocaleString('en-US')} warm-up signatures each; no server involved.`,
      'Each signer gets the request as its client hands it over (ours: the exact body string; official: the HcClient request object, body as an object) and reads the clock for X-Sdk-Date every time.',
      'Two request shapes: one image ID (scenario 1) and 100 image IDs (the default batch).',
    ],
    rounds,
    tables: [
      {
        title: 'Microseconds per signature',
        table: {
          columns: ['signer', 'us/signature', 'min', 'max', 'signatures/s'],
          rows: rows.map((r) => [
            r.name,
            r.usPerSignature.median,
            r.usPerSignature.min,
            r.usPerSignature.max,
            r.signaturesPerSecond.median,
          ]),
        },
      },
    ],
    ratios,
    targets: ratios.map((r) =>
      target(`ours >= 2 x faster than the official signer (${r.name.replace('official / ours, ', '')})`, r.median, '>=', 2),
    ),
    notes: [],
    data: { signatures, rounds, warmup, signers: rows, ratios },
    seconds: (performance.now() - started) / 1000,
  };
}
