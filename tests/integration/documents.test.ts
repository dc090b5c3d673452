import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { detectDocumentType, safeDocumentName } from '../../server/repositories/documents';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertUser } from './support/fixtures';

const t = useTestDatabase();

const bytes = (...parts: (number[] | string)[]) =>
	new Uint8Array(
		parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p))
	);
const PDF = bytes('%PDF-1.7\n', '1 0 obj << >> endobj\n%%EOF\n');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 2, 3]);
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR');
const ELF = bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 'not a pdf at all');
const WINDOWS_EXE = bytes('MZ', [0x90, 0, 3, 0], 'This program cannot be run in DOS mode');

async function companyWithUser(status: 'pending' | 'active' | 'rejected') {
	const companyId = await insertCompany(t.db, { status });
	const user = await insertUser(t.db, 'company', { companyId });
	return { companyId, user, api: await callerAs(t.db, user) };
}

describe('document type from content', () => {
	it('knows PDF, JPEG and PNG by their first bytes and nothing else', () => {
		expect(detectDocumentType(PDF)).toBe('application/pdf');
		expect(detectDocumentType(JPEG)).toBe('image/jpeg');
		expect(detectDocumentType(PNG)).toBe('image/png');
		expect(detectDocumentType(ELF)).toBeNull();
		expect(detectDocumentType(WINDOWS_EXE)).toBeNull();
		expect(detectDocumentType(bytes('%PD'))).toBeNull();
		expect(detectDocumentType(bytes('<html>%PDF-'))).toBeNull();
	});

	it('keeps a safe name whose extension matches the content', () => {
		expect(safeDocumentName('../../etc/устав.pdf', 'application/pdf')).toBe('устав.pdf');
		expect(safeDocumentName('C:\\scans\\ИНН.JPG', 'image/jpeg')).toBe('ИНН.JPG');
		expect(safeDocumentName('scan.pdf', 'image/png')).toBe('scan.pdf.png');
		expect(safeDocumentName('a"b\r\n.png', 'image/png')).toBe('ab.png');
		expect(safeDocumentName('', 'application/pdf')).toBe('document.pdf');
	});
});

describe('company documents', () => {
	it('a pending company uploads PDF, JPEG and PNG and sees them; the type comes from the content', async () => {
		const { api } = await companyWithUser('pending');
		for (const [name, content, type] of [
			['устав.pdf', PDF, 'application/pdf'],
			['паспорт.jpg', JPEG, 'image/jpeg'],
			['inn.pdf', PNG, 'image/png']
		] as const) {
			const outcome = await api.companies.uploadDocument({ fileName: name, content });
			expect(outcome).toMatchObject({ ok: true, document: { contentType: type } });
		}
		const status = await api.companies.reviewStatus();
		expect(status.status).toBe('pending');
		expect(status.documents.map((d) => [d.fileName, d.contentType, d.sizeBytes]).sort()).toEqual(
			[
				['inn.pdf.png', 'image/png', PNG.length],
				['паспорт.jpg', 'image/jpeg', JPEG.length],
				['устав.pdf', 'application/pdf', PDF.length]
			].sort()
		);
		const stored = await api.companies.document({ id: status.documents[0]!.id });
		expect(stored).not.toBeNull();
		expect(stored!.content).toBeInstanceOf(Uint8Array);
	});

	it('refuses an executable renamed .pdf, an empty file and an 11 MB file', async () => {
		const { api, companyId } = await companyWithUser('pending');
		expect(await api.companies.uploadDocument({ fileName: 'договор.pdf', content: ELF })).toEqual({
			ok: false,
			error: 'unsupported_type'
		});
		expect(
			await api.companies.uploadDocument({ fileName: 'setup.pdf', content: WINDOWS_EXE })
		).toEqual({ ok: false, error: 'unsupported_type' });
		expect(
			await api.companies.uploadDocument({ fileName: 'x.pdf', content: new Uint8Array() })
		).toEqual({ ok: false, error: 'empty' });
		const big = new Uint8Array(11 * 1024 * 1024);
		big.set(PDF);
		expect(await api.companies.uploadDocument({ fileName: 'big.pdf', content: big })).toEqual({
			ok: false,
			error: 'too_large'
		});
		const exactlyTen = new Uint8Array(10 * 1024 * 1024);
		exactlyTen.set(PDF);
		expect(
			(await api.companies.uploadDocument({ fileName: 'ten.pdf', content: exactlyTen })).ok
		).toBe(true);
		const rows = await t.db
			.selectFrom('company_documents')
			.select('file_name')
			.where('company_id', '=', companyId)
			.execute();
		expect(rows.map((r) => r.file_name)).toEqual(['ten.pdf']);
	});

	it('a rejected company sees the reason, uploads again and is back in the queue', async () => {
		const { api, companyId } = await companyWithUser('pending');
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		await api.companies.uploadDocument({ fileName: 'old.pdf', content: PDF });
		expect(await operator.operator.reject({ companyId, reason: 'Скан устава нечитаем' })).toEqual({
			ok: true
		});
		const rejected = await api.companies.reviewStatus();
		expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'Скан устава нечитаем' });
		expect((await operator.operator.reviewQueue()).map((c) => c.id)).not.toContain(companyId);

		expect((await api.companies.uploadDocument({ fileName: 'new.pdf', content: PDF })).ok).toBe(
			true
		);
		const again = await api.companies.reviewStatus();
		expect(again).toMatchObject({ status: 'pending', rejectionReason: 'Скан устава нечитаем' });
		const queue = await operator.operator.reviewQueue();
		const entry = queue.find((c) => c.id === companyId);
		expect(entry?.documents.map((d) => d.fileName).sort()).toEqual(['new.pdf', 'old.pdf']);
	});

	it('an active company cannot change its reviewed documents', async () => {
		const { api } = await companyWithUser('active');
		expect(await api.companies.uploadDocument({ fileName: 'late.pdf', content: PDF })).toEqual({
			ok: false,
			error: 'not_under_review'
		});
	});

	it('only that company and operators can read a document; others and anonymous users cannot', async () => {
		const owner = await companyWithUser('pending');
		const other = await companyWithUser('pending');
		const uploaded = await owner.api.companies.uploadDocument({
			fileName: 'устав.pdf',
			content: PDF
		});
		if (!uploaded.ok) throw new Error('upload failed');
		const id = uploaded.document.id;

		expect(await other.api.companies.document({ id })).toBeNull();
		expect(await other.api.companies.deleteDocument({ id })).toEqual({
			ok: false,
			error: 'not_found'
		});
		expect((await other.api.companies.reviewStatus()).documents).toEqual([]);

		const anonymous = await callerAs(t.db, null);
		await expect(anonymous.companies.document({ id })).rejects.toBeInstanceOf(TRPCError);
		await expect(anonymous.operator.document({ id })).rejects.toMatchObject({
			code: 'UNAUTHORIZED'
		});
		const partner = await callerAs(t.db, await insertUser(t.db, 'partner', { partnerId: 1 }));
		await expect(partner.operator.document({ id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(owner.api.operator.document({ id })).rejects.toMatchObject({ code: 'FORBIDDEN' });

		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const seen = await operator.operator.document({ id });
		expect(seen?.fileName).toBe('устав.pdf');
		expect([...seen!.content]).toEqual([...PDF]);
		const mine = await owner.api.companies.document({ id });
		expect(mine?.contentType).toBe('application/pdf');
		expect(await owner.api.companies.deleteDocument({ id })).toEqual({ ok: true });
	});
});
