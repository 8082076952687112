import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

export type Decode = (frame: ImageData) => Promise<string | null>;

let loading: Promise<Decode> | null = null;

/**
 * The QR decoder: ZXing-C++ compiled to WebAssembly (zxing-wasm), loaded the first time the camera
 * starts. Its .wasm is served by this site (the library would fetch it from a CDN), so scanning
 * works behind a firewall and under the site's content security policy.
 */
export function loadDecoder(): Promise<Decode> {
  loading ??= import('zxing-wasm/reader').then(async ({ prepareZXingModule, readBarcodes }) => {
    await prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
      fireImmediately: true,
    });
    return async (frame: ImageData) => {
      const [found] = await readBarcodes(frame, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
      return found?.isValid && found.text ? found.text : null;
    };
  });
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
