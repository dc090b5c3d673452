/**
 * Integration tests run against DATABASE_URL when it is set (each test file creates and drops
 * its own database on that server), else against in-memory PGlite. This only says which.
 */
export default function setup() {
	const url = process.env.DATABASE_URL;
	const where = url
		? `Postgres (${new URL(url).host}, a fresh database per file)`
		: 'embedded PGlite (in memory)';
	console.log(`[integration] database: ${where}`);
}
