import { saveTemplateInput, templateIdInput } from '../../../shared/layout.js';
import { deleteTemplate, listTemplates, saveTemplate } from '../../services/inventory/venue-templates.js';
import { actorOf, router, staffProcedure } from '../../trpc/init.js';

/** Venue templates: layouts saved by name for new events (docs/api.md, "Venue layouts"). */
export const layoutsRouter = router({
  templates: staffProcedure.query(({ ctx }) => listTemplates(ctx.deps)),
  saveTemplate: staffProcedure.input(saveTemplateInput).mutation(({ ctx, input }) => saveTemplate(ctx.deps, input, actorOf(ctx))),
  deleteTemplate: staffProcedure.input(templateIdInput).mutation(({ ctx, input }) => deleteTemplate(ctx.deps, input, actorOf(ctx))),
});
