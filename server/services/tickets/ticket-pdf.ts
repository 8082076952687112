import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatEventTime, formatMoney } from '../../../shared/money.js';

export interface PrintableTicket {
  barcode: string;
  row: string;
  number: number;
  tierName: string;
  priceCents: number;
  currency: string;
}

export interface PrintableOrder {
  number: string;
  eventName: string;
  venue: string;
  startsAt: Date;
  holderName: string;
  tickets: PrintableTicket[];
}

/**
 * DejaVu (embedded, subset by pdfkit): the PDF standard fonts only cover Western European
 * letters, so "Łódź" or "Зал" would print as garbage. DejaVu covers Latin, Greek and Cyrillic;
 * CJK scripts are not in it.
 */
const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
// Read once per process, not per document.
const FONTS = {
  regular: fs.readFileSync(path.join(FONT_DIR, 'DejaVuSans.ttf')),
  bold: fs.readFileSync(path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')),
  mono: fs.readFileSync(path.join(FONT_DIR, 'DejaVuSansMono.ttf')),
};

/** Characters the PDF standard fonts (WinAnsi encoding) print: Latin-1 and Windows-1252's extras. */
const WIN_ANSI =
  /^[\u0020-\u007e\u00a0-\u00ff\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178\n]*$/;

/** Intl puts thin and narrow no-break spaces in times ("7:30 PM"): plain spaces print everywhere. */
const plain = (text: string) => text.replace(/[\u2009\u202f]/g, ' ');

const INK = '#111827';
const MUTED = '#4b5563';

/**
 * The tickets of an order as one PDF, one A6 page per ticket: event, time, venue, row and seat,
 * tier and price, the order number and the QR code the door scans (drawn as vector squares with
 * the 4-module quiet zone the QR standard asks for, so it prints sharp at any size).
 */
export async function ticketsPdf(order: PrintableOrder, timeZone: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A6',
    margin: 22,
    autoFirstPage: false,
    info: { Title: `Tickets ${order.number} · ${order.eventName}`, Author: 'Tessera', Subject: `Order ${order.number}` },
  });
  // The standard fonts when every word fits them (a tenth of the work: embedding a font costs
  // ~75 ms a document); DejaVu when a name needs more.
  const texts = [
    order.eventName,
    order.venue,
    order.holderName,
    ...order.tickets.flatMap((t) => [t.tierName, formatMoney(t.priceCents, t.currency)]),
  ];
  const standard = texts.every((text) => WIN_ANSI.test(plain(text)));
  doc.registerFont('Text', standard ? 'Helvetica' : FONTS.regular);
  doc.registerFont('Text-Bold', standard ? 'Helvetica-Bold' : FONTS.bold);
  doc.registerFont('Code', standard ? 'Courier' : FONTS.mono);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  for (const [i, ticket] of order.tickets.entries()) {
    doc.addPage();
    const width = doc.page.width - 44;
    doc.fillColor(MUTED).font('Text-Bold').fontSize(8).text('TESSERA · TICKET', { characterSpacing: 1.2 });
    doc.moveDown(0.4);
    doc.fillColor(INK).font('Text-Bold').fontSize(15).text(order.eventName, { width });
    doc.moveDown(0.2);
    doc
      .font('Text')
      .fontSize(9)
      .fillColor(INK)
      .text(plain(formatEventTime(order.startsAt, timeZone)), { width });
    doc.fillColor(MUTED).text(order.venue, { width });
    doc.moveDown(0.6);

    const top = doc.y;
    doc.fillColor(MUTED).fontSize(7).text('ROW', 22, top).text('SEAT', 92, top).text('TIER', 162, top);
    doc
      .fillColor(INK)
      .font('Text-Bold')
      .fontSize(20)
      .text(ticket.row, 22, top + 9)
      .text(String(ticket.number), 92, top + 9);
    doc.fontSize(10).text(ticket.tierName, 162, top + 9, { width: width - 140 });
    doc
      .font('Text')
      .fontSize(9)
      .fillColor(MUTED)
      .text(formatMoney(ticket.priceCents, ticket.currency), 162, doc.y + 1);

    const size = 150;
    const x = (doc.page.width - size) / 2;
    const y = top + 48;
    drawQr(doc, ticket.barcode, x, y, size);
    doc
      .font('Code')
      .fontSize(7.5)
      .fillColor(INK)
      .text(ticket.barcode, 22, y + size + 4, { width, align: 'center' });

    doc.font('Text').fontSize(8).fillColor(MUTED);
    doc.text(`Order ${order.number} · ticket ${i + 1} of ${order.tickets.length} · ${order.holderName}`, 22, doc.page.height - 48, {
      width,
      align: 'center',
    });
    doc.text('Show this code at the door. Each code lets one person in once.', { width, align: 'center' });
  }
  doc.end();
  return done;
}

/** A QR code as filled squares with a quiet zone of 4 modules on each side (ISO/IEC 18004). */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const module = size / (count + 8);
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < count; r += 1) {
    for (let c = 0; c < count; c += 1) {
      if (qr.modules.get(r, c)) doc.rect(x + (c + 4) * module, y + (r + 4) * module, module, module);
    }
  }
  doc.fill(INK);
}
