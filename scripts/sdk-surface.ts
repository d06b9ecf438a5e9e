/**
 * The public surface of the node SDK (sdk/index.ts) as plain text: every
 * export, and every type of this repository it reaches, member by member
 * with its signature. sdk/api-surface.txt holds the committed copy;
 * test/unit/sdk/sdk-surface.test.ts fails when they differ, so a change to
 * what integrators compile against is always a deliberate one
 * (docs/sdk.md "Stability").
 *
 *   node --import tsx scripts/sdk-surface.ts --write   # after a deliberate change
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
export const SDK_ENTRY = path.join(ROOT, "sdk", "index.ts");
export const SURFACE_FILE = path.join(ROOT, "sdk", "api-surface.txt");

import { PETROFLOW_SDK_VERSION } from "../sdk/version.js";

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

function compilerOptions(): ts.CompilerOptions {
  const configFile = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), (file) => ts.sys.readFile(file));
  return ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT).options;
}

/** A declaration of this repository (not a library's, not the standard library's). */
function isOwnDeclaration(declaration: ts.Declaration): boolean {
  const file = declaration.getSourceFile().fileName;
  return file.startsWith(ROOT) && !file.includes("/node_modules/");
}

function isPublicMember(symbol: ts.Symbol): boolean {
  const declaration = symbol.declarations?.[0];
  if (!declaration) return true;
  const flags = ts.getCombinedModifierFlags(declaration);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0 && !symbol.name.startsWith("#");
}

export function sdkSurface(): string {
  const program = ts.createProgram([SDK_ENTRY], compilerOptions());
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(SDK_ENTRY);
  const moduleSymbol = entry && checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) throw new Error(`cannot read ${SDK_ENTRY}`);

  const described = new Map<string, string>();
  const pending: ts.Symbol[] = [];
  const seen = new Set<ts.Symbol>();

  /** A named type of this repository: described once, referred to by name. */
  function ownNamed(type: ts.Type): ts.Symbol | undefined {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (!symbol?.declarations?.length || !symbol.declarations.every(isOwnDeclaration)) return undefined;
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Enum))) return undefined;
    return symbol;
  }

  /** Queues the repository's named types a type mentions, looking through unions, generics and anonymous objects. */
  function collect(type: ts.Type, depth = 0): void {
    if (depth > 8) return;
    const named = ownNamed(type);
    if (named) {
      if (!seen.has(named)) {
        seen.add(named);
        pending.push(named);
      }
      for (const argument of type.aliasTypeArguments ?? []) collect(argument, depth + 1);
      return;
    }
    if (type.isUnionOrIntersection()) {
      for (const part of type.types) collect(part, depth + 1);
      return;
    }
    for (const argument of type.aliasTypeArguments ?? []) {
      // Pick<Service, "a" | "b">: the picked members are walked below, not the whole service.
      if (type.aliasSymbol?.name !== "Pick" && type.aliasSymbol?.name !== "Omit") collect(argument, depth + 1);
    }
    if (type.flags & ts.TypeFlags.Object) {
      const reference = type as ts.TypeReference;
      if ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
        for (const argument of checker.getTypeArguments(reference)) collect(argument, depth + 1);
      }
      const library = !type.aliasSymbol && type.getSymbol()?.declarations?.some((declaration) => !isOwnDeclaration(declaration));
      if (library) return;
      for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) collectSignature(signature, depth + 1);
      for (const property of checker.getPropertiesOfType(type)) {
        if (isPublicMember(property)) collect(checker.getTypeOfSymbol(property), depth + 1);
      }
    }
  }

  function collectSignature(signature: ts.Signature, depth: number): void {
    for (const parameter of signature.getParameters()) collect(checker.getTypeOfSymbol(parameter), depth);
    collect(signature.getReturnType(), depth);
  }

  /** Index signatures (`[key: string]: unknown`) of an object type, as lines. */
  function indexLines(type: ts.Type, indent: string): string[] {
    return checker.getIndexInfosOfType(type).map(
      (info) => `${indent}[key: ${checker.typeToString(info.keyType)}]: ${checker.typeToString(info.type, undefined, FORMAT)};`,
    );
  }

  /** An anonymous object or a Pick of a service, written out member by member. */
  function inline(type: ts.Type, indent: string): string {
    const named = ownNamed(type);
    const text = checker.typeToString(type, undefined, FORMAT);
    if (named || !(type.flags & ts.TypeFlags.Object) || type.getCallSignatures().length > 0) return text;
    const symbol = type.getSymbol();
    const anonymous = type.aliasSymbol?.name === "Pick" || type.aliasSymbol?.name === "Omit" || (!type.aliasSymbol && symbol !== undefined && (symbol.flags & ts.SymbolFlags.TypeLiteral) !== 0);
    if (!anonymous) return text;
    const lines = [
      ...indexLines(type, `${indent}  `),
      ...checker
        .getPropertiesOfType(type)
        .filter(isPublicMember)
        .map((property) => `${indent}  ${member(property, `${indent}  `)}`),
    ];
    return `{\n${lines.join("\n")}\n${indent}}`;
  }

  function member(property: ts.Symbol, indent: string): string {
    const optional = property.flags & ts.SymbolFlags.Optional ? "?" : "";
    const declaration = property.declarations?.[0];
    const readonly = declaration && ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly ? "readonly " : "";
    const type = checker.getTypeOfSymbol(property);
    return `${readonly}${property.name}${optional}: ${inline(type, indent)};`;
  }

  /** Queues what an object type's own members and signatures mention (the type itself is already described). */
  function collectMembers(type: ts.Type): void {
    for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) collectSignature(signature, 1);
    for (const info of checker.getIndexInfosOfType(type)) collect(info.type, 1);
    for (const property of checker.getPropertiesOfType(type)) {
      if (isPublicMember(property)) collect(checker.getTypeOfSymbol(property), 1);
    }
  }

  function describe(symbol: ts.Symbol): string {
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    if (symbol.flags & ts.SymbolFlags.TypeAlias) {
      const parts = declared.isUnion() && !(declared.flags & ts.TypeFlags.EnumLiteral) && declared.types.some((part) => part.flags & ts.TypeFlags.Object) ? declared.types : [declared];
      for (const part of parts) {
        if (ownNamed(part) === symbol) collectMembers(part);
        else collect(part);
      }
      const text = parts.map((part) => (ownNamed(part) === symbol ? checker.typeToString(part, undefined, FORMAT | ts.TypeFormatFlags.InTypeAlias) : inline(part, ""))).join(" | ");
      return `type ${symbol.name} = ${text}`;
    }
    const kind = symbol.flags & ts.SymbolFlags.Class ? "class" : symbol.flags & ts.SymbolFlags.Enum ? "enum" : "interface";
    const parameters = (declared as ts.InterfaceType).typeParameters?.map((parameter) => checker.typeToString(parameter)) ?? [];
    const head = `${kind} ${symbol.name}${parameters.length ? `<${parameters.join(", ")}>` : ""}`;
    collectMembers(declared);
    const members = checker
      .getPropertiesOfType(declared)
      .filter(isPublicMember)
      .map((property) => `  ${member(property, "  ")}`);
    const signatures = declared.getCallSignatures().map((signature) => `  ${checker.signatureToString(signature, undefined, FORMAT)};`);
    return `${head} {\n${[...signatures, ...indexLines(declared, "  "), ...members].join("\n")}\n}`;
  }

  const exportsText: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
      const type = checker.getTypeOfSymbol(target);
      collect(type);
      const kind = target.flags & ts.SymbolFlags.Function ? "function" : "const";
      exportsText.push(`${kind} ${exported.name}: ${checker.typeToString(type, undefined, FORMAT)}`);
    }
    if (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum)) {
      exportsText.push(`type ${exported.name}`);
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(target);
      }
    }
  }
  while (pending.length > 0) {
    const symbol = pending.shift() as ts.Symbol;
    const key = symbol.name;
    const text = describe(symbol);
    const existing = described.get(key);
    described.set(key, existing && existing !== text ? `${existing}\n${text}` : text);
  }
  const header = [
    "# Petroflow node SDK: public surface (generated by scripts/sdk-surface.ts; do not edit by hand)",
    "# A change here needs a PETROFLOW_SDK_VERSION bump: minor if only added, major otherwise (docs/sdk.md).",
    `# SDK version: ${PETROFLOW_SDK_VERSION}`,
  ];
  const types = [...described.keys()].sort().map((key) => described.get(key) as string);
  return `${[...header, "", "## Exports", ...exportsText.sort(), "", "## Types", ...types].join("\n")}\n`;
}

/** The version a surface file records. */
export function surfaceVersion(surface: string): string | undefined {
  return /^# SDK version: (\S+)$/m.exec(surface)?.[1];
}

function versionParts(version: string): number[] {
  return version.split(".").map(Number);
}

/**
 * Why the new surface may not be written as it stands, or undefined: a
 * changed surface needs a new version, a removed or changed line a new
 * major (what was there is what integrators compiled against).
 */
export function bumpProblem(previous: string, next: string): string | undefined {
  const body = (surface: string) => surface.split("\n").filter((line) => !line.startsWith("#"));
  const before = body(previous);
  const after = body(next);
  if (before.join("\n") === after.join("\n")) return undefined;
  const [oldMajor = 0, oldMinor = 0] = versionParts(surfaceVersion(previous) ?? "0.0.0");
  const [newMajor = 0, newMinor = 0] = versionParts(surfaceVersion(next) ?? "0.0.0");
  const kept = new Set(after);
  const lost = before.filter((line) => !kept.has(line));
  if (lost.length > 0 && newMajor <= oldMajor) {
    return `the SDK surface lost or changed ${lost.length} line(s), e.g. ${JSON.stringify(lost[0]?.trim())}: a breaking change needs a new major PETROFLOW_SDK_VERSION (sdk/version.ts), or undo it`;
  }
  if (newMajor < oldMajor || (newMajor === oldMajor && newMinor <= oldMinor)) {
    return "the SDK surface grew: bump the minor of PETROFLOW_SDK_VERSION (sdk/version.ts) before writing it";
  }
  return undefined;
}

if (require.main === module) {
  const surface = sdkSurface();
  if (process.argv.includes("--write")) {
    const problem = fs.existsSync(SURFACE_FILE) ? bumpProblem(fs.readFileSync(SURFACE_FILE, "utf8"), surface) : undefined;
    if (problem) {
      process.stderr.write(`${problem}\n`);
      process.exit(1);
    }
    fs.writeFileSync(SURFACE_FILE, surface);
    process.stdout.write(`wrote ${path.relative(ROOT, SURFACE_FILE)} (${surface.split("\n").length} lines)\n`);
  } else {
    process.stdout.write(surface);
  }
}
