import fs from 'node:fs';
import QRCode from 'qrcode';

/**
 * Chromium's fake camera (--use-file-for-fake-video-capture) plays a Y4M file: this writes one of a
 * QR code of `text`, as grey-scale frames (YUV 4:2:0, neutral chroma), black modules on white, centred.
 */
export function qrVideo(text: string, file: string): void {
  const width = 640;
  const height = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const module = Math.floor(360 / (size + 8));
  const left = Math.floor((width - size * module) / 2);
  const top = Math.floor((height - size * module) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let y = 0; y < module; y++)
        luma.fill(16, (top + r * module + y) * width + left + c * module, (top + r * module + y) * width + left + (c + 1) * module);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}
