// Draws the Kopek icon (a white "K" in a ring on green) as PNGs without image libraries.
// Run once: node scripts/make-icons.mjs; the PNGs in static/ are committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

function crc32(buf) {
	let c,
		crc = 0xffffffff;
	for (let n = 0; n < buf.length; n++) {
		c = (crc ^ buf[n]) & 0xff;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		crc = (crc >>> 8) ^ c;
	}
	return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}
function png(size) {
	const rows = [];
	const c = size / 2;
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size * 4);
		for (let x = 0; x < size; x++) {
			const u = x / size,
				v = y / size;
			const r = Math.hypot(x + 0.5 - c, y + 0.5 - c) / size;
			let white = r > 0.36 && r < 0.42;
			// the K: a vertical bar and two diagonals
			if (u > 0.36 && u < 0.44 && v > 0.3 && v < 0.7) white = true;
			const d1 = Math.abs(u - 0.44 - (0.5 - v) * 0.75);
			if (d1 < 0.045 && v > 0.3 && v < 0.52 && u > 0.42 && u < 0.64) white = true;
			const d2 = Math.abs(u - 0.44 - (v - 0.5) * 0.75);
			if (d2 < 0.045 && v > 0.48 && v < 0.7 && u > 0.42 && u < 0.64) white = true;
			const o = 1 + x * 4;
			if (white) row.set([255, 255, 255, 255], o);
			else row.set([15, 107, 79, 255], o);
		}
		rows.push(row);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8;
	ihdr[9] = 6;
	ihdr[10] = 0;
	ihdr[11] = 0;
	ihdr[12] = 0;
	return Buffer.concat([
		Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}
mkdirSync('static/icons', { recursive: true });
writeFileSync('static/icons/icon-192.png', png(192));
writeFileSync('static/icons/icon-512.png', png(512));
writeFileSync('static/favicon.png', png(64));
