import { rowIndex, rowName } from '../../../shared/seats';

export interface TierBand {
  /** 1-based, inclusive row positions within the block. */
  fromRow: number;
  toRow: number;
  tierId: string;
}

export interface SeatPlan {
  firstRow: string;
  rows: number;
  seatsPerRow: number;
  bands: TierBand[];
}

/** The rows of an inventory.generate call; a row no band covers gets the first band's tier. */
export function planRows(plan: SeatPlan): Array<{ name: string; seats: number; tierId: string }> {
  const start = rowIndex(plan.firstRow);
  const rows = [];
  for (let i = 1; i <= plan.rows; i++) {
    const band = plan.bands.find((b) => i >= b.fromRow && i <= b.toRow) ?? plan.bands[0];
    rows.push({ name: rowName(start + i - 1), seats: plan.seatsPerRow, tierId: band?.tierId ?? '' });
  }
  return rows;
}
