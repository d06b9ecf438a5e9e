import assert from "node:assert/strict";
import i18next from "i18next";
import { ApiError } from "../../../../../editor/src/api/client";
import { apiErrorText, serverReasonText } from "../../../../../editor/src/api/error-text";
import apiErrorsEn from "../../../../../editor/src/i18n/api-errors.en.json";
import apiErrorsEs from "../../../../../editor/src/i18n/api-errors.es.json";
import en from "../../../../../editor/src/i18n/en.json";
import es from "../../../../../editor/src/i18n/es.json";
import { ERROR_CODES, REASON_CODES, REASONS } from "../../../../../runtime/error-contract";

/*
 * Issue 8 §7: every error the server can emit is shown translated. The lists
 * come from the server's own source: HttpError, sendError, ServiceError and
 * error details only take codes and reasons from runtime/error-contract.ts
 * (the typecheck holds every call to them), so these lists are everything
 * the server can say.
 */

const CATALOGUES = { en: apiErrorsEn, es: apiErrorsEs } as const;

/** The {{params}} a translation uses. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? "").sort();
}

describe("web app: every API error code and reason has a translation in both languages", () => {
  for (const [language, catalogue] of Object.entries(CATALOGUES)) {
    it(`${language}: a text for each code, none for a code the server no longer has`, () => {
      const codes: Record<string, string> = catalogue.codes;
      const missing = ERROR_CODES.filter((code) => typeof codes[code] !== "string" || codes[code].trim() === "");
      assert.deepEqual(missing, [], `codes without a ${language} text`);
      assert.deepEqual(Object.keys(codes).filter((code) => !(ERROR_CODES as readonly string[]).includes(code)), [], "stale codes");
    });

    it(`${language}: a text for each reason, using only the params the server sends with it`, () => {
      const reasons: Record<string, string> = catalogue.reasons;
      const missing = REASON_CODES.filter((reason) => typeof reasons[reason] !== "string" || reasons[reason].trim() === "");
      assert.deepEqual(missing, [], `reasons without a ${language} text`);
      assert.deepEqual(Object.keys(reasons).filter((reason) => !(REASON_CODES as readonly string[]).includes(reason)), [], "stale reasons");
      for (const reason of REASON_CODES) {
        const sent = [...REASONS[reason].matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "").sort();
        assert.deepEqual(placeholders(reasons[reason] ?? ""), sent, `${language} ${reason}: "${reasons[reason]}" vs the server's "${REASONS[reason]}"`);
      }
    });
  }

  it("the JSON types a wrong_type names are translated too", () => {
    for (const catalogue of Object.values(CATALOGUES)) {
      assert.deepEqual(Object.keys(catalogue.types).sort(), ["array", "boolean", "integer", "null", "number", "object", "string"]);
    }
  });
});

describe("web app: an API error in the user's language", () => {
  before(async () => {
    await i18next.init({
      lng: "es",
      fallbackLng: "en",
      resources: { en: { translation: en, apiErrors: apiErrorsEn }, es: { translation: es, apiErrors: apiErrorsEs } },
      interpolation: { escapeValue: false },
    });
  });

  after(async () => {
    await i18next.changeLanguage("en");
  });

  const strapping = () =>
    new ApiError(400, "invalid_input", "levelM: level 14.2 m is outside the strapping table (0–12 m)", {
      field: "levelM",
      reason: "outside_strapping_table",
      params: { min: 0, max: 12.5 },
    });

  it("says the strapping-table refusal in Spanish, with the numbers in Spanish notation, not the server's English", async () => {
    await i18next.changeLanguage("es");
    const text = apiErrorText(i18next.t, strapping());
    assert.equal(text.summary, "Algunos datos no son válidos.");
    assert.equal(text.detail, "levelM: está fuera de la tabla de aforo del tanque (0 a 12,5 m)");
  });

  it("and in English when the user chose English", async () => {
    await i18next.changeLanguage("en");
    assert.equal(apiErrorText(i18next.t, strapping()).detail, "levelM: is outside the tank's strapping table (0 to 12.5 m)");
  });

  it("names the value without the request part and translates the types, kinds and lists it names", async () => {
    await i18next.changeLanguage("es");
    const wrongType = new ApiError(400, "validation_failed", "body.levelM must be number", { field: "body.levelM", reason: "wrong_type", params: { expected: ["number", "null"] } });
    assert.equal(apiErrorText(i18next.t, wrongType).detail, "levelM: debe ser un número o vacío");
    const kind = new ApiError(400, "invalid_input", "siteType is required for a site", { field: "siteType", reason: "required_for_kind", params: { kind: "site" } });
    assert.equal(apiErrorText(i18next.t, kind).detail, "siteType: es obligatorio para el tipo Instalación");
  });

  it("falls back to a generic text for an answer that is not Petroflow's, and to the network text without an answer", async () => {
    await i18next.changeLanguage("es");
    assert.deepEqual(apiErrorText(i18next.t, new ApiError(502, "HTTP_502", "Bad Gateway")), { summary: es.errors.generic, detail: "El servidor respondió 502." });
    assert.deepEqual(apiErrorText(i18next.t, new ApiError(0, "NETWORK_ERROR", "Failed to fetch")), { summary: es.errors.network, detail: null });
    assert.equal(apiErrorText(i18next.t, new ApiError(403, "forbidden", "needs engineer")).summary, "Su rol no permite esta acción.");
  });

  it("gives forms the translated reason for a field, and the server's words for a reason it does not know", async () => {
    await i18next.changeLanguage("es");
    assert.equal(serverReasonText({ field: "body.levelM", reason: "below_minimum", params: { limit: 0 } }), "debe ser al menos 0");
    assert.equal(serverReasonText({ field: "levelM", reason: "a reason from an older server" }), "a reason from an older server");
  });
});
