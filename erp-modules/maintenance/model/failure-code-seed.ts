import type { FailureCodeKind } from "../schema.js";

export interface SeedFailureCode {
  kind: FailureCodeKind;
  code: string;
  descriptionEn: string;
  descriptionEs: string;
}

/*
 * The starting catalogue a site gets on first use, for ESPs and pumps.
 * The problem codes are failure modes as ISO 14224 names them for rotating
 * equipment, with its three-letter abbreviations (VIB, OHE, LOO, FTS, ELP);
 * causes and remedies are Petroflow's own short codes in the same spirit.
 * Engineers add, reword and deactivate codes from here on.
 */
export const SEED_FAILURE_CODES: readonly SeedFailureCode[] = [
  { kind: "problem", code: "VIB", descriptionEn: "Vibration", descriptionEs: "Vibración" },
  { kind: "problem", code: "OHE", descriptionEn: "Overheating", descriptionEs: "Sobrecalentamiento" },
  { kind: "problem", code: "LOO", descriptionEn: "Low output", descriptionEs: "Caudal bajo" },
  { kind: "problem", code: "FTS", descriptionEn: "Failure to start", descriptionEs: "No arranca" },
  { kind: "problem", code: "ELP", descriptionEn: "External leakage of process fluid", descriptionEs: "Fuga externa de fluido de proceso" },
  { kind: "cause", code: "WEAR", descriptionEn: "Wear", descriptionEs: "Desgaste" },
  { kind: "cause", code: "MISALIGN", descriptionEn: "Misalignment", descriptionEs: "Desalineación" },
  { kind: "cause", code: "ELEC", descriptionEn: "Electrical fault", descriptionEs: "Falla eléctrica" },
  { kind: "cause", code: "SAND", descriptionEn: "Sand or solids", descriptionEs: "Arena o sólidos" },
  { kind: "remedy", code: "REPL", descriptionEn: "Replace", descriptionEs: "Reemplazar" },
  { kind: "remedy", code: "ADJ", descriptionEn: "Adjust", descriptionEs: "Ajustar" },
  { kind: "remedy", code: "REP", descriptionEn: "Repair", descriptionEs: "Reparar" },
  { kind: "remedy", code: "CLEAN", descriptionEn: "Clean", descriptionEs: "Limpiar" },
];
