import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { seatSchema } from '../../shared/seats.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../services/errors.js';
import { isStaff } from '../services/users/viewer.js';
import { orderTicketsPdf } from '../services/tickets/order-pdf.js';
import type { HttpDeps } from './deps.js';
import { sendAppError } from './guard.js';

const params = z.object({ id: z.uuid('Not an order id.') });
const query = z.object({ row: seatSchema.shape.row.optional(), number: z.coerce.number().pipe(seatSchema.shape.number).optional() });

/**
 * GET /api/orders/<id>/tickets.pdf, optionally ?row=C&number=5 for one ticket: a download (a plain
 * route, as a PDF is not JSON), for the signed-in buyer or staff. Reading only, so a cookie from
 * any page may fetch it; nothing is changed.
 */
export function ticketsPdfRoute(app: FastifyInstance, deps: AppDeps, http: HttpDeps): void {
  app.get('/api/orders/:id/tickets.pdf', async (req, reply) => {
    try {
      const auth = await http.authenticate(req);
      if (!auth) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
      const id = params.safeParse(req.params);
      const seat = query.safeParse(req.query);
      if (!id.success) throw new AppError('ORDER_NOT_FOUND', 'Order not found.');
      if (!seat.success || (seat.data.row === undefined) !== (seat.data.number === undefined)) {
        throw new AppError('INVALID_INPUT', 'Name one seat with both row and number (such as ?row=C&number=5), or neither.');
      }
      const { row, number } = seat.data;
      const { filename, pdf } = await orderTicketsPdf(deps, {
        orderId: id.data.id,
        viewerId: auth.user.id,
        staff: isStaff(auth.user),
        seat: row !== undefined && number !== undefined ? { row, number } : null,
      });
      return await reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    } catch (error) {
      if (error instanceof AppError) return sendAppError(reply, error);
      throw error;
    }
  });
}
