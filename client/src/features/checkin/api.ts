import { useAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** Nothing cached changes with a scan: the door's own history shows the answer. */
export function useScanTicket() {
  return useAction(trpc.checkin.scan.useMutation(), { errors: 'toast' });
}
