import { createPrng, type Prng } from "./prng.js";
import type { LiftType, OilfieldModel, PointDataType, SimAsset, SimEvent, SimPointDefinition, SimValue } from "./types.js";
import { arpsDeclineFraction, chokeFlowFraction, espFlowFraction, firstOrderLag, gasLiftFactor, ramp } from "./well-physics.js";

/**
 * The simulated oilfield: 12 wells (4 ESP, 4 gas lift, 4 rod pump), a test
 * and a production separator behind a manifold, two oil tanks, a water tank
 * and a gas-lift compressor. Pure: no timers, no I/O; the runner calls step().
 */

export interface OilfieldOptions {
  /** First level of tag paths. Default SITE1. */
  siteId?: string;
  /** PRNG seed: same seed, same start time, same steps => same values and events. Default 1. */
  seed?: number;
  /** Simulated epoch ms at creation. Default Date.now(). */
  startTime?: number;
  /**
   * Reservoir decline runs this many times faster than simulated time, so a
   * demo shows a year of decline in a day (365). Default 1.
   */
  declineTimeFactor?: number;
  /** Expected random events per simulated day across the field (plus the restarts and high-level pump-outs they lead to); 0 disables them. Default 4. */
  eventsPerDay?: number;
}

export type TriggerableEventKind = "esp-trip" | "esp-vibration" | "shut-in" | "restart" | "gas-lift-valve-failure" | "tank-pump-out";

export interface Oilfield extends OilfieldModel {
  /** Makes an event happen now (tests, demos). Throws if the kind does not apply to the asset. */
  triggerEvent(asset: string, kind: TriggerableEventKind): void;
  /**
   * A gas-lift well's performance curve as the well is now (decline, choke,
   * water cut, a failed valve's flat curve), as if it were running: `points`
   * injections evenly from 0 to the GL_INJ_SP maximum, oil and water without
   * measurement noise. Pure: reads the model, changes nothing, draws no
   * random numbers. Throws for an asset that is not a gas-lift well.
   */
  gasLiftCurve(asset: string, points: number): GasLiftCurvePoint[];
}

/** One point of a simulated gas-lift performance curve. */
export interface GasLiftCurvePoint {
  injectionSm3PerDay: number;
  oilM3PerDay: number;
  waterM3PerDay: number;
}

/** The well's optimum injection is this multiple of its injection scale (keeps the seeded draws as they were). */
const GAS_LIFT_OPTIMUM_PER_SCALE = 2.5;

// Physics is integrated in sub-steps no longer than this, so a runner taking
// hour-long steps still sees tanks switch pumps at the right level.
const MAX_SUBSTEP_SECONDS = 60;
const HOUR_SECONDS = 3600;
const SECONDS_PER_DAY = 86400;
const MAX_WATER_CUT = 0.95;
const ESP_RAMP_HZ_PER_SECOND = 1;
const COMPRESSOR_RAMP_RPM_PER_SECOND = 5;
const COMPRESSOR_SM3_PER_DAY_PER_RPM = 130;
const STANDARD_PRESSURE_KPA = 101.325;
const COMPRESSOR_EFFICIENCY = 0.7;
const TANK_HIGH_LEVEL_FRACTION = 0.9;
const TANK_LOW_LEVEL_FRACTION = 0.1;
const GAS_LIFT_MAX_INJECTION_SM3_PER_DAY = 60000;
/** The esp-vibration fault's extra vibration: normal 2.2-3.0 mm/s becomes 7.2-8.0, between the demo's Hi (6) and HiHi (9). */
const ESP_VIBRATION_FAULT_MM_PER_S = 5;

interface EspState {
  freqSpHz: number;
  freqHz: number;
  tripped: boolean;
  restartAt: number | null;
  productivityIndexM3PerDayPerKpa: number;
  pipKpa: number;
  currentA: number;
  vibrationMmPerS: number;
  /** Extra vibration of a worn bearing (the esp-vibration fault), until a restart (the repair). */
  vibrationFaultMmPerS: number;
}

interface GasLiftState {
  injSpSm3PerDay: number;
  injSm3PerDay: number;
  valveFailed: boolean;
  repairAt: number | null;
  naturalFlowFraction: number;
  injectionScaleSm3PerDay: number;
  /** Where the well's curve peaks: more gas than this lowers the rate. */
  optimumInjectionSm3PerDay: number;
}

interface RodPumpState {
  nominalSpm: number;
  spm: number;
  displacementM3PerDay: number;
  pumpFillPercent: number;
  rodWeightKn: number;
  fluidLoadKn: number;
  loadMaxKn: number;
}

interface Well {
  id: string;
  number: number;
  liftType: LiftType;
  liquidPotentialM3PerDay: number;
  declinePerYear: number;
  declineB: number;
  initialWaterCut: number;
  gorSm3PerM3: number;
  staticPressureKpa: number;
  shutInThpKpa: number;
  reservoirTempC: number;
  chokePercent: number;
  shutIn: boolean;
  autoRestartAt: number | null;
  thpKpa: number;
  chpKpa: number;
  flowlineTempC: number;
  oilM3PerDay: number;
  /** Gas from the reservoir: oil rate × GOR. */
  formationGasSm3PerDay: number;
  /** Separator gas: formation gas plus the lift gas injected, which returns with the production. */
  gasSm3PerDay: number;
  waterM3PerDay: number;
  waterCut: number;
  esp?: EspState;
  gasLift?: GasLiftState;
  rodPump?: RodPumpState;
}

interface Separator {
  id: string;
  oilCapacityM3: number;
  waterCapacityM3: number;
  oilHoldupM3: number;
  waterHoldupM3: number;
  /** Level-controller gain: the valve opens this much (1/s) per m3 above its low point (proportional-only, as field LCs usually are). */
  controllerGainPerSecond: number;
  basePressureKpa: number;
  kpaPerSm3PerDay: number;
  pressureKpa: number;
  oilOutM3PerDay: number;
  waterOutM3PerDay: number;
  gasOutSm3PerDay: number;
}

interface Tank {
  id: string;
  heightM: number;
  areaM2: number;
  volumeM3: number;
  pumpOn: boolean;
  pumpRateM3PerDay: number;
}

interface Compressor {
  speedSpRpm: number;
  speedRpm: number;
  flowSm3PerDay: number;
  suctionKpa: number;
  dischargeKpa: number;
  powerKw: number;
}

interface PointSpec {
  point: string;
  dataType: PointDataType;
  unit: string;
  description: string;
  write?: { min: number; max: number; apply: (value: SimValue) => void; validate?: (value: number) => string | undefined };
}

const LIFT_TYPES: readonly { liftType: LiftType; series: number; label: string }[] = [
  { liftType: "esp", series: 100, label: "ESP" },
  { liftType: "gas_lift", series: 200, label: "gas-lift" },
  { liftType: "rod_pump", series: 300, label: "rod-pump" },
];
const WELLS_PER_LIFT_TYPE = 4;

export function createOilfield(options: OilfieldOptions = {}): Oilfield {
  const siteId = options.siteId ?? "SITE1";
  const prng: Prng = createPrng(options.seed ?? 1);
  const startTime = options.startTime ?? Date.now();
  const declineTimeFactor = options.declineTimeFactor ?? 1;
  const eventsPerDay = options.eventsPerDay ?? 4;
  let elapsedSeconds = 0;
  const listeners = new Set<(event: SimEvent) => void>();

  const round = (value: number, step: number): number => Math.round(value / step) * step;

  const wells: Well[] = [];
  for (const { liftType, series } of LIFT_TYPES) {
    for (let index = 1; index <= WELLS_PER_LIFT_TYPE; index++) {
      const number = series + index;
      const liquidPotentialM3PerDay =
        liftType === "esp" ? prng.range(250, 450) : liftType === "gas_lift" ? prng.range(150, 300) : prng.range(25, 60);
      const staticPressureKpa = prng.range(14000, 20000);
      const well: Well = {
        id: `WELL-${number}`,
        number,
        liftType,
        liquidPotentialM3PerDay,
        declinePerYear: prng.range(0.15, 0.45),
        declineB: prng.range(0, 0.8),
        initialWaterCut: liftType === "esp" ? prng.range(0.4, 0.8) : prng.range(0.15, 0.6),
        gorSm3PerM3: prng.range(60, 200),
        staticPressureKpa,
        shutInThpKpa: prng.range(2500, 5500),
        reservoirTempC: prng.range(70, 95),
        chokePercent: round(prng.range(60, 95), 1),
        shutIn: false,
        autoRestartAt: null,
        thpKpa: 0,
        chpKpa: 0,
        flowlineTempC: 25,
        oilM3PerDay: 0,
        formationGasSm3PerDay: 0,
        gasSm3PerDay: 0,
        waterM3PerDay: 0,
        waterCut: 0,
      };
      if (liftType === "esp") {
        const freqSpHz = round(prng.range(50, 58), 0.5);
        well.esp = {
          freqSpHz,
          freqHz: freqSpHz,
          tripped: false,
          restartAt: null,
          // Sized so the pump draws intake pressure down to about a third of static at 60 Hz, full choke.
          productivityIndexM3PerDayPerKpa: liquidPotentialM3PerDay / (0.65 * staticPressureKpa),
          pipKpa: 0,
          currentA: 0,
          vibrationMmPerS: 0,
          vibrationFaultMmPerS: 0,
        };
      } else if (liftType === "gas_lift") {
        const injSpSm3PerDay = round(prng.range(18000, 30000), 1000);
        const naturalFlowFraction = prng.range(0.2, 0.35);
        const injectionScaleSm3PerDay = prng.range(12000, 20000);
        well.gasLift = {
          injSpSm3PerDay,
          injSm3PerDay: injSpSm3PerDay,
          valveFailed: false,
          repairAt: null,
          naturalFlowFraction,
          injectionScaleSm3PerDay,
          // Derived, not drawn: a new draw would shift every later seeded value.
          optimumInjectionSm3PerDay: GAS_LIFT_OPTIMUM_PER_SCALE * injectionScaleSm3PerDay,
        };
      } else {
        const nominalSpm = round(prng.range(5, 9), 0.5);
        well.rodPump = {
          nominalSpm,
          spm: nominalSpm,
          // Pumps are sized with headroom, so they start nearly full and pump off as the well declines.
          displacementM3PerDay: liquidPotentialM3PerDay * prng.range(1.05, 1.25),
          pumpFillPercent: 0,
          rodWeightKn: prng.range(30, 45),
          fluidLoadKn: prng.range(18, 30),
          loadMaxKn: 0,
        };
      }
      wells.push(well);
    }
  }
  const wellByNumber = new Map(wells.map((well) => [well.number, well]));

  const makeSeparator = (id: string, oilCapacityM3: number, waterCapacityM3: number, basePressureKpa: number, kpaPerSm3PerDay: number): Separator => ({
    id,
    oilCapacityM3,
    waterCapacityM3,
    oilHoldupM3: 0.3 * oilCapacityM3,
    waterHoldupM3: 0.3 * waterCapacityM3,
    controllerGainPerSecond: 1 / 600,
    basePressureKpa,
    kpaPerSm3PerDay,
    pressureKpa: basePressureKpa,
    oilOutM3PerDay: 0,
    waterOutM3PerDay: 0,
    gasOutSm3PerDay: 0,
  });
  const testSeparator = makeSeparator("SEP-TEST", 4, 4, 700, 0.002);
  const productionSeparator = makeSeparator("SEP-PROD", 25, 25, 650, 0.001);
  let testWellNumber = wells[0]?.number ?? 0;
  let manifoldPressureKpa = productionSeparator.pressureKpa;
  let manifoldTempC = 25;

  const makeTank = (id: string, heightM: number, diameterM: number, pumpRateM3PerDay: number): Tank => {
    const areaM2 = (Math.PI * diameterM * diameterM) / 4;
    return { id, heightM, areaM2, volumeM3: areaM2 * prng.range(0.2, 0.5) * heightM, pumpOn: false, pumpRateM3PerDay };
  };
  const oilTanks = [makeTank("TK-01", 8, 10, 3600), makeTank("TK-02", 8, 10, 3600)];
  const waterTank = makeTank("TK-W1", 6, 8, 2400);
  const tanks = [...oilTanks, waterTank];

  const compressor: Compressor = { speedSpRpm: 1000, speedRpm: 1000, flowSm3PerDay: 0, suctionKpa: 0, dischargeKpa: 0, powerKw: 0 };

  const nowMs = (): number => Math.round(startTime + elapsedSeconds * 1000);
  const emit = (asset: string, kind: SimEvent["kind"], message: string): void => {
    const event: SimEvent = { t: nowMs(), asset, kind, message };
    for (const listener of listeners) listener(event);
  };

  const isRunning = (well: Well): boolean => !well.shutIn && !(well.esp?.tripped ?? false);

  // ---- events -------------------------------------------------------------

  const tripEsp = (well: Well, esp: EspState): void => {
    esp.tripped = true;
    esp.freqHz = 0;
    esp.restartAt = elapsedSeconds + prng.range(0.5, 1.5) * HOUR_SECONDS;
    emit(well.id, "esp-trip", `${well.id} ESP tripped (motor overload); automatic restart scheduled`);
  };
  const shutInWell = (well: Well): void => {
    well.shutIn = true;
    well.autoRestartAt = elapsedSeconds + prng.range(1, 4) * HOUR_SECONDS;
    emit(well.id, "shut-in", `${well.id} shut in (high flowline pressure trip); automatic restart scheduled`);
  };
  const restartWell = (well: Well, reason: string): void => {
    well.shutIn = false;
    well.autoRestartAt = null;
    if (well.esp) {
      well.esp.tripped = false;
      well.esp.restartAt = null;
      well.esp.vibrationFaultMmPerS = 0;
    }
    emit(well.id, "restart", `${well.id} restarted (${reason})`);
  };
  // A worn bearing: vibration rises above its Hi alarm (6 mm/s) but stays under HiHi (9) while the pump runs, until a restart (the repair).
  const vibrateEsp = (well: Well, esp: EspState): void => {
    esp.vibrationFaultMmPerS = ESP_VIBRATION_FAULT_MM_PER_S;
    emit(well.id, "esp-vibration", `${well.id} ESP vibration rising (bearing wear); repair with a restart`);
  };
  const failGasLiftValve = (well: Well, gasLift: GasLiftState): void => {
    gasLift.valveFailed = true;
    gasLift.repairAt = elapsedSeconds + prng.range(24, 48) * HOUR_SECONDS;
    emit(well.id, "gas-lift-valve-failure", `${well.id} gas-lift valve failed: injected gas no longer lifts; slickline repair scheduled`);
  };
  const startPumpOut = (tank: Tank, reason: string): void => {
    tank.pumpOn = true;
    emit(tank.id, "tank-pump-out", `${tank.id} transfer pump started (${reason})`);
  };

  const runScheduled = (): void => {
    for (const well of wells) {
      if (well.autoRestartAt !== null && elapsedSeconds >= well.autoRestartAt) restartWell(well, "automatic restart after shut-in");
      const esp = well.esp;
      if (esp?.restartAt !== undefined && esp.restartAt !== null && elapsedSeconds >= esp.restartAt) {
        esp.tripped = false;
        esp.restartAt = null;
        emit(well.id, "restart", `${well.id} ESP restarted after trip`);
      }
      const gasLift = well.gasLift;
      if (gasLift?.repairAt !== undefined && gasLift.repairAt !== null && elapsedSeconds >= gasLift.repairAt) {
        gasLift.valveFailed = false;
        gasLift.repairAt = null;
        emit(well.id, "restart", `${well.id} gas-lift valve replaced, lift restored`);
      }
    }
  };

  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(prng.next() * items.length)];

  const maybeRandomEvent = (dtSeconds: number): void => {
    if (eventsPerDay <= 0) return;
    const probability = 1 - Math.exp((-eventsPerDay * dtSeconds) / SECONDS_PER_DAY);
    if (prng.next() >= probability) return;
    const roll = prng.next();
    if (roll < 0.35) {
      const well = pick(wells.filter((w) => w.esp && isRunning(w)));
      if (well?.esp) tripEsp(well, well.esp);
    } else if (roll < 0.65) {
      const well = pick(wells.filter(isRunning));
      if (well) shutInWell(well);
    } else if (roll < 0.75) {
      const well = pick(wells.filter((w) => w.gasLift && !w.gasLift.valveFailed));
      if (well?.gasLift) failGasLiftValve(well, well.gasLift);
    } else {
      const tank = pick(tanks.filter((t) => !t.pumpOn && t.volumeM3 > 0.3 * t.areaM2 * t.heightM));
      if (tank) startPumpOut(tank, "scheduled transfer");
    }
  };

  // ---- physics ------------------------------------------------------------

  /** A gas-lift well's liquid rate at an injection; a failed valve lets the gas through without lifting. */
  const gasLiftLiquid = (gasLift: GasLiftState, injectionSm3PerDay: number, potentialM3PerDay: number, choke: number): number =>
    potentialM3PerDay * (gasLift.valveFailed ? gasLift.naturalFlowFraction : gasLiftFactor(injectionSm3PerDay, gasLift)) * choke;

  /**
   * Rates follow the current state at once; lags and ramps move by `lagDt`
   * (Infinity settles them at their targets, 0 leaves them where they are).
   */
  const advanceWells = (lagDt: number): void => {
    const declineFraction = (well: Well): number =>
      arpsDeclineFraction(elapsedSeconds * declineTimeFactor, well.declinePerYear, well.declineB);

    // Lift gas first: the compressor caps the total, shared pro rata among the gas-lift wells.
    compressor.speedRpm = ramp(compressor.speedRpm, compressor.speedSpRpm, lagDt, COMPRESSOR_RAMP_RPM_PER_SECOND);
    const capacitySm3PerDay = compressor.speedRpm * COMPRESSOR_SM3_PER_DAY_PER_RPM;
    const demandSm3PerDay = wells.reduce((sum, w) => sum + (w.gasLift && isRunning(w) ? w.gasLift.injSpSm3PerDay : 0), 0);
    const share = demandSm3PerDay > capacitySm3PerDay ? capacitySm3PerDay / demandSm3PerDay : 1;
    let injectedSm3PerDay = 0;
    for (const well of wells) {
      if (!well.gasLift) continue;
      const target = isRunning(well) ? well.gasLift.injSpSm3PerDay * share : 0;
      // The lag cannot overshoot its target, so the total stays within capacity once settled; clamp for the transient.
      well.gasLift.injSm3PerDay = Math.min(firstOrderLag(well.gasLift.injSm3PerDay, target, lagDt, 300), well.gasLift.injSpSm3PerDay);
      injectedSm3PerDay += well.gasLift.injSm3PerDay;
    }
    if (injectedSm3PerDay > capacitySm3PerDay) {
      const scale = capacitySm3PerDay / injectedSm3PerDay;
      for (const well of wells) if (well.gasLift) well.gasLift.injSm3PerDay *= scale;
      injectedSm3PerDay = capacitySm3PerDay;
    }
    compressor.flowSm3PerDay = injectedSm3PerDay;
    compressor.suctionKpa = productionSeparator.pressureKpa - 30;
    const speedRatio = compressor.speedRpm / 1000;
    compressor.dischargeKpa = compressor.suctionKpa + 7800 * speedRatio * speedRatio;
    // Isothermal compression power over an overall efficiency: right order of magnitude for a reciprocating unit.
    compressor.powerKw =
      (STANDARD_PRESSURE_KPA * (compressor.flowSm3PerDay / SECONDS_PER_DAY) * Math.log(compressor.dischargeKpa / compressor.suctionKpa)) /
      COMPRESSOR_EFFICIENCY;

    const hourOfDay = ((nowMs() / 1000 / HOUR_SECONDS) % 24 + 24) % 24;
    const ambientC = 22 + 8 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);

    for (const well of wells) {
      const decline = declineFraction(well);
      well.waterCut = Math.min(MAX_WATER_CUT, well.initialWaterCut + (MAX_WATER_CUT - well.initialWaterCut) * 0.5 * (1 - decline));
      const running = isRunning(well);
      const choke = chokeFlowFraction(well.chokePercent);
      const potential = well.liquidPotentialM3PerDay * decline;
      let liquidM3PerDay = 0;
      if (well.esp) {
        const esp = well.esp;
        esp.freqHz = running ? ramp(esp.freqHz, esp.freqSpHz, lagDt, ESP_RAMP_HZ_PER_SECOND) : 0;
        liquidM3PerDay = running ? potential * espFlowFraction(esp.freqHz) * choke : 0;
        // Reservoir pressure support fades as the well depletes; intake pressure is static minus drawdown.
        const staticKpa = well.staticPressureKpa * (0.75 + 0.25 * decline);
        esp.pipKpa = Math.max(200, staticKpa - liquidM3PerDay / esp.productivityIndexM3PerDayPerKpa);
        const speed = esp.freqHz / 60;
        // Motor load ~ hydraulic power ~ flow x head; head ~ speed^2.
        esp.currentA = running && esp.freqHz > 0 ? 8 + 52 * speed * speed * (potential > 0 ? liquidM3PerDay / potential : 0) : 0;
        esp.vibrationMmPerS = running && esp.freqHz > 0 ? 1.2 + 1.5 * speed * speed + 0.8 * (1 - decline) + esp.vibrationFaultMmPerS : 0;
        well.chpKpa = firstOrderLag(well.chpKpa, 150 + 0.3 * esp.pipKpa, lagDt, 600);
      } else if (well.gasLift) {
        const gasLift = well.gasLift;
        liquidM3PerDay = running ? gasLiftLiquid(gasLift, gasLift.injSm3PerDay, potential, choke) : 0;
        // A failed (cut-out) valve lets gas through shallow at low pressure; a working one injects deep against the fluid column.
        const chpTarget = gasLift.valveFailed
          ? well.thpKpa + 900 + 0.02 * gasLift.injSm3PerDay
          : well.thpKpa + 2500 + 0.06 * gasLift.injSm3PerDay;
        well.chpKpa = firstOrderLag(well.chpKpa, chpTarget, lagDt, 600);
      } else if (well.rodPump) {
        const rod = well.rodPump;
        rod.spm = running ? rod.nominalSpm : 0;
        const displacement = rod.displacementM3PerDay * (rod.spm / rod.nominalSpm);
        const fill = running && displacement > 0 ? Math.min(1, potential / displacement) : 0;
        rod.pumpFillPercent = fill * 100;
        liquidM3PerDay = running ? Math.min(potential, displacement) * choke : 0;
        rod.loadMaxKn = rod.rodWeightKn + (running ? rod.fluidLoadKn * (0.4 + 0.6 * fill) : 0);
        well.chpKpa = firstOrderLag(well.chpKpa, 150 + 0.5 * manifoldPressureKpa, lagDt, 600);
      }
      well.oilM3PerDay = liquidM3PerDay * (1 - well.waterCut);
      well.waterM3PerDay = liquidM3PerDay * well.waterCut;
      well.formationGasSm3PerDay = well.oilM3PerDay * well.gorSm3PerM3;
      // Injected gas passes through the well to the separator, lifting or not (a stopped well's injection lags to 0).
      well.gasSm3PerDay = well.formationGasSm3PerDay + (well.gasLift ? well.gasLift.injSm3PerDay : 0);

      const headerKpa = well.number === testWellNumber ? testSeparator.pressureKpa + 80 : manifoldPressureKpa;
      const downstreamKpa = headerKpa + 0.4 * liquidM3PerDay;
      const shutInKpa = Math.max(downstreamKpa, well.shutInThpKpa * (0.7 + 0.3 * decline));
      // Closing the choke backs pressure up toward shut-in; a stopped well builds up to it.
      const thpTarget = liquidM3PerDay > 0 ? downstreamKpa + (shutInKpa - downstreamKpa) * (1 - choke) : shutInKpa;
      well.thpKpa = firstOrderLag(well.thpKpa, thpTarget, lagDt, 600);
      const flowingTempC = ambientC + (well.reservoirTempC - ambientC) * (1 - Math.exp(-liquidM3PerDay / 40));
      well.flowlineTempC = firstOrderLag(well.flowlineTempC, liquidM3PerDay > 0 ? flowingTempC : ambientC, lagDt, 1800);
    }
    manifoldTempC = ambientC;
    const flowing = wells.reduce((sum, w) => sum + w.oilM3PerDay + w.waterM3PerDay, 0);
    if (flowing > 0) {
      manifoldTempC = wells.reduce((sum, w) => sum + (w.oilM3PerDay + w.waterM3PerDay) * w.flowlineTempC, 0) / flowing - 2;
    }
  };

  /**
   * Proportional level control solved exactly over the step: holdup relaxes to
   * low point + inflow / gain. Outflow is whatever left the vessel over the step,
   * so volume balances exactly (in = out + change in holdup).
   */
  const levelControl = (holdupM3: number, inM3PerDay: number, gainPerSecond: number, lowM3: number, dtSeconds: number): { holdupM3: number; outM3PerDay: number } => {
    const equilibrium = lowM3 + inM3PerDay / SECONDS_PER_DAY / gainPerSecond;
    const next = equilibrium + (holdupM3 - equilibrium) * Math.exp(-gainPerSecond * dtSeconds);
    const outM3PerDay = Number.isFinite(dtSeconds) ? inM3PerDay - ((next - holdupM3) / dtSeconds) * SECONDS_PER_DAY : inM3PerDay;
    return { holdupM3: next, outM3PerDay: Math.max(0, outM3PerDay) };
  };

  const advanceSeparators = (dtSeconds: number): void => {
    for (const separator of [testSeparator, productionSeparator]) {
      const routed = wells.filter((w) => (w.number === testWellNumber) === (separator === testSeparator));
      const oilIn = routed.reduce((sum, w) => sum + w.oilM3PerDay, 0);
      const waterIn = routed.reduce((sum, w) => sum + w.waterM3PerDay, 0);
      const gasIn = routed.reduce((sum, w) => sum + w.gasSm3PerDay, 0);
      const oil = levelControl(separator.oilHoldupM3, oilIn, separator.controllerGainPerSecond, 0.2 * separator.oilCapacityM3, dtSeconds);
      const water = levelControl(separator.waterHoldupM3, waterIn, separator.controllerGainPerSecond, 0.2 * separator.waterCapacityM3, dtSeconds);
      separator.oilHoldupM3 = oil.holdupM3;
      separator.waterHoldupM3 = water.holdupM3;
      separator.oilOutM3PerDay = oil.outM3PerDay;
      separator.waterOutM3PerDay = water.outM3PerDay;
      separator.gasOutSm3PerDay = gasIn;
      separator.pressureKpa = firstOrderLag(separator.pressureKpa, separator.basePressureKpa + separator.kpaPerSm3PerDay * gasIn, dtSeconds, 60);
    }
    manifoldPressureKpa = productionSeparator.pressureKpa + 120;
  };

  const advanceTanks = (dtSeconds: number): void => {
    const oilInM3PerDay = testSeparator.oilOutM3PerDay + productionSeparator.oilOutM3PerDay;
    const waterInM3PerDay = testSeparator.waterOutM3PerDay + productionSeparator.waterOutM3PerDay;
    for (const tank of tanks) {
      // Oil tanks are filled in parallel (an even split), the water tank takes all produced water.
      const inM3PerDay = tank === waterTank ? waterInM3PerDay : oilInM3PerDay / oilTanks.length;
      const outM3PerDay = tank.pumpOn ? tank.pumpRateM3PerDay : 0;
      const capacityM3 = tank.areaM2 * tank.heightM;
      tank.volumeM3 = Math.min(capacityM3, Math.max(0, tank.volumeM3 + ((inM3PerDay - outM3PerDay) * dtSeconds) / SECONDS_PER_DAY));
      const levelFraction = tank.volumeM3 / capacityM3;
      if (!tank.pumpOn && levelFraction >= TANK_HIGH_LEVEL_FRACTION) startPumpOut(tank, "high level");
      if (tank.pumpOn && levelFraction <= TANK_LOW_LEVEL_FRACTION) tank.pumpOn = false;
    }
  };

  const advance = (dtSeconds: number): void => {
    elapsedSeconds += dtSeconds;
    runScheduled();
    maybeRandomEvent(dtSeconds);
    advanceWells(dtSeconds);
    advanceSeparators(dtSeconds);
    advanceTanks(dtSeconds);
  };

  // ---- points -------------------------------------------------------------

  const assets: SimAsset[] = [];
  const definitions: SimPointDefinition[] = [];
  const specs = new Map<string, PointSpec>();
  const readers = new Map<string, () => SimValue>();
  const values = new Map<string, SimValue>();
  const key = (asset: string, point: string): string => `${asset}/${point}`;

  /** Measurement noise: relative (fraction of value) plus absolute, never below zero when the quantity cannot be. */
  const noisy = (value: number, relative: number, absolute: number, nonNegative = true): number => {
    const result = value * (1 + relative * prng.gaussian()) + absolute * prng.gaussian();
    return nonNegative ? Math.max(0, result) : result;
  };

  const addAsset = (asset: SimAsset, points: readonly (PointSpec & { read: () => SimValue })[]): void => {
    assets.push(asset);
    for (const spec of points) {
      const definition: SimPointDefinition = {
        asset: asset.id,
        point: spec.point,
        dataType: spec.dataType,
        unit: spec.unit,
        description: spec.description,
        writable: spec.write !== undefined,
      };
      if (spec.write) {
        definition.min = spec.write.min;
        definition.max = spec.write.max;
      }
      definitions.push(definition);
      specs.set(key(asset.id, spec.point), spec);
      readers.set(key(asset.id, spec.point), spec.read);
    }
  };

  const float = (point: string, unit: string, description: string, read: () => number) => ({ point, dataType: "float" as const, unit, description, read });
  const bool = (point: string, description: string, read: () => boolean) => ({ point, dataType: "bool" as const, unit: "bool", description, read });
  const asNumber = (value: SimValue): number => (typeof value === "number" ? value : Number(value));
  const asBool = (value: SimValue): boolean => value === true;

  for (const well of wells) {
    const liftLabel = LIFT_TYPES.find((entry) => entry.liftType === well.liftType)?.label ?? well.liftType;
    const points: (PointSpec & { read: () => SimValue })[] = [
      float("THP", "kPa", "Tubing head pressure", () => noisy(well.thpKpa, 0.002, 5)),
      float("CHP", "kPa", "Casing head pressure", () => noisy(well.chpKpa, 0.002, 5)),
      float("FLT", "degC", "Flowline temperature", () => noisy(well.flowlineTempC, 0, 0.1, false)),
      float("OIL_RATE", "m3/d", "Oil rate (standard conditions)", () => noisy(well.oilM3PerDay, 0.005, 0)),
      float("GAS_RATE", "Sm3/d", "Gas rate, formation gas plus returned lift gas", () => noisy(well.gasSm3PerDay, 0.005, 0)),
      float("WATER_RATE", "m3/d", "Water rate", () => noisy(well.waterM3PerDay, 0.005, 0)),
      float("WATER_CUT", "%", "Water cut (water / liquid)", () => well.waterCut * 100),
      {
        ...float("CHOKE_SP", "%", "Choke opening setpoint", () => well.chokePercent),
        write: { min: 0, max: 100, apply: (value) => (well.chokePercent = asNumber(value)) },
      },
      bool("RUNNING", "Well producing (not shut in, lift running)", () => isRunning(well)),
      {
        ...bool("SHUT_IN_CMD", "Shut-in command: true shuts the well in, false restarts it", () => well.shutIn),
        write: {
          min: 0,
          max: 1,
          apply: (value) => {
            well.shutIn = asBool(value);
            well.autoRestartAt = null;
          },
        },
      },
    ];
    const esp = well.esp;
    if (esp) {
      points.push(
        {
          ...float("ESP_FREQ_SP", "Hz", "ESP drive frequency setpoint", () => esp.freqSpHz),
          write: { min: 30, max: 65, apply: (value) => (esp.freqSpHz = asNumber(value)) },
        },
        float("ESP_FREQ", "Hz", "ESP drive output frequency (ramps to the setpoint)", () => esp.freqHz),
        float("ESP_CURRENT", "A", "ESP motor current", () => noisy(esp.currentA, 0.005, 0)),
        float("PIP", "kPa", "Pump intake pressure", () => noisy(esp.pipKpa, 0.002, 5)),
        float("VIBRATION", "mm/s", "ESP vibration (RMS velocity)", () => noisy(esp.vibrationMmPerS, 0.03, 0)),
        bool("ESP_TRIPPED", "ESP drive tripped (restarts automatically)", () => esp.tripped),
      );
    }
    const gasLift = well.gasLift;
    if (gasLift) {
      points.push(
        {
          ...float("GL_INJ_SP", "Sm3/d", "Lift-gas injection setpoint", () => gasLift.injSpSm3PerDay),
          write: { min: 0, max: GAS_LIFT_MAX_INJECTION_SM3_PER_DAY, apply: (value) => (gasLift.injSpSm3PerDay = asNumber(value)) },
        },
        float("GL_INJ_RATE", "Sm3/d", "Lift-gas injection rate (limited by compressor flow)", () => noisy(gasLift.injSm3PerDay, 0.003, 0)),
        bool("GLV_FAILED", "Gas-lift valve failed: injection no longer lifts", () => gasLift.valveFailed),
        // Last, so the registers of the points before it keep their addresses.
        float("FORMATION_GAS_RATE", "Sm3/d", "Formation gas rate: GAS_RATE less the lift gas returned (GL_INJ_RATE)", () =>
          noisy(well.formationGasSm3PerDay, 0.005, 0),
        ),
      );
    }
    const rod = well.rodPump;
    if (rod) {
      points.push(
        float("SPM", "1/min", "Pumping speed, strokes per minute", () => rod.spm),
        float("PUMP_FILL", "%", "Pump fillage (falls as the well pumps off)", () => noisy(rod.pumpFillPercent, 0, 0.3)),
        float("LOAD_MAX", "kN", "Peak polished-rod load", () => noisy(rod.loadMaxKn, 0.005, 0)),
      );
    }
    addAsset({ id: well.id, kind: "well", liftType: well.liftType, description: `${liftLabel} well ${well.number}` }, points);
  }

  addAsset({ id: "MAN-01", kind: "manifold", description: "Production and test manifold" }, [
    float("PRESSURE", "kPa", "Production header pressure", () => noisy(manifoldPressureKpa, 0.002, 2)),
    float("TEMPERATURE", "degC", "Production header temperature", () => noisy(manifoldTempC, 0, 0.1, false)),
    { point: "WELLS_ONLINE", dataType: "int", unit: "", description: "Number of wells producing", read: () => wells.filter(isRunning).length },
  ]);

  const separatorPoints = (separator: Separator): (PointSpec & { read: () => SimValue })[] => [
    float("PRESSURE", "kPa", "Vessel pressure", () => noisy(separator.pressureKpa, 0.002, 2)),
    float("LEVEL_OIL", "%", "Oil level (of the oil section's span)", () => noisy((100 * separator.oilHoldupM3) / separator.oilCapacityM3, 0, 0.2)),
    float("LEVEL_WATER", "%", "Water (interface) level", () => noisy((100 * separator.waterHoldupM3) / separator.waterCapacityM3, 0, 0.2)),
    float("OIL_OUT", "m3/d", "Oil outlet flow", () => noisy(separator.oilOutM3PerDay, 0.003, 0)),
    float("GAS_OUT", "Sm3/d", "Gas outlet flow", () => noisy(separator.gasOutSm3PerDay, 0.003, 0)),
    float("WATER_OUT", "m3/d", "Water outlet flow", () => noisy(separator.waterOutM3PerDay, 0.003, 0)),
  ];
  addAsset({ id: "SEP-TEST", kind: "test-separator", description: "Test separator (one well at a time)" }, [
    ...separatorPoints(testSeparator),
    {
      point: "TEST_WELL",
      dataType: "int",
      unit: "",
      description: "Well number routed to test (0: none); the other wells flow to SEP-PROD",
      read: () => testWellNumber,
      write: {
        min: 0,
        max: Math.max(...wells.map((w) => w.number)),
        validate: (value) => (value === 0 || wellByNumber.has(value) ? undefined : `there is no well ${value}`),
        apply: (value) => (testWellNumber = asNumber(value)),
      },
    },
  ]);
  addAsset({ id: "SEP-PROD", kind: "production-separator", description: "Production separator (three-phase)" }, separatorPoints(productionSeparator));

  for (const tank of tanks) {
    const fluid = tank === waterTank ? "water" : "oil";
    addAsset({ id: tank.id, kind: "tank", description: `${fluid === "oil" ? "Oil" : "Produced-water"} tank, ${tank.heightM} m` }, [
      float("LEVEL", "m", "Liquid level", () => noisy(tank.volumeM3 / tank.areaM2, 0, 0.002)),
      float("VOLUME", "m3", "Liquid volume", () => tank.volumeM3),
      {
        ...bool("TRANSFER_PUMP", "Transfer pump running; starts itself at 90 % level, stops at 10 %", () => tank.pumpOn),
        write: { min: 0, max: 1, apply: (value) => (tank.pumpOn = asBool(value)) },
      },
    ]);
  }

  addAsset({ id: "COMP-01", kind: "compressor", description: "Gas-lift compressor" }, [
    float("SUCTION_P", "kPa", "Suction pressure", () => noisy(compressor.suctionKpa, 0.002, 2)),
    float("DISCHARGE_P", "kPa", "Discharge pressure (lift-gas header)", () => noisy(compressor.dischargeKpa, 0.002, 5)),
    float("FLOW", "Sm3/d", "Lift gas delivered to the gas-lift wells", () => noisy(compressor.flowSm3PerDay, 0.003, 0)),
    bool("RUNNING", "Compressor running", () => compressor.speedRpm > 0),
    float("SPEED", "rpm", "Driver speed (ramps to the setpoint); capacity is proportional", () => noisy(compressor.speedRpm, 0, 0.5)),
    {
      ...float("SPEED_SP", "rpm", "Speed setpoint", () => compressor.speedSpRpm),
      write: { min: 700, max: 1200, apply: (value) => (compressor.speedSpRpm = asNumber(value)) },
    },
    float("POWER", "kW", "Shaft power", () => noisy(compressor.powerKw, 0.005, 0)),
  ]);

  const publish = (): void => {
    for (const [pointKey, read] of readers) values.set(pointKey, read());
  };

  // Start from steady state: lags and ramps at their targets, so the first read is already plausible.
  for (let pass = 0; pass < 3; pass++) {
    advanceWells(Infinity);
    advanceSeparators(Infinity);
  }
  publish();

  const triggerEvent = (assetId: string, kind: TriggerableEventKind): void => {
    const well = wells.find((w) => w.id === assetId);
    const tank = tanks.find((t) => t.id === assetId);
    if (kind === "esp-trip" && well?.esp) tripEsp(well, well.esp);
    else if (kind === "esp-vibration" && well?.esp) vibrateEsp(well, well.esp);
    else if (kind === "shut-in" && well) shutInWell(well);
    else if (kind === "restart" && well) restartWell(well, "triggered");
    else if (kind === "gas-lift-valve-failure" && well?.gasLift) failGasLiftValve(well, well.gasLift);
    else if (kind === "tank-pump-out" && tank) startPumpOut(tank, "triggered");
    else throw new Error(`Event ${kind} does not apply to ${assetId}`);
    advanceWells(0);
    publish();
  };

  const gasLiftCurve = (assetId: string, points: number): GasLiftCurvePoint[] => {
    const well = wells.find((w) => w.id === assetId);
    const gasLift = well?.gasLift;
    if (!well || !gasLift) throw new Error(`${assetId} is not a gas-lift well`);
    if (!Number.isInteger(points) || points < 2) throw new Error(`gasLiftCurve() takes at least 2 points, got ${points}`);
    const potential = well.liquidPotentialM3PerDay * arpsDeclineFraction(elapsedSeconds * declineTimeFactor, well.declinePerYear, well.declineB);
    const choke = chokeFlowFraction(well.chokePercent);
    return Array.from({ length: points }, (_, index) => {
      const injectionSm3PerDay = (GAS_LIFT_MAX_INJECTION_SM3_PER_DAY * index) / (points - 1);
      const liquid = gasLiftLiquid(gasLift, injectionSm3PerDay, potential, choke);
      return { injectionSm3PerDay, oilM3PerDay: liquid * (1 - well.waterCut), waterM3PerDay: liquid * well.waterCut };
    });
  };

  return {
    siteId,
    assets,
    points: definitions,
    read(asset, point) {
      const value = values.get(key(asset, point));
      if (value === undefined) throw new Error(`Unknown point ${siteId}/${asset}/${point}`);
      return value;
    },
    write(asset, point, value) {
      const path = `${siteId}/${asset}/${point}`;
      const spec = specs.get(key(asset, point));
      if (!spec) throw new Error(`Unknown point ${path}`);
      if (!spec.write) throw new Error(`${path} is read-only`);
      if (spec.dataType === "bool") {
        if (typeof value !== "boolean") throw new Error(`${path} takes a boolean, got ${String(value)}`);
      } else {
        if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${path} takes a finite number, got ${String(value)}`);
        if (spec.dataType === "int" && !Number.isInteger(value)) throw new Error(`${path} takes an integer, got ${value}`);
        if (value < spec.write.min || value > spec.write.max) {
          throw new Error(`${path} = ${value} is out of range [${spec.write.min}, ${spec.write.max}] ${spec.unit}`.trimEnd());
        }
        const invalid = spec.write.validate?.(value);
        if (invalid) throw new Error(`${path} = ${value} rejected: ${invalid}`);
      }
      spec.write.apply(value);
      // Rates respond to a setpoint at once (lags keep their state); reads reflect the write immediately.
      advanceWells(0);
      publish();
      emit(asset, "setpoint", `${point} set to ${String(value)}`);
    },
    step(dtSeconds) {
      if (!Number.isFinite(dtSeconds) || dtSeconds < 0) throw new Error(`step() takes a finite, non-negative dtSeconds, got ${dtSeconds}`);
      let remaining = dtSeconds;
      while (remaining > 1e-9) {
        const dt = Math.min(MAX_SUBSTEP_SECONDS, remaining);
        advance(dt);
        remaining -= dt;
      }
      publish();
    },
    now: nowMs,
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    triggerEvent,
    gasLiftCurve,
  };
}
