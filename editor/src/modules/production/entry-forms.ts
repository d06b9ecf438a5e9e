import type {
  BottomholePressureSource,
  DowntimeBody,
  DowntimeReason,
  Fluid,
  GasDispositionBody,
  GasDispositionKind,
  MeterReadingBody,
  RunTicketBody,
  TankGaugeBody,
  WellTestBody,
} from '../../api/production';
import type { UnitSystem } from '../../units/units';
import { instantFromInput } from './dates';
import { fluidRateUnit, fluidVolumeUnit, parseDecimal, toCanonical, type ProductionUnit } from './quantities';
import { serverReasonText } from '../../api/error-text';

/*
 * The entry forms hold what the inputs show (text, in the site's display
 * units); these functions turn them into request bodies in canonical SI. Only
 * what the browser cannot send is checked here; the server owns the rules
 * (ranges, strapping limits) and answers with field errors.
 */

export type InputError = 'required' | 'notANumber' | 'notATime' | 'endBeforeStart';
export type FormResult<F, B> = { body: B } | { errors: Partial<Record<keyof F, InputError>> };

/** In the order the server lists them; a unit test keeps the two lists equal. */
export const DOWNTIME_REASONS = [
  'esp_trip',
  'power_failure',
  'mechanical_failure',
  'gas_lift_failure',
  'planned_maintenance',
  'workover',
  'well_test',
  'facility_constraint',
  'weather',
  'shut_in_by_operator',
  'other',
] as const satisfies readonly DowntimeReason[];

/** Collects per-field problems while the body is built. */
class Reader<F extends object> {
  readonly errors: Partial<Record<keyof F, InputError>> = {};

  constructor(
    private readonly form: F,
    private readonly system: UnitSystem,
  ) {}

  private text(field: keyof F): string {
    const value = this.form[field];
    return typeof value === 'string' ? value.trim() : '';
  }

  choice(field: keyof F): string {
    const value = this.text(field);
    if (value === '') this.errors[field] = 'required';
    return value;
  }

  /** A required number typed in `unit`'s display unit, returned in the canonical unit. */
  quantity(field: keyof F, unit: ProductionUnit | null): number {
    return this.optionalQuantity(field, unit, true) ?? 0;
  }

  optionalQuantity(field: keyof F, unit: ProductionUnit | null, required = false): number | undefined {
    const text = this.text(field);
    if (text === '') {
      if (required) this.errors[field] = 'required';
      return undefined;
    }
    const value = parseDecimal(text);
    if (value === null) {
      this.errors[field] = 'notANumber';
      return undefined;
    }
    return unit === null ? value : toCanonical(value, unit, this.system);
  }

  instant(field: keyof F): string {
    return this.optionalInstant(field, true) ?? '';
  }

  optionalInstant(field: keyof F, required = false): string | undefined {
    const text = this.text(field);
    if (text === '') {
      if (required) this.errors[field] = 'required';
      return undefined;
    }
    const instant = instantFromInput(text);
    if (instant === null) this.errors[field] = 'notATime';
    return instant ?? undefined;
  }

  notes(field: keyof F): string | undefined {
    const text = this.text(field);
    return text === '' ? undefined : text;
  }

  result<B>(body: B): FormResult<F, B> {
    return Object.keys(this.errors).length > 0 ? { errors: this.errors } : { body };
  }
}

/** Left out of the body rather than sent as undefined, so the JSON stays as the schema expects. */
function present<T extends object>(body: T): T {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;
}

/** The oil's quality as typed: gravity in the site's unit (°API or kg/m³) and BS&W in percent. */
interface OilQualityForm {
  gravity: string;
  bsw: string;
}

/** Oilfield sites read an API gravity, metric sites a density: the label the gravity input carries. */
export function gravityUnitLabel(system: UnitSystem): string {
  return system === 'oilfield' ? '°API' : 'kg/m³';
}

/** The i18n key of the gravity input's label: an API gravity or a density, by unit system. */
export function gravityLabelKey(system: UnitSystem): 'production.oil.apiGravity' | 'production.oil.density' {
  return system === 'oilfield' ? 'production.oil.apiGravity' : 'production.oil.density';
}

/** The body carries the reading the site takes (°API or kg/m³, as typed: both are already in their canonical unit) and the BS&W. */
function oilQuality<F extends OilQualityForm>(read: Reader<F>, system: UnitSystem) {
  const gravity = read.optionalQuantity('gravity', null);
  return {
    ...(system === 'oilfield' ? { observedApiGravity: gravity } : { observedDensityKgPerM3: gravity }),
    bswPercent: read.optionalQuantity('bsw', null),
  };
}

export interface TankGaugeForm extends OilQualityForm {
  tankId: string;
  gaugedAt: string;
  level: string;
  waterLevel: string;
  temperature: string;
  notes: string;
}

export function tankGaugeBody(form: TankGaugeForm, system: UnitSystem): FormResult<TankGaugeForm, TankGaugeBody> {
  const read = new Reader(form, system);
  return read.result(
    present({
      tankId: read.choice('tankId'),
      gaugedAt: read.instant('gaugedAt'),
      levelM: read.quantity('level', 'm'),
      waterLevelM: read.optionalQuantity('waterLevel', 'm'),
      temperatureDegC: read.optionalQuantity('temperature', 'degC'),
      ...oilQuality(read, system),
      notes: read.notes('notes'),
    }),
  );
}

export interface MeterReadingForm {
  meterId: string;
  fluid: Fluid;
  volume: string;
  totalizer: string;
  notes: string;
}

/** Gas meters count standard volume: the volume is typed in Sm³ or Mscf. */
export function meterReadingBody(
  form: MeterReadingForm,
  productionDate: string,
  system: UnitSystem,
): FormResult<MeterReadingForm, MeterReadingBody> {
  const read = new Reader(form, system);
  const unit = fluidVolumeUnit(form.fluid);
  return read.result(
    present({
      meterId: read.choice('meterId'),
      productionDate,
      fluid: form.fluid,
      volumeM3: read.quantity('volume', unit),
      totalizerM3: read.optionalQuantity('totalizer', unit),
      notes: read.notes('notes'),
    }),
  );
}

export interface GasDispositionForm {
  disposition: GasDispositionKind;
  volume: string;
  notes: string;
}

/** Gas is typed in Sm³ or Mscf, at standard conditions. */
export function gasDispositionBody(
  form: GasDispositionForm,
  siteAssetId: string,
  productionDate: string,
  system: UnitSystem,
): FormResult<GasDispositionForm, GasDispositionBody> {
  const read = new Reader(form, system);
  return read.result(
    present({ siteAssetId, productionDate, disposition: form.disposition, volumeSm3: read.quantity('volume', 'Sm3'), notes: read.notes('notes') }),
  );
}

export interface RunTicketForm extends OilQualityForm {
  ticketNumber: string;
  shippedAt: string;
  fluid: Fluid;
  volume: string;
  destination: 'truck' | 'pipeline';
  carrier: string;
  /** '' when the load did not come from a tank. */
  tankId: string;
  /** Oil tickets: the oil's temperature when loaded (with gravity and BS&W, for the net standard volume). */
  temperature: string;
  notes: string;
}

export function runTicketBody(form: RunTicketForm, siteAssetId: string, system: UnitSystem): FormResult<RunTicketForm, RunTicketBody> {
  const read = new Reader(form, system);
  const tankId = form.tankId.trim();
  return read.result(
    present({
      siteAssetId,
      tankId: tankId === '' ? undefined : tankId,
      ticketNumber: read.choice('ticketNumber'),
      shippedAt: read.instant('shippedAt'),
      fluid: form.fluid,
      volumeM3: read.quantity('volume', fluidVolumeUnit(form.fluid)),
      destination: form.destination,
      carrier: form.carrier.trim(),
      // Only oil has a gravity and a BS&W; the inputs are hidden for gas and water.
      ...(form.fluid === 'oil' ? { temperatureDegC: read.optionalQuantity('temperature', 'degC'), ...oilQuality(read, system) } : {}),
      notes: read.notes('notes'),
    }),
  );
}

export interface DowntimeForm {
  wellId: string;
  startedAt: string;
  /** '' while the well is still down. */
  endedAt: string;
  reasonCode: DowntimeReason | '';
  notes: string;
}

export function downtimeBody(form: DowntimeForm): FormResult<DowntimeForm, DowntimeBody> {
  // Times and a reason only: the unit system plays no part.
  const read = new Reader(form, 'metric');
  const wellId = read.choice('wellId');
  const startedAt = read.instant('startedAt');
  const endedAt = read.optionalInstant('endedAt');
  if (endsBeforeStart(endedAt, startedAt)) read.errors.endedAt = 'endBeforeStart';
  read.choice('reasonCode');
  if (form.reasonCode === '') return { errors: read.errors };
  return read.result(present({ wellId, startedAt, endedAt, reasonCode: form.reasonCode, notes: read.notes('notes') }));
}

/**
 * A downtime may end at the instant it started (an event of under a minute,
 * typed to the minute), never before it; the server holds the same rule.
 */
function endsBeforeStart(endedAt: string | undefined, startedAt: string): boolean {
  return endedAt !== undefined && startedAt !== '' && Date.parse(endedAt) < Date.parse(startedAt);
}

export interface CloseDowntimeForm {
  endedAt: string;
}

/** The end typed in the close dialog, checked against the stored start (which may carry seconds). */
export function closeDowntimeBody(endedAtText: string, startedAt: string): FormResult<CloseDowntimeForm, { endedAt: string }> {
  const read = new Reader<CloseDowntimeForm>({ endedAt: endedAtText }, 'metric');
  const endedAt = read.instant('endedAt');
  if (endsBeforeStart(endedAt === '' ? undefined : endedAt, startedAt)) read.errors.endedAt = 'endBeforeStart';
  return read.result({ endedAt });
}

export interface WellTestForm {
  wellId: string;
  startedAt: string;
  durationHours: string;
  oilRate: string;
  gasRate: string;
  waterRate: string;
  /** Lift gas injected during the test (gas-lift wells); '' when none. */
  liftGasRate: string;
  choke: string;
  tubingPressure: string;
  casingPressure: string;
  separatorPressure: string;
  /** Bottomhole flowing pressure during the test (for the reservoir IPR); '' when not recorded. */
  bottomholePressure: string;
  bottomholePressureSource: BottomholePressureSource;
  notes: string;
}

/** The pressure goes with how it was obtained; without a pressure, neither is sent. */
function bottomholeFields(
  pressureKpa: number | undefined,
  source: BottomholePressureSource,
): { bottomholePressureKpa?: number; bottomholePressureSource?: BottomholePressureSource } {
  return pressureKpa === undefined ? {} : { bottomholePressureKpa: pressureKpa, bottomholePressureSource: source };
}

export function wellTestBody(form: WellTestForm, system: UnitSystem): FormResult<WellTestForm, WellTestBody> {
  const read = new Reader(form, system);
  return read.result(
    present({
      wellId: read.choice('wellId'),
      startedAt: read.instant('startedAt'),
      durationHours: read.quantity('durationHours', null),
      oilRateM3PerDay: read.quantity('oilRate', fluidRateUnit('oil')),
      gasRateSm3PerDay: read.quantity('gasRate', fluidRateUnit('gas')),
      waterRateM3PerDay: read.quantity('waterRate', fluidRateUnit('water')),
      liftGasInjectionSm3PerDay: read.optionalQuantity('liftGasRate', fluidRateUnit('gas')),
      chokePercent: read.optionalQuantity('choke', null),
      tubingPressureKpa: read.optionalQuantity('tubingPressure', 'kPa'),
      casingPressureKpa: read.optionalQuantity('casingPressure', 'kPa'),
      separatorPressureKpa: read.optionalQuantity('separatorPressure', 'kPa'),
      ...bottomholeFields(read.optionalQuantity('bottomholePressure', 'kPa'), form.bottomholePressureSource),
      notes: read.notes('notes'),
    }),
  );
}

/**
 * The server's `details: { field, reason }` (one or a list) as messages per
 * form field. Its field names are the body's (levelM, volumeM3, reason...);
 * `aliases` maps them onto the form's inputs. Complaints about other fields
 * come back apart so they can still be shown.
 */
export function serverFieldErrors<K extends string>(
  details: unknown,
  aliases: Readonly<Record<string, K>>,
): { fields: Partial<Record<K, string>>; other: string[] } {
  const fields: Partial<Record<K, string>> = {};
  const other: string[] = [];
  for (const entry of (Array.isArray(details) ? details : [details]) as unknown[]) {
    if (typeof entry !== 'object' || entry === null || !('field' in entry) || !('reason' in entry)) continue;
    const { field, reason } = entry;
    if (typeof field !== 'string' || typeof reason !== 'string') continue;
    const name = field.replace(/^\//, '').split(/[./]/).pop() ?? '';
    const input = Object.hasOwn(aliases, name) ? aliases[name] : undefined;
    const text = serverReasonText(entry);
    if (input === undefined) other.push(`${field}: ${text}`);
    else fields[input] = text;
  }
  return { fields, other };
}
