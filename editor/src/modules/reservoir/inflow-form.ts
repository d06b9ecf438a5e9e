import type { IprBody, IprMethod, IprResult } from '../../api/reservoir-ipr';
import { toDisplay, type UnitSystem } from '../../units/units';
import { parseDecimal, toCanonical } from '../production/quantities';

/*
 * The inflow performance screen's form and chart data, pure: typed values in
 * the site's units (psi or kPa, bbl/d or m³/d; pressures gauge) to the API's
 * canonical body, and the API's curve back to display units.
 */

export type InflowSource = 'stored' | 'values';

export interface InflowForm {
  method: IprMethod;
  /** stored: a well test (Vogel, composite) or a multi-rate test (Fetkovich) of the well; values: typed in. */
  source: InflowSource;
  wellTestId: string;
  multiRateTestId: string;
  /** Optional with stored data (the latest survey then), required with typed values. */
  reservoirPressure: string;
  bubblePoint: string;
  testRate: string;
  testPressure: string;
  /** Fetkovich with typed values: one "rate pressure" pair a line. */
  points: string;
  atPressure: string;
  targetRate: string;
}

export type InflowFormError = 'required' | 'notANumber' | 'pointsFormat';
export type InflowFormResult = { body: IprBody } | { errors: Partial<Record<keyof InflowForm, InflowFormError>> };

export function emptyInflowForm(): InflowForm {
  return {
    method: 'vogel',
    source: 'stored',
    wellTestId: '',
    multiRateTestId: '',
    reservoirPressure: '',
    bubblePoint: '',
    testRate: '',
    testPressure: '',
    points: '',
    atPressure: '',
    targetRate: '',
  };
}

/** One "rate pressure" pair a line (a tab, a semicolon or spaces between; a decimal comma is accepted); null when a line is not two numbers. */
export function parsePoints(text: string, system: UnitSystem): { rateM3PerDay: number; flowingPressureKpa: number }[] | null {
  const points: { rateM3PerDay: number; flowingPressureKpa: number }[] = [];
  for (const line of text.split('\n').map((candidate) => candidate.trim()).filter((candidate) => candidate !== '')) {
    const parts = line.split(/[\s;]+/).filter((part) => part !== '');
    if (parts.length !== 2) return null;
    const rate = parseDecimal(parts[0]);
    const pressure = parseDecimal(parts[1]);
    if (rate === null || pressure === null) return null;
    points.push({ rateM3PerDay: toCanonical(rate, 'm3/d', system), flowingPressureKpa: toCanonical(pressure, 'kPa', system) });
  }
  return points;
}

/**
 * The request for the form. Only what the form checks itself is refused here
 * (a required box left empty, text that is not a number); the server refuses
 * the rest, naming the field (no survey before the test, no bubble point...).
 */
export function iprBody(form: InflowForm, wellId: string, system: UnitSystem): InflowFormResult {
  const errors: Partial<Record<keyof InflowForm, InflowFormError>> = {};
  const quantity = (field: keyof InflowForm, unit: 'kPa' | 'm3/d', required: boolean): number | undefined => {
    const text = form[field].trim();
    if (text === '') {
      if (required) errors[field] = 'required';
      return undefined;
    }
    const value = parseDecimal(text);
    if (value === null) {
      errors[field] = 'notANumber';
      return undefined;
    }
    return toCanonical(value, unit, system);
  };
  const typed = form.source === 'values';
  const body: IprBody = { method: form.method };
  if (wellId !== '') body.wellId = wellId;
  const reservoirPressureKpa = quantity('reservoirPressure', 'kPa', typed);
  if (reservoirPressureKpa !== undefined) body.reservoirPressureKpa = reservoirPressureKpa;
  const bubblePointKpa = quantity('bubblePoint', 'kPa', false);
  if (bubblePointKpa !== undefined) body.bubblePointKpa = bubblePointKpa;
  if (form.method === 'fetkovich') {
    if (!typed) {
      if (form.multiRateTestId === '') errors.multiRateTestId = 'required';
      else body.multiRateTestId = form.multiRateTestId;
    } else {
      const points = parsePoints(form.points, system);
      if (points === null) errors.points = 'pointsFormat';
      else if (points.length === 0) errors.points = 'required';
      else body.points = points;
    }
  } else if (!typed) {
    if (form.wellTestId === '') errors.wellTestId = 'required';
    else body.wellTestId = form.wellTestId;
  } else {
    const testRateM3PerDay = quantity('testRate', 'm3/d', true);
    const testPressureKpa = quantity('testPressure', 'kPa', true);
    if (testRateM3PerDay !== undefined) body.testRateM3PerDay = testRateM3PerDay;
    if (testPressureKpa !== undefined) body.testPressureKpa = testPressureKpa;
  }
  const atPressureKpa = quantity('atPressure', 'kPa', false);
  if (atPressureKpa !== undefined) body.atPressureKpa = atPressureKpa;
  const targetRateM3PerDay = quantity('targetRate', 'm3/d', false);
  if (targetRateM3PerDay !== undefined) body.targetRateM3PerDay = targetRateM3PerDay;
  return Object.keys(errors).length > 0 ? { errors } : { body };
}

/** The server's field names onto the form's inputs, so its 400 shows next to the right box. */
export const SERVER_FIELDS: Readonly<Record<string, keyof InflowForm>> = {
  reservoirPressureKpa: 'reservoirPressure',
  bubblePointKpa: 'bubblePoint',
  testRateM3PerDay: 'testRate',
  testPressureKpa: 'testPressure',
  wellTestId: 'wellTestId',
  multiRateTestId: 'multiRateTestId',
  points: 'points',
  atPressureKpa: 'atPressure',
  targetRateM3PerDay: 'targetRate',
};

/** The form input a server error's field (`body.targetRateM3PerDay`, `points.2.flowingPressureKpa`) is about, if any. */
export function serverFieldOf(field: string | undefined): keyof InflowForm | undefined {
  if (field === undefined) return undefined;
  const name = field.replace(/^body\./, '').split('.')[0];
  return Object.hasOwn(SERVER_FIELDS, name) ? SERVER_FIELDS[name] : undefined;
}

/**
 * The chart's data in display units: x the rate, ascending; the curve and the
 * test points as two series over the union of their x values (uPlot aligns
 * series on one x), null where a series has no point.
 */
export interface InflowChartData {
  rates: number[];
  curve: (number | null)[];
  tests: (number | null)[];
}

export function inflowChartData(result: IprResult, system: UnitSystem): InflowChartData {
  const rate = (value: number) => toDisplay(value, 'm3/d', system).value;
  const pressure = (value: number) => toDisplay(value, 'kPa', system).value;
  const rows = [
    ...result.curve.map((point) => ({ x: rate(point.rateM3PerDay), curve: pressure(point.flowingPressureKpa), test: null })),
    ...result.testPoints.map((point) => ({ x: rate(point.rateM3PerDay), curve: null, test: pressure(point.flowingPressureKpa) })),
  ].sort((a, b) => a.x - b.x);
  return { rates: rows.map((row) => row.x), curve: rows.map((row) => row.curve), tests: rows.map((row) => row.test) };
}
