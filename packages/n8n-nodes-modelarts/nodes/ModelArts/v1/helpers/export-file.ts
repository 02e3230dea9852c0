import { ZipArchiveWriter, type LabelExport, type ZipCodec } from '@modelarts-kit/formats';
import { Deflate, deflateSync } from 'fflate/browser';

/**
 * Raw DEFLATE in plain JavaScript (fflate's browser build: no Worker, no timer, no Node module). n8n
 * lets a community node load no Node module but crypto, so the formats package's ZIP writer gets
 * this codec instead of Node's zlib; the archive itself (ZIP64 past 65,535 files) is the same.
 */
export const javaScriptDeflate: ZipCodec = {
	deflateRaw: (data) => deflateSync(data),
	async *deflateRawStream(chunks) {
		const ready: Uint8Array[] = [];
		const deflate = new Deflate((chunk) => {
			ready.push(chunk);
		});
		for await (const chunk of chunks) {
			deflate.push(chunk);
			yield* ready.splice(0);
		}
		deflate.push(new Uint8Array(0), true);
		yield* ready.splice(0);
	},
};

export interface ExportedFile {
	data: Buffer;
	/** The file's name: the export's own single file name, or `<base>.zip`. */
	fileName: string;
	mimeType: string;
	/** The files of the export (inside the ZIP, or the one file). */
	paths: string[];
	zipped: boolean;
}

const MIME_TYPES: Record<string, string> = {
	json: 'application/json',
	csv: 'text/csv',
	jsonl: 'application/x-ndjson',
	manifest: 'application/x-ndjson',
	zip: 'application/zip',
};

const extensionOf = (path: string): string => path.slice(path.lastIndexOf('.') + 1).toLowerCase();

async function bytesOf(content: string | AsyncIterable<string> | Iterable<string>): Promise<Buffer> {
	if (typeof content === 'string') return Buffer.from(content, 'utf8');
	const parts: string[] = [];
	for await (const part of content) parts.push(part);
	return Buffer.from(parts.join(''), 'utf8');
}

async function* utf8(content: AsyncIterable<string> | Iterable<string>): AsyncGenerator<Uint8Array> {
	for await (const part of content) yield Buffer.from(part, 'utf8');
}

/**
 * Reads an export into one file: its only file as it is (COCO, CSV, JSON Lines, a classification
 * manifest), or a ZIP of all its files (VOC, YOLO, a detection manifest with its VOC files). The
 * first file is held until the second shows whether a ZIP is needed. `baseName` names the file when
 * the caller gives no name: `<baseName>.<extension of the single file>` or `<baseName>.zip`.
 */
export async function exportToFile(
	exported: LabelExport,
	baseName: string,
	fileName: string | undefined,
	modified: Date,
): Promise<ExportedFile> {
	const paths: string[] = [];
	let held: { path: string; data: Buffer } | undefined;
	let zip: ZipArchiveWriter | undefined;
	const chunks: Uint8Array[] = [];
	const openZip = async (): Promise<ZipArchiveWriter> => {
		const writer = new ZipArchiveWriter(
			async (bytes) => {
				chunks.push(bytes);
			},
			javaScriptDeflate,
			modified,
		);
		if (held) await writer.addFile(held.path, held.data);
		held = undefined;
		return writer;
	};
	for await (const file of exported.files()) {
		paths.push(file.path);
		if (!zip && paths.length === 1 && !file.path.includes('/')) {
			held = { path: file.path, data: await bytesOf(file.content) };
			continue;
		}
		zip ??= await openZip();
		if (typeof file.content === 'string') await zip.addFile(file.path, Buffer.from(file.content, 'utf8'));
		else await zip.addStream(file.path, utf8(file.content));
	}
	if (held) {
		const extension = extensionOf(held.path);
		return {
			data: held.data,
			fileName: fileName ?? `${baseName}.${extension}`,
			mimeType: MIME_TYPES[extension] ?? 'application/octet-stream',
			paths,
			zipped: false,
		};
	}
	zip ??= await openZip();
	await zip.finish();
	return { data: Buffer.concat(chunks), fileName: fileName ?? `${baseName}.zip`, mimeType: MIME_TYPES.zip!, paths, zipped: true };
}
