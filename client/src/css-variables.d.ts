import 'react';

/** CSS custom properties that components set inline, so `style` stays typed without a cast. */
declare module 'react' {
  interface CSSProperties {
    /** The hue of an event card's art when it has no image (styles.css, .event-art). */
    '--h'?: number;
  }
}
