// What a terminal holds offline costs an attacker this much (issue 18, item 5): the shift PIN's
// PBKDF2-SHA-256 verifier (`terminal.me`), guessed on one core here; and the refund PIN, of
// which a terminal holds nothing, guessable only online at the server's lock rate.
//   npx tsx scripts/pin-cost.ts
import { createPinVerifier, PIN_ITERATIONS, verifyPin } from '../src/lib/domain/pin';
import { MAX_PIN_FAILURES, PIN_LOCK_MS } from '../src/lib/domain/shift';
import { MAX_REFUND_PIN_FAILURES_PER_DAY } from '../server/services/counter-refund';

const GUESSES = 40;

async function main() {
	const stored = await createPinVerifier('999999');
	const started = performance.now();
	for (let i = 0; i < GUESSES; i++) await verifyPin(String(100_000 + i), stored);
	const msPerGuess = (performance.now() - started) / GUESSES;
	const hours = (n: number) => ((n * msPerGuess) / 3_600_000).toFixed(2);
	console.log(`shift PIN verifier: PBKDF2-SHA-256, ${PIN_ITERATIONS} iterations`);
	console.log(`  ${msPerGuess.toFixed(1)} ms per guess on one core (WebCrypto)`);
	console.log(`  whole space: 4 digits ${hours(1e4)} h, 6 digits ${hours(1e6)} h on one core`);
	const perDay = Math.min(
		(MAX_PIN_FAILURES * 24 * 3_600_000) / PIN_LOCK_MS,
		MAX_REFUND_PIN_FAILURES_PER_DAY
	);
	console.log('refund PIN: 8 digits, argon2id on the server only; nothing of it on a terminal');
	console.log(`  online only: at most ${perDay} wrong guesses per cashier per day`);
	console.log(
		`  chance to hit it within a year: ${((perDay * 365) / 1e8).toExponential(2)} (10^8 PINs)`
	);
}

void main();
