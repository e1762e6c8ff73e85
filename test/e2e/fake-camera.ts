import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { qrMatrix } from '../../worker/tickets/qr-svg';

/**
 * A fake camera for Chromium (`--use-file-for-fake-video-capture=<file>.y4m`): one still frame
 * showing `text` as a QR code, black on white, looped by the browser as a video. Y4M is raw
 * YUV 4:2:0: a luma plane (the picture in grey) and two chroma planes (128: no colour).
 */
export function qrVideoFile(text: string, name: string): string {
  const width = 640;
  const height = 480;
  const matrix = qrMatrix(text);
  const modules = matrix.length + 8; // with the quiet zone
  const scale = Math.floor(Math.min(width, height) / modules);
  const left = Math.floor((width - modules * scale) / 2) + 4 * scale;
  const top = Math.floor((height - modules * scale) / 2) + 4 * scale;
  const luma = Buffer.alloc(width * height, 235);
  matrix.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) {
        const start = (top + y * scale + dy) * width + left + x * scale;
        luma.fill(16, start, start + scale);
      }
    });
  });
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const file = path.join(tmpdir(), `${name}-${process.pid}.y4m`);
  writeFileSync(file, Buffer.concat([header, frame, frame]));
  return file;
}
