import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { AllocationService } from "./allocation-service.js";
import { EntryService } from "./entry-service.js";
import { MonthCloseService } from "./month-close-service.js";
import type { ProductionEntryPort } from "./ports.js";
import { ReportService } from "./report-service.js";
import { WellSeriesService } from "./well-series-service.js";

/**
 * Production accounting: entries (gauges, meters, tickets, downtime, well
 * tests), allocation runs and reports. One facade so other modules and the
 * nodes see a single service; the parts live in their own files.
 */
export class ProductionService implements ProductionEntryPort {
  readonly entries: EntryService;
  readonly allocation: AllocationService;
  readonly reports: ReportService;
  readonly months: MonthCloseService;
  /** Read-only per-well series for other modules (reservoir decline analysis). */
  readonly wellSeries: WellSeriesService;

  constructor(context: ErpContext, assets: AssetLookup) {
    this.entries = new EntryService(context, assets);
    this.allocation = new AllocationService(context, assets);
    this.reports = new ReportService(context, assets);
    this.months = new MonthCloseService(context, assets);
    this.wellSeries = new WellSeriesService(context, assets);
  }

  recordTankGauge: ProductionEntryPort["recordTankGauge"] = (input, actor) => this.entries.recordTankGauge(input, actor);
  recordMeterReading: ProductionEntryPort["recordMeterReading"] = (input, actor) => this.entries.recordMeterReading(input, actor);
  recordRunTicket: ProductionEntryPort["recordRunTicket"] = (input, actor) => this.entries.recordRunTicket(input, actor);
  recordDowntime: ProductionEntryPort["recordDowntime"] = (input, actor) => this.entries.recordDowntime(input, actor);
  proposeWellTest: ProductionEntryPort["proposeWellTest"] = (input, actor) => this.entries.proposeWellTest(input, actor);
}
