import { createEventInput, updateEventInput } from '../../../../shared/events';
import { generateSeatsInput } from '../../../../shared/inventory';
import { setGroupDiscountsInput, setTiersInput } from '../../../../shared/pricing';
import { useAction, useFormAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** Staff editing events: every change shows in the event lists (staff and public) at once. */
export function useCreateEvent() {
  const utils = trpc.useUtils();
  return useFormAction(trpc.events.create.useMutation({ onSuccess: () => utils.events.invalidate() }), createEventInput);
}

export function useUpdateEvent() {
  const utils = trpc.useUtils();
  return useFormAction(trpc.events.update.useMutation({ onSuccess: () => utils.events.invalidate() }), updateEventInput);
}

export function useCancelEvent() {
  const utils = trpc.useUtils();
  return useAction(trpc.events.cancel.useMutation({ onSuccess: () => utils.events.invalidate() }), { errors: 'toast' });
}

/** Tiers name the seat map's colours and prices. */
export function useSetTiers() {
  const utils = trpc.useUtils();
  return useFormAction(
    trpc.pricing.setTiers.useMutation({
      onSuccess: (_tiers, input) => Promise.all([utils.events.invalidate(), utils.inventory.seatMapCompact.invalidate({ eventId: input.eventId })]),
    }),
    setTiersInput,
  );
}

/** The event's rules are part of `events.byId`, and quotes apply them. */
export function useSetGroupDiscounts() {
  const utils = trpc.useUtils();
  return useFormAction(
    trpc.pricing.setGroupDiscounts.useMutation({
      onSuccess: (_rules, input) => Promise.all([utils.events.byId.invalidate({ id: input.eventId }), utils.pricing.quote.invalidate()]),
    }),
    setGroupDiscountsInput,
  );
}

export function useGenerateSeats() {
  const utils = trpc.useUtils();
  return useFormAction(
    trpc.inventory.generate.useMutation({
      onSuccess: (_created, input) => Promise.all([utils.events.invalidate(), utils.inventory.seatMapCompact.invalidate({ eventId: input.eventId })]),
    }),
    generateSeatsInput,
  );
}

export function useGenerateLayout() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.inventory.generateLayout.useMutation({
      onSuccess: (_created, input) => Promise.all([utils.events.invalidate(), utils.inventory.seatMapCompact.invalidate({ eventId: input.eventId })]),
    }),
    { errors: 'form' },
  );
}

export function useSaveTemplate() {
  const utils = trpc.useUtils();
  return useAction(trpc.layouts.saveTemplate.useMutation({ onSuccess: () => utils.layouts.templates.invalidate() }), { errors: 'form' });
}
