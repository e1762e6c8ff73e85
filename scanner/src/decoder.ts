import QrScanner from 'qr-scanner';

/**
 * Reading a QR code from the camera or a photo: the browser's own `BarcodeDetector` where it
 * has one for QR codes, otherwise qr-scanner's decoder, run in its worker (a file of ours, so
 * the page's CSP needs no `blob:`).
 */

type Source = HTMLVideoElement | ImageBitmap;
export type Decode = (source: Source) => Promise<string | null>;

interface Detector {
  detect(source: Source): Promise<{ rawValue: string }[]>;
}
interface DetectorClass {
  new (options: { formats: string[] }): Detector;
  getSupportedFormats(): Promise<string[]>;
}

async function nativeDetector(): Promise<Detector | null> {
  const Native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    return (await Native.getSupportedFormats()).includes('qr_code')
      ? new Native({ formats: ['qr_code'] })
      : null;
  } catch {
    return null;
  }
}

let decoder: Promise<{ decode: Decode; engine: 'native' | 'qr-scanner' }> | undefined;

export function qrDecoder(workerUrl: string) {
  decoder ??= nativeDetector().then((native) => {
    if (native) {
      return {
        engine: 'native' as const,
        decode: async (source: Source) => (await native.detect(source))[0]?.rawValue ?? null,
      };
    }
    const worker = new Worker(workerUrl);
    const canvas = document.createElement('canvas');
    return {
      engine: 'qr-scanner' as const,
      decode: async (source: Source) => {
        try {
          const found = await QrScanner.scanImage(source, {
            qrEngine: worker,
            canvas,
            returnDetailedScanResult: true,
          });
          return found.data || null;
        } catch {
          return null; // no QR code in this frame
        }
      },
    };
  });
  return decoder;
}

/** The back camera into `video`, decoded a few times a second until `stop()`. */
export async function startCamera(
  video: HTMLVideoElement,
  decode: Decode,
  onCode: (code: string) => void,
): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: 'environment' } },
    audio: false,
  });
  video.srcObject = stream;
  await video.play();
  let running = true;
  let last = '';
  let lastAt = 0;
  const tick = async () => {
    if (!running) return;
    if (video.readyState >= 2) {
      const code = await decode(video);
      // The same code held in front of the camera is one scan, not one per frame.
      if (code && (code !== last || Date.now() - lastAt > 3000)) {
        last = code;
        lastAt = Date.now();
        onCode(code);
      } else if (code) {
        lastAt = Date.now();
      }
    }
    if (running) setTimeout(tick, 150);
  };
  void tick();
  return () => {
    running = false;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
}
