import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

export type DocumentType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** At most 10 MB per file (the CHECK constraint of company_documents says the same). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** A company's paper trail is a handful of scans; this only stops abuse of the storage. */
export const MAX_DOCUMENTS_PER_COMPANY = 30;

const EXTENSIONS: Record<DocumentType, string[]> = {
	'application/pdf': ['.pdf'],
	'image/jpeg': ['.jpg', '.jpeg'],
	'image/png': ['.png']
};

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
	return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

/**
 * The type of an upload from its first bytes — never from its name or the browser's claim:
 * `%PDF-`, JPEG's SOI marker `FF D8 FF`, PNG's eight-byte signature. Anything else is null.
 */
export function detectDocumentType(bytes: Uint8Array): DocumentType | null {
	if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	return null;
}

/**
 * A file name safe to store and to send back: no path, no control characters, at most 150
 * characters, and an extension that matches the detected type (a PNG named `scan.pdf`
 * becomes `scan.pdf.png`), so the downloaded file opens with the right program.
 */
export function safeDocumentName(name: string, type: DocumentType): string {
	const base =
		name
			.split(/[\\/]/)
			.pop()!
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
			.trim()
			// By code points: cutting UTF-16 units could split a pair into a lone surrogate.
			.match(/^.{0,150}/su)![0] || 'document';
	const lower = base.toLowerCase();
	const extensions = EXTENSIONS[type];
	return extensions.some((ext) => lower.endsWith(ext)) ? base : `${base}${extensions[0]}`;
}

export async function insertDocument(
	db: Db,
	input: { companyId: number; fileName: string; contentType: DocumentType; content: Uint8Array }
) {
	return db
		.insertInto('company_documents')
		.values({
			company_id: input.companyId,
			file_name: input.fileName,
			content_type: input.contentType,
			size_bytes: input.content.byteLength,
			content: input.content
		})
		.returning(['id', 'file_name as fileName', 'uploaded_at as uploadedAt'])
		.executeTakeFirstOrThrow();
}

/** Metadata of a company's documents, newest first; the content stays in the database. */
export function listDocuments(db: Db, companyId: number) {
	return db
		.selectFrom('company_documents')
		.select([
			'id',
			'file_name as fileName',
			'content_type as contentType',
			'size_bytes as sizeBytes',
			'uploaded_at as uploadedAt'
		])
		.where('company_id', '=', companyId)
		.orderBy('uploaded_at', 'desc')
		.orderBy('id')
		.execute();
}

export async function countDocuments(db: Db, companyId: number): Promise<number> {
	const row = await db
		.selectFrom('company_documents')
		.select(sql<number>`count(*)`.as('n'))
		.where('company_id', '=', companyId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * One document with its content. With `companyId` it is found only among that company's
 * documents: a company asking for another company's document gets nothing.
 */
export async function getDocument(db: Db, id: string, companyId?: number) {
	const row = await db
		.selectFrom('company_documents')
		.select([
			'id',
			'company_id as companyId',
			'file_name as fileName',
			'content_type as contentType',
			'size_bytes as sizeBytes',
			'content'
		])
		.where('id', '=', id)
		.$if(companyId !== undefined, (q) => q.where('company_id', '=', companyId as number))
		.executeTakeFirst();
	if (!row) return undefined;
	// postgres.js gives a Buffer, PGlite a Uint8Array: hand out one type.
	return { ...row, content: new Uint8Array(row.content) };
}

export async function deleteDocument(db: Db, id: string, companyId: number): Promise<boolean> {
	const row = await db
		.deleteFrom('company_documents')
		.where('id', '=', id)
		.where('company_id', '=', companyId)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}
