import { crc32 } from './crc32.js';

/** Receives the bytes of the archive in order; the promise is the back-pressure. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/**
 * Raw DEFLATE (RFC 1951, no zlib header), whole or streamed. Node's zlib is the one ZipWriter uses;
 * a host that may not load Node's zlib (an n8n community node) passes a pure-JavaScript one.
 */
export interface ZipCodec {
  deflateRaw(data: Uint8Array): Uint8Array;
  deflateRawStream(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}

interface Entry {
  /** Kept as text: a Buffer per entry weighs more than the rest of the entry with 100,000 of them. */
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  flags: number;
}

const UTF8_NAMES = 0x0800;
const DATA_DESCRIPTOR = 0x0008;
const DEFLATE = 8;
const STORE = 0;
/** Below this, deflate saves a few bytes at the cost of a zlib stream each: label files are stored. */
const STORE_BELOW = 512;
/** Bytes gathered before the sink is called: a YOLO export is 100,000 tiny entries. */
const FLUSH_AT = 256 * 1024;
const LIMIT_32 = 0xffffffff;
/** Version 2.0 (deflate) made on Unix (3), so the permissions in external attributes are read. */
const MADE_BY = (3 << 8) | 20;

/** ZIP archive too large for this writer (it writes ZIP64 only for the entry count). */
export class ZipLimitError extends Error {
  override name = 'ZipLimitError';
}

/**
 * A streaming ZIP writer (UTF-8 names) on a given DEFLATE codec (ZipWriter is this on Node's zlib).
 * Files under 512 bytes are stored, larger ones deflated whole; a streamed file is deflated as it
 * comes and followed by a data descriptor. More than 65,535 entries get the ZIP64
 * end records; a file or archive over 4 GiB is refused.
 */
export class ZipArchiveWriter {
  readonly #entries: Entry[] = [];
  readonly #sink: ByteSink;
  readonly #codec: ZipCodec;
  readonly #time: number;
  readonly #date: number;
  #offset = 0;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor(sink: ByteSink, codec: ZipCodec, modified: Date = new Date()) {
    this.#sink = sink;
    this.#codec = codec;
    this.#time = (modified.getHours() << 11) | (modified.getMinutes() << 5) | (modified.getSeconds() >> 1);
    this.#date = ((Math.max(modified.getFullYear(), 1980) - 1980) << 9) | ((modified.getMonth() + 1) << 5) | modified.getDate();
  }

  get entryCount(): number {
    return this.#entries.length;
  }

  async addFile(path: string, data: Uint8Array): Promise<void> {
    const stored = data.length < STORE_BELOW;
    const body = stored ? data : this.#codec.deflateRaw(data);
    const entry: Entry = {
      name: path,
      method: stored ? STORE : DEFLATE,
      crc: crc32(data),
      compressedSize: body.length,
      size: data.length,
      offset: this.#offset,
      flags: UTF8_NAMES,
    };
    await this.#write(this.#localHeader(entry));
    await this.#write(body);
    this.#entries.push(entry);
  }

  async addStream(path: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    const entry: Entry = {
      name: path,
      method: DEFLATE,
      crc: 0,
      compressedSize: 0,
      size: 0,
      offset: this.#offset,
      flags: UTF8_NAMES | DATA_DESCRIPTOR,
    };
    await this.#write(this.#localHeader(entry));
    const counted = (async function* () {
      for await (const chunk of chunks) {
        entry.crc = crc32(chunk, entry.crc);
        entry.size += chunk.length;
        yield chunk;
      }
    })();
    for await (const out of this.#codec.deflateRawStream(counted)) {
      entry.compressedSize += out.length;
      await this.#write(out);
    }
    if (entry.size > LIMIT_32 || entry.compressedSize > LIMIT_32)
      throw new ZipLimitError(`${path} is over 4 GiB, more than this ZIP writer stores`);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc, 4);
    descriptor.writeUInt32LE(entry.compressedSize, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    await this.#write(descriptor);
    this.#entries.push(entry);
  }

  /** Writes the central directory and the end records. */
  async finish(): Promise<void> {
    const start = this.#offset;
    const headers: Buffer[] = [];
    let size = 0;
    for (const entry of this.#entries) {
      const name = Buffer.from(entry.name, 'utf8');
      const header = Buffer.alloc(46 + name.length);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(MADE_BY, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(entry.flags, 8);
      header.writeUInt16LE(entry.method, 10);
      header.writeUInt16LE(this.#time, 12);
      header.writeUInt16LE(this.#date, 14);
      header.writeUInt32LE(entry.crc, 16);
      header.writeUInt32LE(entry.compressedSize, 20);
      header.writeUInt32LE(entry.size, 24);
      header.writeUInt16LE(name.length, 28);
      // extra, comment, disk number, internal attributes: 0
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      header.writeUInt32LE(entry.offset, 42);
      name.copy(header, 46);
      headers.push(header);
      size += header.length;
      if (size > 1 << 20) {
        await this.#write(Buffer.concat(headers));
        headers.length = 0;
        size = 0;
      }
    }
    if (headers.length > 0) await this.#write(Buffer.concat(headers));
    const directorySize = this.#offset - start;
    const count = this.#entries.length;
    if (this.#offset > LIMIT_32) throw new ZipLimitError('the archive is over 4 GiB, more than this ZIP writer stores');
    if (count > 0xffff) {
      const zip64End = Buffer.alloc(56 + 20);
      zip64End.writeUInt32LE(0x06064b50, 0);
      zip64End.writeBigUInt64LE(44n, 4);
      zip64End.writeUInt16LE((3 << 8) | 45, 12);
      zip64End.writeUInt16LE(45, 14);
      // this disk, the directory's disk: 0
      zip64End.writeBigUInt64LE(BigInt(count), 24);
      zip64End.writeBigUInt64LE(BigInt(count), 32);
      zip64End.writeBigUInt64LE(BigInt(directorySize), 40);
      zip64End.writeBigUInt64LE(BigInt(start), 48);
      // locator
      zip64End.writeUInt32LE(0x07064b50, 56);
      zip64End.writeBigUInt64LE(BigInt(this.#offset), 64);
      zip64End.writeUInt32LE(1, 72);
      await this.#write(zip64End);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(count, 0xffff), 8);
    end.writeUInt16LE(Math.min(count, 0xffff), 10);
    end.writeUInt32LE(directorySize, 12);
    end.writeUInt32LE(start, 16);
    await this.#write(end);
    await this.#flush();
  }

  #localHeader(entry: Entry): Buffer {
    const streamed = (entry.flags & DATA_DESCRIPTOR) !== 0;
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(30 + name.length);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(entry.flags, 6);
    header.writeUInt16LE(entry.method, 8);
    header.writeUInt16LE(this.#time, 10);
    header.writeUInt16LE(this.#date, 12);
    header.writeUInt32LE(streamed ? 0 : entry.crc, 14);
    header.writeUInt32LE(streamed ? 0 : entry.compressedSize, 18);
    header.writeUInt32LE(streamed ? 0 : entry.size, 22);
    header.writeUInt16LE(name.length, 26);
    name.copy(header, 30);
    return header;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    if (this.#offset + bytes.length > LIMIT_32 + 1) throw new ZipLimitError('the archive is over 4 GiB, more than this ZIP writer stores');
    this.#offset += bytes.length;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= FLUSH_AT) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const bytes = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#sink(bytes);
  }
}
