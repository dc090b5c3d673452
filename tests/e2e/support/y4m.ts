import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

/**
 * Writes a Y4M video (what Chromium's --use-file-for-fake-video-capture plays, in a loop)
 * showing one QR code encoding `text`, black on white, centred. 4:2:0 with neutral chroma.
 */
export function writeQrY4m(
	path: string,
	text: string,
	options: { width?: number; height?: number } = {}
) {
	const width = options.width ?? 640;
	const height = options.height ?? 480;
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const size = qr.modules.size;
	const quiet = 4;
	// About half the frame: inside the scanner's default central scan region.
	const scale = Math.max(2, Math.floor((Math.min(width, height) * 0.5) / (size + 2 * quiet)));
	const side = (size + 2 * quiet) * scale;
	const left = Math.floor((width - side) / 2);
	const top = Math.floor((height - side) / 2);

	const luma = Buffer.alloc(width * height, 235);
	for (let row = 0; row < size; row++) {
		for (let col = 0; col < size; col++) {
			if (!qr.modules.get(row, col)) continue;
			const y0 = top + (row + quiet) * scale;
			const x0 = left + (col + quiet) * scale;
			for (let y = y0; y < y0 + scale; y++) luma.fill(16, y * width + x0, y * width + x0 + scale);
		}
	}
	const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
	const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
	writeFileSync(path, Buffer.concat([header, ...Array.from({ length: 10 }, () => frame)]));
}
