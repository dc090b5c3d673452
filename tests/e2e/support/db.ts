import postgres from 'postgres';

/**
 * Direct SQL on the database the app under test uses, when it is Postgres (E2E_DATABASE_URL,
 * set by scripts/e2e.js when DATABASE_URL is given). On embedded PGlite the server holds the
 * data directory exclusively; tests then check through the app instead.
 */
export function e2eSql(): postgres.Sql | null {
	const url = process.env.E2E_DATABASE_URL;
	return url ? postgres(url, { max: 2, onnotice: () => {} }) : null;
}
