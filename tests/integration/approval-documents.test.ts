import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertPartner, insertUser } from './support/fixtures';

const t = useTestDatabase();
beforeAll(async () => {
	await insertPartner(t.db, 1, 10);
});

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');

async function statusOf(companyId: number) {
	const row = await t.db
		.selectFrom('companies')
		.select('status')
		.where('id', '=', companyId)
		.executeTakeFirstOrThrow();
	return row.status;
}

describe('approval needs a document to check', () => {
	it('the server refuses to approve a company that uploaded nothing, and approves once it has', async () => {
		const companyId = await insertCompany(t.db, { status: 'pending' });
		const company = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));

		expect(await operator.operator.approve({ companyId, percent: '10' })).toEqual({
			ok: false,
			fieldErrors: {},
			error: 'no_documents'
		});
		expect(await statusOf(companyId)).toBe('pending');
		// still in the queue, with no document, and with no rate set by the refused approval
		const queued = (await operator.operator.reviewQueue()).find((c) => c.id === companyId);
		expect(queued).toMatchObject({ documents: [], rateBp: null });

		const uploaded = await company.companies.uploadDocument({
			fileName: 'устав.pdf',
			content: PDF
		});
		if (!uploaded.ok) throw new Error(JSON.stringify(uploaded));
		// the company takes its only document back: nothing to check again
		expect(await company.companies.deleteDocument({ id: uploaded.document.id })).toEqual({
			ok: true
		});
		expect(await operator.operator.approve({ companyId, percent: '10' })).toMatchObject({
			ok: false,
			error: 'no_documents'
		});

		await company.companies.uploadDocument({ fileName: 'устав.pdf', content: PDF });
		expect(await operator.operator.approve({ companyId, percent: '10' })).toEqual({ ok: true });
		expect(await statusOf(companyId)).toBe('active');
		expect((await operator.operator.company({ companyId }))?.rateBp).toBe(1000);
	});

	it('a company that is not under review is refused as such, documents or not', async () => {
		const companyId = await insertCompany(t.db, { status: 'rejected' });
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		expect(await operator.operator.approve({ companyId, percent: '10' })).toMatchObject({
			ok: false,
			error: 'not_pending'
		});
	});
});
