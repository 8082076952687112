import JsBarcode from 'jsbarcode';
import { useEffect, useRef } from 'react';

/** CSS pixels per bar module: scanners reading a screen need at least 2. */
const MODULE_PX = 2;
/** Blank space each side, in modules: Code 128 asks for at least 10. */
const QUIET_MODULES = 10;

/**
 * A Code 128 barcode for door scanners that read 1D codes only, drawn at its true size (never
 * squeezed into a box) with quiet zones; its box scrolls sideways where the screen is narrower.
 */
export function Barcode({ value }: { value: string }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    try {
      JsBarcode(ref.current, value, {
        format: 'CODE128',
        displayValue: false,
        height: 64,
        width: MODULE_PX,
        margin: MODULE_PX * QUIET_MODULES,
        background: '#ffffff',
        lineColor: '#000000',
      });
    } catch {
      // An unencodable value still shows as text below.
    }
  }, [value]);
  return (
    <figure className="barcode">
      {/* Focusable, so a keyboard can scroll it where it is wider than the screen. */}
      <div className="barcode-scroll" tabIndex={0} role="region" aria-label={`Barcode ${value}, scrolls sideways`}>
        <svg ref={ref} role="img" aria-label={`Barcode ${value}`} />
      </div>
      <figcaption>
        <code>{value}</code>
      </figcaption>
    </figure>
  );
}
