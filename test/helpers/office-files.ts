/**
 * Reads what report files hold, for tests: the text parts of an XLSX (a zip)
 * and the text a PDF draws. Only what pdfkit and write-excel-file write is
 * supported: zip entries stored or deflated, PDF text as hex strings in
 * Flate-compressed content streams with a WinAnsi (single-byte) font.
 */
import { inflateRawSync, inflateSync } from "node:zlib";

/** Every entry of a zip archive by name, decompressed, from its central directory. */
export function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip archive: no end of central directory");
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let index = 0; index < count; index += 1) {
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localHeader = archive.readUInt32LE(offset + 42);
    const name = archive.toString("utf8", offset + 46, offset + 46 + nameLength);
    const dataStart = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
    const data = archive.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The XML of every part of an XLSX joined: enough to find a header or a number. */
export function xlsxXml(xlsx: Buffer): string {
  return [...unzip(xlsx).entries()]
    .filter(([name]) => name.endsWith(".xml"))
    .map(([, data]) => data.toString("utf8"))
    .join("\n");
}

/** The text a PDF draws, one string per text-showing operator (Tj or TJ, kerning gaps joined). */
export function pdfText(pdf: Buffer): string[] {
  const source = pdf.toString("latin1");
  const texts: string[] = [];
  const streams = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = streams.exec(source)) !== null) {
    const start = match.index + match[0].length;
    const stop = source.indexOf("endstream", start);
    if (stop < 0) break;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, stop)).toString("latin1");
    } catch {
      continue; // not a Flate stream (an image, a font)
    }
    for (const shown of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ|(<[0-9a-fA-F]*>)\s*Tj/g)) {
      const hexes = (shown[1] ?? shown[2] ?? "").match(/<([0-9a-fA-F]*)>/g) ?? [];
      texts.push(hexes.map((hex) => Buffer.from(hex.slice(1, -1), "hex").toString("latin1")).join(""));
    }
    streams.lastIndex = stop;
  }
  return texts;
}
