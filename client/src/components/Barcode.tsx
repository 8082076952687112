import JsBarcode from 'jsbarcode';
import { useEffect, useRef } from 'react';

/** A Code 128 barcode for door scanners that read 1D codes; the text is printed beneath it. */
export function Barcode({ value }: { value: string }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    try {
      const svg = ref.current;
      JsBarcode(svg, value, { format: 'CODE128', displayValue: false, height: 44, margin: 0, width: 1.4, background: 'transparent' });
      // Scale with its box (phones) instead of keeping JsBarcode's fixed pixel size.
      const width = svg.getAttribute('width')?.replace('px', '');
      const height = svg.getAttribute('height')?.replace('px', '');
      if (width && height) {
        svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
        svg.setAttribute('preserveAspectRatio', 'none');
        svg.removeAttribute('width');
        svg.removeAttribute('height');
      }
    } catch {
      // An unencodable value still shows as text below.
    }
  }, [value]);
  return (
    <figure className="barcode">
      <svg ref={ref} role="img" aria-label={`Barcode ${value}`} />
      <figcaption>
        <code>{value}</code>
      </figcaption>
    </figure>
  );
}
