import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { ZipArchiveWriter, type ByteSink, type ZipCodec } from './zip-archive.js';

export { ZipArchiveWriter, ZipLimitError, type ByteSink, type ZipCodec } from './zip-archive.js';

/** Node's zlib: whole files at once, streamed files through a DeflateRaw stream with back-pressure. */
export const zlibCodec: ZipCodec = {
  deflateRaw: (data) => deflateRawSync(data),
  async *deflateRawStream(chunks) {
    const deflate = createDeflateRaw();
    const feeding = (async () => {
      for await (const chunk of chunks) {
        if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
      }
      deflate.end();
    })().catch((error: unknown) => {
      deflate.destroy(error as Error);
    });
    yield* deflate as AsyncIterable<Buffer>;
    await feeding;
  },
};

/** The streaming ZIP writer on Node's zlib (see ZipArchiveWriter). */
export class ZipWriter extends ZipArchiveWriter {
  constructor(sink: ByteSink, modified?: Date) {
    super(sink, zlibCodec, modified);
  }
}
