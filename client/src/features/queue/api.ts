import { configureQueueInput } from '../../../../shared/queue';
import { useAction, useFormAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** Staff switch the waiting room on or change it: its settings and stats are read again at once. */
export function useConfigureQueue() {
  const utils = trpc.useUtils();
  return useFormAction(
    trpc.queue.configure.useMutation({
      onSuccess: (_settings, input) => Promise.all([utils.queue.settings.invalidate({ eventId: input.eventId }), utils.queue.stats.invalidate()]),
    }),
    configureQueueInput,
  );
}

/** Opening the doors lets everyone in without a pass. */
export function useOpenDoors() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.queue.openDoors.useMutation({
      onSuccess: (_settings, input) => Promise.all([utils.queue.settings.invalidate({ eventId: input.eventId }), utils.queue.stats.invalidate()]),
    }),
    { errors: 'toast' },
  );
}
