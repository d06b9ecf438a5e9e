import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { onDcaInput, short } from "../shared/dca-node.js";
import { forecastRequestOf, type DcaForecastConfig } from "../shared/dca-requests.js";

type Config = NodeDefinition & DcaForecastConfig;

/**
 * On input, forecasts an Arps decline curve (msg.payload: its parameters or
 * a dca-fit result) and sends rates, cumulatives, EUR, time to the economic
 * limit and remaining reserves (docs/reservoir-dca.md).
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "dca-forecast", function (this: NodeInstance, config: Config) {
    onDcaInput(
      RED,
      this,
      config,
      (dca, msg) => dca.forecast(forecastRequestOf(config, msg)),
      (forecast) => ({
        fill: forecast.flags.length > 0 ? "yellow" : "green",
        shape: "dot",
        text: `EUR ${short(forecast.eurVolume)}, limit at ${short(forecast.timeToEconomicLimitDays)} d`,
      }),
    );
  });
};
