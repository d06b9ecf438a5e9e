/**
 * The demo oilfield's alarm limits, as an engineer would ship them for this
 * field: a data table over the simulator's points, chosen from its model
 * (simulator/model/oilfield.ts, seed 1). Seven simulated days of normal
 * operation (tank pump-outs included) stay inside every limit
 * (test/unit/runtime/demo/demo-alarms.test.ts); each random event of the
 * simulator crosses at least one, so a newcomer sees alarms within minutes
 * of the first start:
 *
 * - esp-trip: ESP_TRIPPED, ESP_CURRENT Lo (0 A), CHP and THP Hi as the well builds up;
 * - shut-in: THP Hi (THP rises toward the shut-in pressure, 2.5–5.5 MPa), rod pumps' fillage LoLo;
 * - gas-lift-valve-failure: GLV_FAILED and CHP Lo (injection no longer holds the casing up).
 *
 * Seen in the model (kPa unless said): THP 1 050–1 900 flowing; CHP 2 150–2 930
 * (ESP), 4 780–5 600 (gas lift), 595–655 (rod pump); PIP 6 700–9 250;
 * ESP current 33–48 A, vibration 2.2–3.0 mm/s; fillage 72–93 %, peak rod load
 * 55–65 kN; header 910–990; production separator 790–870, levels 34–46 %; test
 * separator 700–720; oil tanks 0.8–7.2 m (the transfer pump starts itself at
 * 90 %), water tank 0.6–5.4 m; compressor discharge 8 530–8 680, suction 760–835.
 * The simulator has no ESP motor temperature point; vibration and current
 * stand for the motor's health.
 */
import type { AlarmDefinitionInput, AlarmPriority } from "../alarms/schema.js";
import type { OilfieldModel, SimAsset } from "../../simulator/model/types.js";

type LimitKind = "hihi" | "hi" | "lo" | "lolo";

export interface DemoLimit {
  point: string;
  kind: LimitKind;
  limit: number;
  priority: AlarmPriority;
  /** Tag units; the value must come back this far inside before the alarm clears. */
  deadband: number;
  message: string;
}

export interface DemoDiscreteAlarm {
  point: string;
  kind: "discrete";
  /** The abnormal value, as JSON text. */
  alarmState: "true" | "false";
  priority: AlarmPriority;
  message: string;
}

export type DemoAlarm = DemoLimit | DemoDiscreteAlarm;

const limit = (point: string, kind: LimitKind, value: number, priority: AlarmPriority, deadband: number, message: string): DemoLimit => ({
  point,
  kind,
  limit: value,
  priority,
  deadband,
  message,
});

const THP: DemoAlarm[] = [
  limit("THP", "hihi", 3000, "high", 50, "Tubing head pressure very high: the well is shut in or blocked downstream"),
  limit("THP", "hi", 2400, "medium", 50, "Tubing head pressure high"),
  limit("THP", "lo", 800, "low", 30, "Tubing head pressure low: check the choke and the flowline"),
];

/** By lift type for wells, by asset id for the facilities. */
export const DEMO_ALARMS: Readonly<Record<string, readonly DemoAlarm[]>> = {
  esp: [
    ...THP,
    limit("CHP", "hihi", 4500, "high", 50, "Casing pressure very high: the ESP is not drawing the well down"),
    limit("CHP", "hi", 3500, "medium", 50, "Casing pressure high"),
    limit("PIP", "lo", 5000, "medium", 100, "Pump intake pressure low: risk of pump-off and gas lock"),
    limit("PIP", "lolo", 4000, "high", 100, "Pump intake pressure very low: the ESP is pumping the well off"),
    limit("ESP_CURRENT", "hihi", 75, "high", 2, "ESP motor current very high: overload"),
    limit("ESP_CURRENT", "hi", 65, "medium", 2, "ESP motor current high"),
    limit("ESP_CURRENT", "lo", 20, "high", 2, "ESP motor current low: underload or the drive stopped"),
    limit("VIBRATION", "hihi", 9, "high", 0.3, "ESP vibration very high"),
    limit("VIBRATION", "hi", 6, "medium", 0.3, "ESP vibration high"),
    { point: "ESP_TRIPPED", kind: "discrete", alarmState: "true", priority: "high", message: "ESP drive tripped" },
  ],
  gas_lift: [
    ...THP,
    limit("CHP", "hihi", 7500, "high", 100, "Casing pressure very high"),
    limit("CHP", "hi", 6500, "medium", 100, "Casing pressure high: the well is shut in while gas goes in"),
    limit("CHP", "lo", 4000, "medium", 100, "Casing pressure low: the gas-lift valve no longer holds"),
    { point: "GLV_FAILED", kind: "discrete", alarmState: "true", priority: "medium", message: "Gas-lift valve failed: injection no longer lifts" },
  ],
  rod_pump: [
    ...THP,
    limit("CHP", "hi", 1000, "low", 30, "Casing pressure high: vent the casing gas"),
    limit("PUMP_FILL", "lo", 60, "low", 3, "Pump fillage low: the well is pumping off"),
    limit("PUMP_FILL", "lolo", 45, "medium", 3, "Pump fillage very low: fluid pound, slow the unit down"),
    limit("LOAD_MAX", "hihi", 95, "high", 2, "Peak polished-rod load very high"),
    limit("LOAD_MAX", "hi", 80, "medium", 2, "Peak polished-rod load high"),
  ],
  "MAN-01": [
    limit("PRESSURE", "hihi", 1250, "high", 20, "Production header pressure very high"),
    limit("PRESSURE", "hi", 1100, "medium", 20, "Production header pressure high"),
    limit("PRESSURE", "lo", 850, "low", 20, "Production header pressure low"),
  ],
  "SEP-PROD": [
    limit("PRESSURE", "hihi", 1050, "critical", 20, "Production separator pressure very high: the relief valve will lift"),
    limit("PRESSURE", "hi", 950, "medium", 20, "Production separator pressure high"),
    limit("PRESSURE", "lo", 700, "low", 20, "Production separator pressure low"),
    limit("LEVEL_OIL", "hihi", 85, "high", 2, "Production separator oil level very high: liquid carry-over to the gas line"),
    limit("LEVEL_OIL", "hi", 70, "medium", 2, "Production separator oil level high"),
    limit("LEVEL_OIL", "lo", 15, "medium", 2, "Production separator oil level low"),
    limit("LEVEL_OIL", "lolo", 5, "high", 2, "Production separator oil level very low: gas blow-by to the tanks"),
    limit("LEVEL_WATER", "hi", 75, "medium", 2, "Production separator water level high"),
    limit("LEVEL_WATER", "lo", 15, "medium", 2, "Production separator water level low"),
  ],
  "SEP-TEST": [
    limit("PRESSURE", "hihi", 950, "critical", 20, "Test separator pressure very high: the relief valve will lift"),
    limit("PRESSURE", "hi", 850, "medium", 20, "Test separator pressure high"),
    limit("LEVEL_OIL", "hihi", 85, "high", 2, "Test separator oil level very high"),
    limit("LEVEL_OIL", "hi", 70, "medium", 2, "Test separator oil level high"),
    limit("LEVEL_WATER", "hi", 80, "medium", 2, "Test separator water level high"),
  ],
  "TK-01": oilTank(),
  "TK-02": oilTank(),
  "TK-W1": [
    limit("LEVEL", "hihi", 5.75, "critical", 0.05, "Water tank level very high: overflow"),
    limit("LEVEL", "hi", 5.55, "high", 0.05, "Water tank level high: the transfer pump did not start"),
    limit("LEVEL", "lo", 0.35, "low", 0.05, "Water tank level low"),
  ],
  "COMP-01": [
    limit("DISCHARGE_P", "hihi", 10000, "critical", 100, "Compressor discharge pressure very high"),
    limit("DISCHARGE_P", "hi", 9500, "medium", 100, "Compressor discharge pressure high"),
    limit("DISCHARGE_P", "lo", 7500, "medium", 100, "Compressor discharge pressure low: lift gas short"),
    limit("SUCTION_P", "hi", 950, "medium", 20, "Compressor suction pressure high"),
    limit("SUCTION_P", "lo", 650, "medium", 20, "Compressor suction pressure low"),
    { point: "RUNNING", kind: "discrete", alarmState: "false", priority: "high", message: "Gas-lift compressor stopped" },
  ],
};

/** Oil tanks, 8 m: the transfer pump starts itself at 7.2 m, so Hi means it did not. */
function oilTank(): DemoAlarm[] {
  return [
    limit("LEVEL", "hihi", 7.7, "critical", 0.05, "Oil tank level very high: overflow"),
    limit("LEVEL", "hi", 7.4, "high", 0.05, "Oil tank level high: the transfer pump did not start"),
    limit("LEVEL", "lo", 0.5, "low", 0.05, "Oil tank level low"),
  ];
}

/** Alarm areas route alarms to the operator who looks after them: one per well pad, the battery, the compression. */
export function demoAlarmArea(asset: SimAsset): string {
  if (asset.kind === "well") {
    const pad = /^WELL-(\d)/.exec(asset.id)?.[1];
    return pad ? `PAD-${pad}00` : "WELLS";
  }
  return asset.kind === "compressor" ? "COMPRESSION" : "BATTERY";
}

/** The table applied to a model's assets: the definitions to seed, one per (tag, kind). */
export function demoAlarmDefinitions(model: OilfieldModel): AlarmDefinitionInput[] {
  const definitions: AlarmDefinitionInput[] = [];
  for (const asset of model.assets) {
    const alarms = DEMO_ALARMS[asset.kind === "well" ? (asset.liftType ?? "") : asset.id] ?? [];
    for (const alarm of alarms) {
      if (!model.points.some((point) => point.asset === asset.id && point.point === alarm.point)) continue;
      const common = {
        tagPath: `${model.siteId}/${asset.id}/${alarm.point}`,
        setpointPath: null,
        priority: alarm.priority,
        // Analog alarms wait 10 s so a single noisy sample raises nothing; a trip is a trip.
        onDelaySeconds: alarm.kind === "discrete" ? 0 : 10,
        offDelaySeconds: 0,
        area: demoAlarmArea(asset),
        message: `${asset.id}: ${alarm.message}`,
        enabled: true,
      };
      definitions.push(
        alarm.kind === "discrete"
          ? { ...common, kind: "discrete", limit: null, alarmState: alarm.alarmState, deadband: 0 }
          : { ...common, kind: alarm.kind, limit: alarm.limit, alarmState: null, deadband: alarm.deadband },
      );
    }
  }
  return definitions;
}
