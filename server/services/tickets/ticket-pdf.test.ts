import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { ticketsPdf } from './ticket-pdf.js';

describe('ticketsPdf', () => {
  it('writes one page per ticket, and names in Polish, Greek or Russian come out as written', async () => {
    const pdf = await ticketsPdf(
      {
        number: 'TSR-7KQ4-2M',
        eventName: 'Ζωντανά: Концерт in Łódź',
        venue: 'Filharmonia Łódzka',
        startsAt: new Date('2027-03-05T18:30:00Z'),
        holderName: 'Zoë Ødegård',
        tickets: [
          { barcode: 'AAAABBBBCCCCDDDDEEEEFFFFGG', row: 'B', number: 7, tierName: 'Parter', priceCents: 12000, currency: 'PLN' },
          { barcode: 'HHHHJJJJKKKKMMMMNNNNPPPPQQ', row: 'B', number: 8, tierName: 'Parter', priceCents: 12000, currency: 'PLN' },
        ],
      },
      'Europe/Warsaw',
    );
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false });
    expect(text).toHaveLength(2);
    expect(text[0]).toContain('Ζωντανά: Концерт in Łódź');
    expect(text[0]).toContain('Filharmonia Łódzka');
    expect(text[0]).toContain('Zoë Ødegård');
    // The time in the zone asked for: 18:30 UTC is 19:30 in Warsaw in March.
    expect(text[0]).toMatch(/Fri, Mar 5, 2027, 7:30\s?PM GMT\+1/);
    expect(text[0]).toContain('AAAABBBBCCCCDDDDEEEEFFFFGG');
    expect(text[1]).toContain('HHHHJJJJKKKKMMMMNNNNPPPPQQ');
    expect(text[1]).toContain('ticket 2 of 2');
  });
});
