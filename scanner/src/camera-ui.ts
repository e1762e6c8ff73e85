import { qrDecoder, startCamera } from './decoder';

/** The camera button and "Scan a photo": each QR code read goes to `onCode`. */

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function wireCamera(workerUrl: string, onCode: (code: string) => void): void {
  const toggle = $<HTMLButtonElement>('camera-toggle');
  const video = $<HTMLVideoElement>('video');
  let stop: (() => void) | null = null;
  toggle.addEventListener('click', async () => {
    if (stop) {
      stop();
      stop = null;
      video.hidden = true;
      toggle.textContent = 'Start camera';
      return;
    }
    try {
      const { decode } = await qrDecoder(workerUrl);
      video.hidden = false;
      stop = await startCamera(video, decode, onCode);
      toggle.textContent = 'Stop camera';
    } catch {
      video.hidden = true;
      $('camera-error').textContent = 'The camera could not start: allow it, or type or search.';
    }
  });
  $<HTMLInputElement>('photo').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const { decode } = await qrDecoder(workerUrl);
    const code = await decode(await createImageBitmap(file));
    if (code) onCode(code);
    else $('camera-error').textContent = 'No QR code found in that photo.';
  });
}
